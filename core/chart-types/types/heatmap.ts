import { axes, fits, refuse, type ChartTypeModule } from "../module.ts";

/** A grid of cells coloured by one measure: one dimension along x (columns), the other down the rows. */
export const heatmapChart: ChartTypeModule = {
  key: "heatmap",
  position: 70,
  size: { w: 12, h: 5 },
  shape(metric, choices) {
    if (metric.dimensions.length !== 2) return refuse("needs_two_dimensions");
    if (choices.measures && choices.measures.length > 1) return refuse("one_measure");
    const result = axes(metric, choices);
    if (!result.ok) return result;
    return fits({ ...result.shape, measures: result.shape.measures.slice(0, 1) });
  },
};
