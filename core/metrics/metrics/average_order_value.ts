import type { MetricModule } from "../types.ts";

/** Orders, sales and average order value per period and unit of the purchase. */
export const averageOrderValue: MetricModule = {
  key: "average_order_value",
  position: 90,
  rpc: "metric_average_order_value",
  filters: ["period", "business_unit", "tier"],
  dimensions: [{ key: "period", type: "period" }, { key: "business_unit", type: "business_unit" }],
  measures: [{ key: "orders", unit: "count", total: "sum" }, { key: "sales_yuan", unit: "yuan", total: "sum" }, { key: "aov_yuan", unit: "yuan", total: { numerator: "sales_yuan", denominator: "orders" } }],
  drillRpc: "drill_average_order_value",
};
