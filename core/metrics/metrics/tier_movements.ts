import type { MetricModule } from "../types.ts";

/** Tier changes up and down per period (a member changing twice in a period counts twice). */
export const tierMovements: MetricModule = {
  key: "tier_movements",
  position: 60,
  rpc: "metric_tier_movements",
  filters: ["period", "business_unit", "tier"],
  dimensions: [{ key: "period", type: "period" }, { key: "direction", type: "label" }],
  measures: [{ key: "members", unit: "count", total: "sum" }],
  drillRpc: "drill_tier_movements",
};

export const TIER_DIRECTIONS = ["up", "down"] as const;
