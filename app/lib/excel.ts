/** One sheet of an export: column headers (already translated), widths and plain rows. */
export interface SheetSpec {
  name: string;
  columns: { header: string; key: string; width?: number }[];
  rows: Record<string, string | number | null>[];
}

/**
 * Builds an .xlsx in the browser with exceljs (loaded on first use, so it is not in the main bundle)
 * and hands it to the browser as a download.
 */
export async function downloadWorkbook(fileName: string, sheets: SheetSpec[]) {
  const mod = await import("exceljs");
  // The browser build is CommonJS: depending on the bundler the API is the module or its default export.
  const ExcelJS = mod.default ?? mod;
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = spec.columns.map((column) => ({ header: column.header, key: column.key, width: column.width ?? 16 }));
    sheet.getRow(1).font = { bold: true };
    sheet.addRows(spec.rows);
  }
  const buffer = await workbook.xlsx.writeBuffer();
  const blob = new Blob([buffer], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName.endsWith(".xlsx") ? fileName : `${fileName}.xlsx`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
