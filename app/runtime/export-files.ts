/**
 * The bytes of an export: CSV and XLSX built from display text. Spreadsheet programs run a CSV cell
 * that starts with = + - @ (or tab, CR) as a formula, so such cells get a leading single quote
 * (OWASP "CSV injection"); in XLSX every cell is written as a string cell, never as a formula.
 */
export interface ExportColumn {
  key: string;
  header: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export const neutralizeFormula = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

const csvCell = (raw: string) => {
  const value = neutralizeFormula(raw);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
};

/** CSV with a UTF-8 byte order mark, so Excel opens the Chinese text correctly. */
export function csvText(header: ExportColumn[], rows: Record<string, string>[]) {
  const lines = [header.map((h) => csvCell(h.header)).join(","), ...rows.map((row) => header.map((h) => csvCell(row[h.key] ?? "")).join(","))];
  return "\uFEFF" + lines.join("\r\n");
}

/** .xlsx with exceljs (loaded on first use). Values are strings, which exceljs stores as shared-string cells. */
export async function xlsxBuffer(sheetName: string, header: ExportColumn[], rows: Record<string, string>[]) {
  const mod = await import("exceljs");
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31) || "Sheet1", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = header.map((h) => ({ header: h.header, key: h.key, width: Math.max(12, h.header.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRows(rows.map((row) => Object.fromEntries(header.map((h) => [h.key, String(row[h.key] ?? "")]))));
  return workbook.xlsx.writeBuffer();
}
