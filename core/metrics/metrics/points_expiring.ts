import type { MetricModule } from "../types.ts";

/** Open points expiring within 7, 30 and 90 days of today, and the members holding them. */
export const pointsExpiring: MetricModule = {
  key: "points_expiring",
  position: 40,
  rpc: "metric_points_expiring",
  filters: ["business_unit", "lot_kind"],
  dimensions: [{ key: "horizon", type: "label" }],
  measures: [{ key: "points", unit: "points", total: "sum" }, { key: "members", unit: "count", total: "distinct" }],
};

/** The horizons, in the order the metric returns them (values of the `horizon` dimension). */
export const EXPIRY_HORIZONS = ["d7", "d30", "d90"] as const;
