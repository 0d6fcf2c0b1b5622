import type { MetricModule } from "../types.ts";

/** 核销率, the headline: points redeemed / points issued per period. */
export const redemptionRate: MetricModule = {
  key: "redemption_rate",
  position: 30,
  rpc: "metric_redemption_rate",
  filters: ["period", "business_unit", "tier", "lot_kind"],
  dimensions: [{ key: "period", type: "period" }],
  measures: [{ key: "issued", unit: "points", total: "sum" }, { key: "redeemed", unit: "points", total: "sum" }, { key: "rate", unit: "ratio", total: { numerator: "redeemed", denominator: "issued" } }],
  drillRpc: "drill_redemption_rate",
};
