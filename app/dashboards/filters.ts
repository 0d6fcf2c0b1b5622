/**
 * A dashboard's filters: date range, grain, business units, tiers, lot kinds. They live in the URL (so a
 * view can be shared and reloaded), become the calling convention's parameters for each metric (only the
 * filters it honours), and narrow to a clicked point for drill-down.
 */
import type { DefaultRange } from "../../core/dashboards/types.ts";
import { DEFAULT_RANGES } from "../../core/dashboards/types.ts";
import { isGrain, type Grain } from "../../core/metrics/grains.ts";
import { BUSINESS_TIME_ZONE } from "../../core/time/business-zone.ts";
import { METRIC_LIMITS } from "../../core/metrics/limits.ts";
import type { MetricDimension, MetricModule, MetricParams } from "../../core/metrics/types.ts";

export interface DashboardFilters {
  from: string;
  to: string;
  grain: Grain;
  businessUnits: string[];
  tiers: string[];
  lotKinds: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range a view asks for, in days (the metric functions refuse longer ones). */
export const MAX_RANGE_DAYS = METRIC_LIMITS.max_range_days;

/** Today in the group's business time zone, in which metrics count their days. */
export const businessToday = (now = new Date()) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: BUSINESS_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);

const toDate = (day: string) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date) => date.toISOString().slice(0, 10);
export const addDays = (day: string, days: number) => toDay(new Date(toDate(day).getTime() + days * 86_400_000));
const daysBetween = (from: string, to: string) => Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
const isDay = (value: string | null): value is string => !!value && DAY.test(value) && !Number.isNaN(toDate(value).getTime()) && toDay(toDate(value)) === value;

/** The days a preset covers, ending today (inclusive). */
export function rangeDates(range: DefaultRange, today: string): { from: string; to: string } {
  switch (range) {
    case "last_7_days":
      return { from: addDays(today, -6), to: today };
    case "last_30_days":
      return { from: addDays(today, -29), to: today };
    case "last_90_days":
      return { from: addDays(today, -89), to: today };
    case "this_month":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "this_year":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case "last_365_days":
      return { from: addDays(today, -364), to: today };
  }
}

/** The preset a range is, if any (the filter bar highlights it). */
export const presetOf = (filters: Pick<DashboardFilters, "from" | "to">, today: string) =>
  DEFAULT_RANGES.find((range) => {
    const dates = rangeDates(range, today);
    return dates.from === filters.from && dates.to === filters.to;
  });

const list = (value: string | null, valid: RegExp) => (value ? value.split(",").filter((v) => valid.test(v)).slice(0, 50) : []);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[a-z][a-z0-9_-]{0,63}$/;

/** The filters a URL holds; anything missing or malformed takes the dashboard's defaults. */
export function filtersFromSearch(search: URLSearchParams, defaults: { range: DefaultRange; grain: Grain }, today: string): DashboardFilters {
  const preset = rangeDates(defaults.range, today);
  let from = search.get("from");
  let to = search.get("to");
  if (!isDay(from) || !isDay(to) || from > to || daysBetween(from, to) >= MAX_RANGE_DAYS) {
    from = preset.from;
    to = preset.to;
  }
  const grain = search.get("grain");
  return {
    from,
    to,
    grain: isGrain(grain) ? grain : defaults.grain,
    businessUnits: list(search.get("units"), UUID),
    tiers: list(search.get("tiers"), CODE),
    lotKinds: list(search.get("lots"), CODE),
  };
}

/** The URL query of a view's filters (empty lists left out). */
export function searchFromFilters(filters: DashboardFilters): URLSearchParams {
  const search = new URLSearchParams({ from: filters.from, to: filters.to, grain: filters.grain });
  if (filters.businessUnits.length) search.set("units", filters.businessUnits.join(","));
  if (filters.tiers.length) search.set("tiers", filters.tiers.join(","));
  if (filters.lotKinds.length) search.set("lots", filters.lotKinds.join(","));
  return search;
}

/** The calling convention's parameters for `metric`: filters it does not honour are null. */
export function metricParams(filters: DashboardFilters, metric: Pick<MetricModule, "filters">): MetricParams {
  const honours = (filter: string) => (metric.filters as readonly string[]).includes(filter);
  const some = (values: string[]) => (values.length ? values : null);
  return {
    p_from: filters.from,
    p_to: filters.to,
    p_grain: filters.grain,
    p_business_units: honours("business_unit") ? some(filters.businessUnits) : null,
    p_tiers: honours("tier") ? some(filters.tiers) : null,
    p_lot_kinds: honours("lot_kind") ? some(filters.lotKinds) : null,
  };
}

/** The last day of the bucket that starts on `start` (weeks start on Monday, as date_trunc does). */
export function bucketEnd(start: string, grain: Grain): string {
  if (grain === "day") return start;
  if (grain === "week") return addDays(start, 6);
  const date = toDate(start);
  return toDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}

/**
 * The parameters of a drill into one point: the period narrowed to the clicked bucket (within the view's
 * range), the unit/tier/lot kind to the clicked value. Channel and label dimensions are no filter and
 * narrow nothing.
 */
export function narrowToPoint(params: MetricParams, dimensions: readonly MetricDimension[], point: Record<string, unknown>): MetricParams {
  const narrowed = { ...params };
  for (const dimension of dimensions) {
    const value = point[dimension.key];
    if (value === null || value === undefined || value === "") continue;
    const text = String(value);
    switch (dimension.type) {
      case "period": {
        const start = text.slice(0, 10);
        const end = bucketEnd(start, params.p_grain);
        narrowed.p_from = start > params.p_from ? start : params.p_from;
        narrowed.p_to = end < params.p_to ? end : params.p_to;
        break;
      }
      case "business_unit":
        narrowed.p_business_units = [text];
        break;
      case "tier":
        narrowed.p_tiers = [text];
        break;
      case "lot_kind":
        narrowed.p_lot_kinds = [text];
        break;
      default:
        break;
    }
  }
  return narrowed;
}
