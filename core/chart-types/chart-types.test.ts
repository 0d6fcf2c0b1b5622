import { describe, expect, it } from "vitest";
import type { MetricModule } from "../metrics/types.ts";
import { CHART_TYPES, chartType, chartTypesFor } from "./index.ts";

const metric = (key: string, dimensions: [string, MetricModule["dimensions"][number]["type"]][], measures: string[], unit: "points" | "ratio" = "points"): MetricModule => ({
  key,
  position: 1,
  rpc: `metric_${key}`,
  filters: ["period"],
  dimensions: dimensions.map(([k, type]) => ({ key: k, type })),
  measures: measures.map((k) => k === "rate"
    ? { key: k, unit: "ratio", total: { numerator: "redeemed", denominator: "issued" } }
    : { key: k, unit, total: k === "members" && key === "points_expiring" ? "distinct" : "sum" }),
});

const flow = metric("points_flow", [["period", "period"], ["business_unit", "business_unit"]], ["issued", "redeemed", "expired"]);
const rate = metric("redemption_rate", [["period", "period"]], ["issued", "redeemed", "rate"]);
const outstanding = metric("points_outstanding", [["business_unit", "business_unit"]], ["points"]);
const expiring = metric("points_expiring", [["horizon", "label"]], ["points", "members"]);
const tiers = metric("tier_distribution", [["tier", "tier"]], ["members"]);
const threeDims = metric("three", [["period", "period"], ["tier", "tier"], ["business_unit", "business_unit"]], ["members"]);

const shape = (chart: string, m: MetricModule, choices = {}) => {
  const result = chartType(chart)!.shape(m, choices);
  return result.ok
    ? { x: result.shape.x?.key, series: result.shape.series?.key, measures: result.shape.measures.map((mm) => mm.key) }
    : result.refusal;
};

