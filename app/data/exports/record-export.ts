import type { CrudFilter } from "@refinedev/core";
import { dataProvider } from "../../providers/data-provider";

/**
 * The audit row of an export (record_export: who, when, which list, how many rows, which format and
 * filters), written before the file is handed over: no audit row, no file.
 */
export async function recordExport(resource: string, rows: number, format: "csv" | "xlsx", filters: CrudFilter[]) {
  await dataProvider.custom!({
    url: "rpc/record_export",
    method: "post",
    payload: { p_resource: resource, p_rows: rows, p_format: format, p_filters: filters },
  });
}
