import type { ChartShape } from "../../core/chart-types/index.ts";
import type { MetricModule } from "../../core/metrics/types.ts";
import type { MetricRow } from "../data/dashboards/types";
import type { ExportColumn } from "../runtime/export-files";
import { exportNumber } from "./format";
import type { MetricLabels } from "./use-labels";

/** A widget's rows as a file's table: every dimension (labelled values), then the widget's measures (plain numbers). */
export function widgetTable(metric: MetricModule, shape: ChartShape, rows: MetricRow[], labels: MetricLabels) {
  const header: ExportColumn[] = [
    ...metric.dimensions.map((d) => ({ key: d.key, header: labels.dimensionLabel(metric, d) })),
    ...shape.measures.map((m) => ({ key: m.key, header: labels.measureLabel(metric, m) })),
  ];
  const body = rows.map((row) => ({
    ...Object.fromEntries(metric.dimensions.map((d) => [d.key, labels.valueLabel(metric, d, row[d.key])])),
    ...Object.fromEntries(shape.measures.map((m) => [m.key, exportNumber(row[m.key], m.unit)])),
  }));
  return { header, rows: body };
}
