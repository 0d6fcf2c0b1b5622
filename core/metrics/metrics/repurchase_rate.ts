import type { MetricModule } from "../types.ts";

/** Members with 2 or more purchases in the bucket / members with a purchase (whole buckets). */
export const repurchaseRate: MetricModule = {
  key: "repurchase_rate",
  position: 80,
  rpc: "metric_repurchase_rate",
  filters: ["period", "business_unit"],
  dimensions: [{ key: "period", type: "period" }],
  measures: [{ key: "buyers", unit: "count", total: "distinct" }, { key: "repeat_buyers", unit: "count", total: "distinct" }, { key: "rate", unit: "ratio", total: { numerator: "repeat_buyers", denominator: "buyers" } }],
};
