import { chosenMeasures, fits, refuse, type ChartTypeModule } from "../module.ts";

/**
 * Headline numbers: each measure totalled over the range and every dimension (points, counts and yuan
 * summed; a ratio recomputed from the totals, see app/dashboards/kpi-total.ts). Metrics with a `label`
 * dimension (e.g. overlapping expiry horizons) have no meaningful total.
 */
export const kpiChart: ChartTypeModule = {
  key: "kpi",
  position: 10,
  size: { w: 4, h: 2 },
  shape(metric, choices) {
    if (metric.dimensions.some((d) => d.type === "label")) return refuse("not_additive");
    const measures = chosenMeasures(metric, choices);
    if (!measures) return refuse("unknown_measure");
    return fits({ measures });
  },
};
