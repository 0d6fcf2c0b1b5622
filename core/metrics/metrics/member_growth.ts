import type { MetricModule } from "../types.ts";

/** New members (registered) and active members (with a purchase in the bucket, whole buckets) per period. */
export const memberGrowth: MetricModule = {
  key: "member_growth",
  position: 70,
  rpc: "metric_member_growth",
  filters: ["period", "business_unit"],
  dimensions: [{ key: "period", type: "period" }],
  measures: [{ key: "new_members", unit: "count", total: "sum" }, { key: "active_members", unit: "count", total: "distinct" }],
};
