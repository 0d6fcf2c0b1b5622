import { hasTotal, fits, refuse, type ChartTypeModule } from "../module.ts";

/**
 * Headline numbers: each measure totalled over the range and every dimension as the measure declares (see
 * app/dashboards/kpi-total.ts). Metrics with a `label` dimension (e.g. overlapping expiry horizons) and counts
 * of distinct members (a member active in two months is one member, not two) have no total; by default the
 * card shows the measures that have one.
 */
export const kpiChart: ChartTypeModule = {
  key: "kpi",
  position: 10,
  size: { w: 4, h: 2 },
  shape(metric, choices) {
    if (metric.dimensions.some((d) => d.type === "label")) return refuse("not_additive");
    if (!choices.measures?.length) {
      const measures = metric.measures.filter(hasTotal);
      return measures.length ? fits({ measures }) : refuse("not_additive");
    }
    const measures = choices.measures.map((key) => metric.measures.find((m) => m.key === key));
    if (!measures.every((m) => !!m)) return refuse("unknown_measure");
    return measures.every(hasTotal) ? fits({ measures }) : refuse("not_additive");
  },
};
