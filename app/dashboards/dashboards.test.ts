import { describe, expect, it } from "vitest";
import type { MetricDimension, MetricParams } from "../../core/metrics/types.ts";
import { bucketEnd, filtersFromSearch, metricParams, narrowToPoint, presetOf, rangeDates, searchFromFilters } from "./filters";
import { exportNumber, formatAxis, formatMeasure, periodText } from "./format";
import type { MetricModule } from "../../core/metrics/types.ts";
import { kpiTotals } from "./kpi-total";

const UNIT = "2b7c3f0e-9a41-4c55-9d2e-0f1b2c3d4e5f";
const HOTEL = "7d1e2f30-1111-4222-8333-944455566677";

describe("measure formatting", () => {
  it("points and counts are integers with separators, yuan has 2 decimals, ratios are percents", () => {
    expect(formatMeasure(1234567, "points")).toBe("1,234,567");
    expect(formatMeasure("98765.4", "count")).toBe("98,765");
    expect(formatMeasure(1234.5, "yuan")).toBe("¥1,234.50");
    expect(formatMeasure("-0.456", "yuan")).toBe("-¥0.46");
    expect(formatMeasure(0.4567, "ratio")).toBe("45.7%");
    expect(formatMeasure(1, "ratio")).toBe("100.0%");
    expect(formatMeasure(null, "points")).toBe("—");
    expect(formatMeasure("abc", "yuan")).toBe("—");
  });

  it("axes are short; files get plain numbers", () => {
    expect(formatAxis(1_250_000, "points")).toBe("1.3M");
    expect(formatAxis(45_600, "count")).toBe("45.6K");
    expect(formatAxis(9_999, "points")).toBe("9,999");
    expect(formatAxis(12_000, "yuan")).toBe("¥12K");
    expect(formatAxis(0.25, "ratio")).toBe("25%");
    expect(exportNumber(1234.5, "yuan")).toBe("1234.50");
    expect(exportNumber(0.123456, "ratio")).toBe("0.1235");
    expect(exportNumber("77.6", "points")).toBe("78");
    expect(exportNumber(null, "points")).toBe("");
  });

  it("periods read as the day, the week's Monday or the month", () => {
    expect(periodText("2026-11-02", "day")).toBe("2026-11-02");
    expect(periodText("2026-11-02T00:00:00", "week")).toBe("2026-11-02");
    expect(periodText("2026-11-01", "month")).toBe("2026-11");
  });
});

describe("filters in the URL", () => {
  const defaults = { range: "last_30_days", grain: "week" } as const;
  const today = "2026-12-02";

  it("presets end today", () => {
    expect(rangeDates("last_7_days", today)).toEqual({ from: "2026-11-26", to: today });
    expect(rangeDates("last_30_days", today)).toEqual({ from: "2026-11-03", to: today });
    expect(rangeDates("this_month", today)).toEqual({ from: "2026-12-01", to: today });
    expect(rangeDates("this_year", today)).toEqual({ from: "2026-01-01", to: today });
    expect(presetOf({ from: "2026-11-03", to: today }, today)).toBe("last_30_days");
    expect(presetOf({ from: "2026-11-04", to: today }, today)).toBeUndefined();
  });

  it("round-trip through the query string", () => {
    const filters = { from: "2026-10-01", to: "2026-10-31", grain: "day" as const, businessUnits: [UNIT, HOTEL], tiers: ["gold"], lotKinds: [] };
    expect(filtersFromSearch(searchFromFilters(filters), defaults, today)).toEqual(filters);
    expect(searchFromFilters(filters).toString()).not.toContain("lots");
  });

  it("malformed or missing values take the dashboard's defaults", () => {
    const parsed = filtersFromSearch(new URLSearchParams("from=2026-02-30&to=2026-03-01&grain=year&units=x,1;drop&tiers=Gold"), defaults, today);
    expect(parsed).toEqual({ from: "2026-11-03", to: today, grain: "week", businessUnits: [], tiers: [], lotKinds: [] });
    expect(filtersFromSearch(new URLSearchParams("from=2026-12-01&to=2026-11-01"), defaults, today).from).toBe("2026-11-03");
    expect(filtersFromSearch(new URLSearchParams("from=2010-01-01&to=2026-11-01"), defaults, today).from).toBe("2026-11-03");
  });

  it("a metric gets only the filters it honours", () => {
    const filters = { from: "2026-10-01", to: "2026-10-31", grain: "month" as const, businessUnits: [HOTEL], tiers: ["gold"], lotKinds: ["campaign"] };
    expect(metricParams(filters, { filters: ["period", "business_unit"] })).toEqual({
      p_from: "2026-10-01", p_to: "2026-10-31", p_grain: "month", p_business_units: [HOTEL], p_tiers: null, p_lot_kinds: null,
    });
    expect(metricParams({ ...filters, businessUnits: [] }, { filters: ["period", "business_unit", "tier", "lot_kind"] })).toMatchObject({
      p_business_units: null, p_tiers: ["gold"], p_lot_kinds: ["campaign"],
    });
  });
});

