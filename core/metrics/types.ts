/**
 * A metric: one SQL function exposed through PostgREST that answers a dashboard widget, described here
 * so the app, the seeded dashboards and a parity test against SQL read one definition. Labels live in
 * i18n under `metrics.<key>` (title, measures.<measure>, and values.<value> for `label` dimensions).
 *
 * Calling convention, the same for every metric so a widget calls any of them alike:
 *   public.<rpc>(p_from date, p_to date, p_grain text, p_business_units uuid[], p_tiers text[], p_lot_kinds text[])
 * Every parameter has a default (null, or 'day' for the grain); a metric ignores filters it does not list
 * in `filters`. Dates are calendar days in the group's business time zone; p_to is inclusive. Rows carry
 * one column per dimension key and one per measure key, in that order; `period` is the first day of its
 * day/week/month bucket. A drill function takes the same parameters plus (p_limit int, p_offset int)
 * and returns the records behind the narrowed filters (the widget narrows the filters to the clicked point:
 * the period to its bucket, the unit/tier/lot kind to its value).
 */
import type { Grain } from "./grains.ts";

export const DASHBOARD_FILTERS = ["period", "business_unit", "tier", "lot_kind"] as const;
export type DashboardFilter = (typeof DASHBOARD_FILTERS)[number];

/** How a measure is shown: points and counts as integers, yuan with 2 decimals, ratio (0..1) as percent. */
export const MEASURE_UNITS = ["points", "count", "yuan", "ratio"] as const;
export type MeasureUnit = (typeof MEASURE_UNITS)[number];

/**
 * What a dimension's values are and so how they are labelled: `period` a date bucket, `business_unit` a
 * unit id (its name), `tier` a tier key (its name), `lot_kind`/`channel` an enumeration value (its i18n
 * label), `label` a value named by the metric's own i18n (`metrics.<key>.values.<value>`).
 */
export const DIMENSION_TYPES = ["period", "business_unit", "tier", "lot_kind", "channel", "label"] as const;
export type DimensionType = (typeof DIMENSION_TYPES)[number];

/** A dimension of type period/business_unit/tier/lot_kind narrows the same-named filter on drill-down. */
export interface MetricDimension {
  key: string;
  type: DimensionType;
}

/**
 * How a measure adds up over rows (a KPI's total over the range, a sum across a dimension): "sum" for
 * points, yuan amounts and counts of events or of rows' own members; "distinct" for counts of distinct
 * members per bucket, which do not add up (a member active in two weeks counts once in each); a ratio or an
 * average names its numerator and denominator, and is recomputed from their sums over the rows (over distinct
 * counts this is the per-bucket ratios weighted by their denominators).
 */
export type MeasureTotal = "sum" | "distinct" | { numerator: string; denominator: string };

export interface MetricMeasure {
  key: string;
  unit: MeasureUnit;
  total: MeasureTotal;
}

export interface MetricModule {
  /** Stable key, the i18n key under `metrics.` and what dashboard definitions name. */
  key: string;
  /** Order in the dashboard builder's palette. */
  position: number;
  /** The public SQL function answering it (calling convention above). */
  rpc: string;
  filters: readonly DashboardFilter[];
  dimensions: readonly MetricDimension[];
  measures: readonly MetricMeasure[];
  /** The function listing the records behind a point, if the metric can be drilled into. */
  drillRpc?: string;
}

/** The parameters every metric and drill function takes (PostgREST names). */
export interface MetricParams {
  p_from: string;
  p_to: string;
  p_grain: Grain;
  p_business_units: string[] | null;
  p_tiers: string[] | null;
  p_lot_kinds: string[] | null;
}
