import { axes, refuse, type ChartTypeModule } from "../module.ts";

/** Stacked bars: the values of the other dimension (or several measures) stacked on each x. */
export const stackedBarChart: ChartTypeModule = {
  key: "stacked_bar",
  position: 50,
  size: { w: 6, h: 6 },
  shape(metric, choices) {
    const result = axes(metric, choices);
    if (!result.ok) return result;
    return result.shape.series || result.shape.measures.length > 1 ? result : refuse("nothing_to_stack");
  },
};
