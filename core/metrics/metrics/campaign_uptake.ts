import type { MetricModule } from "../types.ts";

/**
 * Marketing campaigns' uptake per period and unit (public.metric_campaign_uptake): treatment members of approved
 * campaigns who bought at one of the campaign's units within its period (distinct per bucket), their spend, the
 * offers given (bonus points postings, grants, messages) and their cost.
 */
export const campaignUptake: MetricModule = {
  key: "campaign_uptake",
  position: 130,
  rpc: "metric_campaign_uptake",
  filters: ["period", "business_unit"],
  dimensions: [{ key: "period", type: "period" }, { key: "business_unit", type: "business_unit" }],
  measures: [
    { key: "uptake", unit: "count", total: "distinct" },
    { key: "spend_yuan", unit: "yuan", total: "sum" },
    { key: "offers", unit: "count", total: "sum" },
    { key: "cost_yuan", unit: "yuan", total: "sum" },
  ],
};
