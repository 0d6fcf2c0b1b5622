import { axes, fits, refuse, type ChartTypeModule } from "../module.ts";

/** A trend with its area filled: the period along x, one area per measure (or per value of the other dimension). */
export const areaChart: ChartTypeModule = {
  key: "area",
  position: 30,
  size: { w: 6, h: 6 },
  shape(metric, choices) {
    const result = axes(metric, choices);
    if (!result.ok) return result;
    return result.shape.x?.type === "period" ? fits(result.shape) : refuse("needs_period");
  },
};
