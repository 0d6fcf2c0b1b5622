/** Bounds of metric and drill parameters; private.metric_limits() in SQL states the same (parity test). */
export const METRIC_LIMITS = {
  /** Longest range a metric answers, days (3 years). */
  max_range_days: 1096,
  /** Range when none is given: the last 30 days up to today. */
  default_range_days: 30,
  /** Most values in one filter (units, tiers, lot kinds). */
  max_filter_values: 100,
  /** Largest drill-down page. */
  drill_max_limit: 500,
  /** Largest drill-down offset. */
  drill_max_offset: 1_000_000,
  earliest_day: "2000-01-01",
  latest_day: "2100-12-31",
} as const;

/** The value of a point in yuan when no administrator has set one (public.analytics_settings). */
export const DEFAULT_POINT_VALUE_YUAN = 0.01;
