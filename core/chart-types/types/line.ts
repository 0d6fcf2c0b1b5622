import { axes, fits, refuse, type ChartTypeModule } from "../module.ts";

/** A trend: the period along x, one line per measure (or per value of the other dimension). */
export const lineChart: ChartTypeModule = {
  key: "line",
  position: 20,
  size: { w: 6, h: 6 },
  shape(metric, choices) {
    const result = axes(metric, choices);
    if (!result.ok) return result;
    return result.shape.x?.type === "period" ? fits(result.shape) : refuse("needs_period");
  },
};
