import type { MetricParams } from "../../../core/metrics/types.ts";
import { downloadCsv, downloadXlsx } from "../../runtime/export";
import type { ExportColumn } from "../../runtime/export-files";
import { dataProvider } from "../../providers/data-provider";

export type ExportFormat = "csv" | "xlsx";

/** What an export holds: a widget's rows (`dashboard_widgets`) or the records behind a point (`dashboard_records`). */
export type ExportedData = "dashboard_widgets" | "dashboard_records" | "consumption_report" | "settlement_unit_report" | "settlement_matrix" | "campaign_results";

/**
 * Hands a widget's data or a drill's records to the user as CSV (formula cells neutralised) or XLSX, after
 * writing its audit row (record_export: who, what, how many rows, the metric and its parameters): no audit
 * row, no file.
 */
export async function exportTable(
  resource: ExportedData,
  metric: string,
  params: MetricParams | Record<string, unknown>,
  format: ExportFormat,
  fileName: string,
  sheetName: string,
  header: ExportColumn[],
  rows: Record<string, string>[],
) {
  await dataProvider.custom!({
    url: "rpc/record_export",
    method: "post",
    payload: { p_resource: resource, p_rows: rows.length, p_format: format, p_filters: { metric, ...params } },
  });
  if (format === "csv") downloadCsv(`${fileName}.csv`, header, rows);
  else await downloadXlsx(`${fileName}.xlsx`, sheetName, header, rows);
}