describe("chart types", () => {
  it("are the eight of the registry, in the builder's order", () => {
    expect(CHART_TYPES.map((c) => c.key)).toEqual(["kpi", "line", "area", "bar", "stacked_bar", "pie", "heatmap", "table"]);
  });

  it("fit each metric shape as their rules say", () => {
    expect(chartTypesFor(flow).map((c) => c.key)).toEqual(["kpi", "line", "area", "bar", "stacked_bar", "heatmap", "table"]);
    expect(chartTypesFor(rate).map((c) => c.key)).toEqual(["kpi", "line", "area", "bar", "stacked_bar", "table"]);
    expect(chartTypesFor(outstanding).map((c) => c.key)).toEqual(["kpi", "bar", "pie", "table"]);
    expect(chartTypesFor(expiring).map((c) => c.key)).toEqual(["bar", "stacked_bar", "pie", "table"]);
    expect(chartTypesFor(tiers).map((c) => c.key)).toEqual(["kpi", "bar", "pie", "table"]);
    expect(chartTypesFor(threeDims).map((c) => c.key)).toEqual(["kpi", "table"]);
  });

  it("a pie needs one non-period dimension and shows one measure", () => {
    expect(shape("pie", tiers)).toEqual({ x: "tier", series: undefined, measures: ["members"] });
    expect(shape("pie", expiring)).toEqual({ x: "horizon", series: undefined, measures: ["points"] });
    expect(shape("pie", expiring, { measures: ["points", "members"] })).toBe("one_measure");
    expect(shape("pie", rate)).toBe("needs_one_dimension");
    expect(shape("pie", flow)).toBe("needs_one_dimension");
  });

  it("line and area put the period along x; the other dimension splits the series, with one measure", () => {
    expect(shape("line", rate, { measures: ["rate"] })).toEqual({ x: "period", series: undefined, measures: ["rate"] });
    expect(shape("area", flow, { measures: ["redeemed"] })).toEqual({ x: "period", series: "business_unit", measures: ["redeemed"] });
    expect(shape("line", flow, { series: "business_unit" })).toEqual({ x: "period", series: "business_unit", measures: ["issued"] });
    expect(shape("line", flow, { series: "business_unit", measures: ["issued", "redeemed"] })).toBe("one_measure");
    expect(shape("line", flow, { x: "business_unit" })).toBe("needs_period");
    expect(shape("area", tiers)).toBe("needs_period");
  });

  it("several measures that add up are summed over the other dimension; others split by it", () => {
    expect(shape("line", flow)).toEqual({ x: "period", series: undefined, measures: ["issued", "redeemed", "expired"] });
    expect(shape("bar", flow, { measures: ["issued", "redeemed"] })).toEqual({ x: "period", series: undefined, measures: ["issued", "redeemed"] });
    const aov = metric("average_order_value", [["period", "period"], ["business_unit", "business_unit"]], ["orders"]);
    aov.measures = [{ key: "sales_yuan", unit: "yuan", total: "sum" }, { key: "aov_yuan", unit: "yuan", total: { numerator: "sales_yuan", denominator: "orders" } }];
    expect(shape("line", aov)).toEqual({ x: "period", series: "business_unit", measures: ["sales_yuan"] });
    expect(shape("line", aov, { measures: ["sales_yuan", "aov_yuan"] })).toBe("one_measure");
  });

  it("bars take any dimension along x; a stack needs a series or two measures", () => {
    expect(shape("bar", flow, { x: "business_unit", measures: ["expired"] })).toEqual({ x: "business_unit", series: "period", measures: ["expired"] });
    expect(shape("bar", rate, { measures: ["issued", "redeemed"] })).toEqual({ x: "period", series: undefined, measures: ["issued", "redeemed"] });
    expect(shape("stacked_bar", tiers)).toBe("nothing_to_stack");
    expect(shape("stacked_bar", expiring)).toEqual({ x: "horizon", series: undefined, measures: ["points", "members"] });
  });

  it("a heat map needs two dimensions and shows one measure", () => {
    expect(shape("heatmap", flow, { measures: ["redeemed"] })).toEqual({ x: "period", series: "business_unit", measures: ["redeemed"] });
    expect(shape("heatmap", rate)).toBe("needs_two_dimensions");
    expect(shape("heatmap", flow, { measures: ["issued", "redeemed"] })).toBe("one_measure");
  });

  it("a KPI totals measures that have a total (no distinct member counts, no overlapping labels); a table shows anything", () => {
    expect(shape("kpi", outstanding)).toEqual({ x: undefined, series: undefined, measures: ["points"] });
    expect(shape("kpi", expiring)).toBe("not_additive");
    const growth = { ...metric("member_growth", [["period", "period"]], ["new_members"]) };
    growth.measures = [...growth.measures, { key: "active_members", unit: "count", total: "distinct" }];
    expect(shape("kpi", growth)).toEqual({ x: undefined, series: undefined, measures: ["new_members"] });
    expect(shape("kpi", growth, { measures: ["active_members"] })).toBe("not_additive");
    expect(shape("kpi", { ...growth, measures: [growth.measures[1]] })).toBe("not_additive");
    expect(shape("kpi", rate)).toEqual({ x: undefined, series: undefined, measures: ["issued", "redeemed", "rate"] });
    expect(shape("table", threeDims)).toEqual({ x: undefined, series: undefined, measures: ["members"] });
  });

  it("unknown dimensions and measures are refused, not guessed", () => {
    expect(shape("bar", flow, { x: "tier" })).toBe("unknown_dimension");
    expect(shape("bar", flow, { series: "period" })).toBe("unknown_dimension");
    expect(shape("bar", flow, { measures: ["sold"] })).toBe("unknown_measure");
    expect(shape("kpi", flow, { measures: ["sold"] })).toBe("unknown_measure");
    expect(shape("table", flow, { measures: ["sold"] })).toBe("unknown_measure");
  });
});