describe("drill-down narrows the filters to the clicked point", () => {
  const params: MetricParams = { p_from: "2026-11-03", p_to: "2026-12-02", p_grain: "week", p_business_units: [UNIT, HOTEL], p_tiers: null, p_lot_kinds: null };
  const dims: MetricDimension[] = [{ key: "period", type: "period" }, { key: "business_unit", type: "business_unit" }];

  it("buckets end on the last day of the day, week or month", () => {
    expect(bucketEnd("2026-11-30", "day")).toBe("2026-11-30");
    expect(bucketEnd("2026-11-30", "week")).toBe("2026-12-06");
    expect(bucketEnd("2026-02-01", "month")).toBe("2026-02-28");
    expect(bucketEnd("2028-02-01", "month")).toBe("2028-02-29");
  });

  it("to the clicked week and unit", () => {
    expect(narrowToPoint(params, dims, { period: "2026-11-09", business_unit: HOTEL, issued: 120 })).toEqual({
      ...params, p_from: "2026-11-09", p_to: "2026-11-15", p_business_units: [HOTEL],
    });
  });

  it("a bucket cut by the range stays within the range", () => {
    expect(narrowToPoint(params, dims, { period: "2026-11-02" })).toMatchObject({ p_from: "2026-11-03", p_to: "2026-11-08" });
    expect(narrowToPoint(params, dims, { period: "2026-11-30" })).toMatchObject({ p_from: "2026-11-30", p_to: "2026-12-02" });
  });

  it("tiers and lot kinds narrow their filters; labels and channels narrow nothing", () => {
    const narrowed = narrowToPoint(params, [{ key: "tier", type: "tier" }, { key: "lot", type: "lot_kind" }, { key: "horizon", type: "label" }, { key: "channel", type: "channel" }],
      { tier: "gold", lot: "birthday", horizon: "d30", channel: "app" });
    expect(narrowed).toEqual({ ...params, p_tiers: ["gold"], p_lot_kinds: ["birthday"] });
  });

  it("a dimension the point has no value for keeps the view's filter", () => {
    expect(narrowToPoint(params, dims, { period: "2026-11-16" }).p_business_units).toEqual([UNIT, HOTEL]);
  });
});

describe("KPI totals", () => {
  const rate: Pick<MetricModule, "measures"> = { measures: [
    { key: "issued", unit: "points", total: "sum" }, { key: "redeemed", unit: "points", total: "sum" },
    { key: "rate", unit: "ratio", total: { numerator: "redeemed", denominator: "issued" } }] };

  it("sum points and recompute a ratio from the totals, not from the per-period ratios", () => {
    const rows = [{ issued: 1000, redeemed: 100, rate: 0.1 }, { issued: 10, redeemed: 10, rate: 1 }];
    const totals = kpiTotals(rate, rows);
    expect(totals.issued).toBe(1010);
    expect(totals.redeemed).toBe(110);
    expect(totals.rate).toBeCloseTo(110 / 1010, 10);
  });

  it("no rows, no numbers; nothing issued, no rate", () => {
    expect(kpiTotals(rate, [])).toEqual({ issued: null, redeemed: null, rate: null });
    expect(kpiTotals(rate, [{ issued: 0, redeemed: 0, rate: null }]).rate).toBeNull();
  });

  it("an average order value is total sales over total orders; distinct members have a total only in one bucket", () => {
    const aov: Pick<MetricModule, "measures"> = { measures: [
      { key: "orders", unit: "count", total: "sum" }, { key: "sales_yuan", unit: "yuan", total: "sum" },
      { key: "aov_yuan", unit: "yuan", total: { numerator: "sales_yuan", denominator: "orders" } },
      { key: "active_members", unit: "count", total: "distinct" }] };
    const rows = [{ orders: 1, sales_yuan: "100.00", aov_yuan: 100, active_members: 1 }, { orders: 3, sales_yuan: 60, aov_yuan: 20, active_members: 1 }];
    expect(kpiTotals(aov, rows)).toEqual({ orders: 4, sales_yuan: 160, aov_yuan: 40, active_members: null });
    expect(kpiTotals(aov, rows.slice(1)).active_members).toBe(1);
  });
});

describe("business days", () => {
  it("today is the calendar day in the group's time zone (Asia/Shanghai)", async () => {
    const { businessToday } = await import("./filters");
    expect(businessToday(new Date("2026-12-01T16:30:00Z"))).toBe("2026-12-02");
    expect(businessToday(new Date("2026-12-01T15:30:00Z"))).toBe("2026-12-01");
  });
});

describe("chart axes", () => {
  it("end at a round number above the data, or at 1 (100%) when all is zero", async () => {
    const { niceCeiling } = await import("./charts/cartesian");
    expect(niceCeiling(91_300)).toBe(100_000);
    expect(niceCeiling(18_000)).toBe(20_000);
    expect(niceCeiling(0.23)).toBeCloseTo(0.25, 10);
    expect(niceCeiling(0.0)).toBe(1);
    expect(niceCeiling(4)).toBe(5);
  });
});

describe("the units a user's dashboards cover", () => {
  it("all for admins and group-wide directors and analysts; else the units of their roles", async () => {
    const { dashboardUnits } = await import("./dashboard-units");
    const grant = (role: string, unit: string | null) => ({ role, business_unit_id: unit, business_unit_code: null, business_unit_name: null }) as never;
    expect(dashboardUnits([grant("analyst", null)])).toBeNull();
    expect(dashboardUnits([grant("admin", null)])).toBeNull();
    expect(dashboardUnits([grant("manager", HOTEL)])).toEqual(new Set([HOTEL]));
    expect(dashboardUnits([grant("manager", HOTEL), grant("staff", UNIT)])).toEqual(new Set([HOTEL, UNIT]));
    expect(dashboardUnits([grant("manager", null)])).toEqual(new Set());
  });
});
