import type { MetricModule } from "../types.ts";

/** Points issued, redeemed and expired per period and issuing unit (the unit of the lot the points belong to). */
export const pointsFlow: MetricModule = {
  key: "points_flow",
  position: 10,
  rpc: "metric_points_flow",
  filters: ["period", "business_unit", "tier", "lot_kind"],
  dimensions: [{ key: "period", type: "period" }, { key: "business_unit", type: "business_unit" }],
  measures: [{ key: "issued", unit: "points", total: "sum" }, { key: "redeemed", unit: "points", total: "sum" }, { key: "expired", unit: "points", total: "sum" }],
  drillRpc: "drill_points_flow",
};
