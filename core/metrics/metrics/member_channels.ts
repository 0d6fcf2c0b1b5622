import type { MetricModule } from "../types.ts";

/**
 * How members came: members whose first purchase falls in the range, by that purchase's channel. Members
 * carry no source channel, so the channel of the first purchase stands for it.
 */
export const memberChannels: MetricModule = {
  key: "member_channels",
  position: 100,
  rpc: "metric_member_channels",
  filters: ["period", "business_unit"],
  dimensions: [{ key: "channel", type: "channel" }],
  measures: [{ key: "members", unit: "count", total: "sum" }],
};
