import type { MetricModule } from "../types.ts";

/** Members per current tier (by home unit when units are chosen). */
export const tierDistribution: MetricModule = {
  key: "tier_distribution",
  position: 50,
  rpc: "metric_tier_distribution",
  filters: ["business_unit", "tier"],
  dimensions: [{ key: "tier", type: "tier" }],
  measures: [{ key: "members", unit: "count", total: "sum" }],
};
