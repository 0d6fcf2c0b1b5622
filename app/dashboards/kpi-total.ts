import type { MetricModule } from "../../core/metrics/types.ts";

type Row = Record<string, unknown>;

/**
 * A KPI's value of each measure over all of a metric's rows: points, counts and yuan summed; a ratio
 * recomputed from the totals as the share of the metric's second non-ratio measure in its first
 * (redeemed of issued, repeat buyers of buyers), since a sum or mean of per-period ratios would weigh
 * a quiet week like a busy one. A metric with fewer than two other measures gets the mean of its ratios.
 */
export function kpiTotals(metric: Pick<MetricModule, "measures">, rows: readonly Row[]): Record<string, number | null> {
  const sum = (key: string) => rows.reduce((total, row) => total + (Number(row[key]) || 0), 0);
  const parts = metric.measures.filter((m) => m.unit !== "ratio");
  const totals: Record<string, number | null> = {};
  for (const measure of metric.measures) {
    if (measure.unit !== "ratio") {
      totals[measure.key] = rows.length ? sum(measure.key) : null;
    } else if (parts.length >= 2) {
      const whole = sum(parts[0].key);
      totals[measure.key] = whole ? sum(parts[1].key) / whole : null;
    } else {
      const values = rows.map((row) => Number(row[measure.key])).filter(Number.isFinite);
      totals[measure.key] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    }
  }
  return totals;
}
