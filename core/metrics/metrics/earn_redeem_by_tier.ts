import type { MetricModule } from "../types.ts";

/** Points issued and redeemed per member tier at the time of posting. */
export const earnRedeemByTier: MetricModule = {
  key: "earn_redeem_by_tier",
  position: 110,
  rpc: "metric_earn_redeem_by_tier",
  filters: ["period", "business_unit", "tier", "lot_kind"],
  dimensions: [{ key: "tier", type: "tier" }],
  measures: [{ key: "issued", unit: "points", total: "sum" }, { key: "redeemed", unit: "points", total: "sum" }],
};
