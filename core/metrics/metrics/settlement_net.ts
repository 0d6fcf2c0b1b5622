import type { MetricModule } from "../types.ts";

/**
 * Net settlement between business units per settlement month and unit, in yuan: what the unit receives,
 * what it pays, and the net. Periods are settlement months whatever the grain; readers as for the statements.
 */
export const settlementNet: MetricModule = {
  key: "settlement_net",
  position: 120,
  rpc: "metric_settlement_net",
  filters: ["period", "business_unit"],
  dimensions: [{ key: "period", type: "period" }, { key: "business_unit", type: "business_unit" }],
  measures: [
    { key: "receivable_yuan", unit: "yuan", total: "sum" },
    { key: "payable_yuan", unit: "yuan", total: "sum" },
    { key: "net_yuan", unit: "yuan", total: "sum" },
  ],
};
