import type { MetricModule } from "../types.ts";

/** Outstanding points (the liability) per issuing unit at the end of the range, and their value in yuan. */
export const pointsOutstanding: MetricModule = {
  key: "points_outstanding",
  position: 20,
  rpc: "metric_points_outstanding",
  filters: ["period", "business_unit", "lot_kind"],
  dimensions: [{ key: "business_unit", type: "business_unit" }],
  measures: [{ key: "points", unit: "points", total: "sum" }, { key: "value_yuan", unit: "yuan", total: "sum" }],
};
