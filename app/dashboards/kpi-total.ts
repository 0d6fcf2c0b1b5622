import type { MetricMeasure, MetricModule } from "../../core/metrics/types.ts";

type Row = Record<string, unknown>;

/**
 * A KPI's value of each measure over all of a metric's rows, as the measure declares (MetricMeasure.total):
 * summed; a ratio or average recomputed from the sums of its numerator and denominator (a mean of per-period
 * ratios would weigh a quiet week like a busy one); a count of distinct members only when the rows are one
 * bucket, since the same member may be counted in several (null otherwise).
 */
export function kpiTotals(metric: Pick<MetricModule, "measures">, rows: readonly Row[]): Record<string, number | null> {
  const sum = (key: string) => rows.reduce((total, row) => total + (Number(row[key]) || 0), 0);
  const totals: Record<string, number | null> = {};
  for (const measure of metric.measures) totals[measure.key] = rows.length ? total(measure, rows, sum) : null;
  return totals;
}

function total(measure: MetricMeasure, rows: readonly Row[], sum: (key: string) => number): number | null {
  if (measure.total === "sum") return sum(measure.key);
  if (measure.total === "distinct") return rows.length === 1 ? Number(rows[0][measure.key]) : null;
  const denominator = sum(measure.total.denominator);
  return denominator ? sum(measure.total.numerator) / denominator : null;
}
