import { axes, fits, refuse, type ChartTypeModule } from "../module.ts";

/** A grid of cells coloured by one measure: one dimension along x (columns), the other down the rows. */
export const heatmapChart: ChartTypeModule = {
  key: "heatmap",
  position: 70,
  size: { w: 12, h: 5 },
  shape(metric, choices) {
    if (metric.dimensions.length !== 2) return refuse("needs_two_dimensions");
    if (choices.measures && choices.measures.length > 1) return refuse("one_measure");
    const measure = choices.measures?.[0] ?? metric.measures[0]?.key;
    const result = axes(metric, { ...choices, measures: measure ? [measure] : undefined });
    if (!result.ok) return result;
    return result.shape.series ? fits(result.shape) : refuse("needs_two_dimensions");
  },
};
