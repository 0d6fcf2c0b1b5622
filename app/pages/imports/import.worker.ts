/// <reference lib="webworker" />
/**
 * The import wizard's worker: parses the file (CSV streamed in chunks with papaparse, XLSX with exceljs),
 * keeps its rows, and converts and checks them against the target (core/import), posting progress as it goes,
 * so a 100,000-row file never blocks the page.
 */
import Papa from "papaparse";
import { prepareRows, type Cell, type ImportTarget, type Mapping, type PreparedRow, type RowError } from "../../../core/import/index.ts";

export type WorkerRequest =
  | { type: "parse"; file: File }
  | { type: "check"; target: ImportTarget; mapping: Mapping; defaults: Record<string, unknown> };

export type WorkerReply =
  | { type: "progress"; phase: "parse" | "check"; done: number; total: number }
  | { type: "parsed"; headers: string[]; preview: Cell[][]; total: number }
  | { type: "checked"; rows: PreparedRow[]; errors: RowError[] }
  | { type: "failed"; reason: "file_unreadable" | "file_empty" | "file_type" };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: WorkerReply) => scope.postMessage(reply);

let headers: string[] = [];
let lines: Cell[][] = [];

const isBlank = (line: readonly Cell[]) => line.every((cell) => cell === null || cell === undefined || String(cell).trim() === "");

function parseCsv(file: File): Promise<void> {
  return new Promise((resolve, reject) => {
    let first = true;
    Papa.parse<string[]>(file, {
      skipEmptyLines: "greedy",
      chunkSize: 1 << 20,
      chunk: (results) => {
        for (const line of results.data) {
          if (first) {
            headers = line.map((h) => String(h ?? "").replace(/^\uFEFF/, "").trim());
            first = false;
          } else {
            lines.push(line);
          }
        }
        post({ type: "progress", phase: "parse", done: results.meta.cursor, total: file.size });
      },
      complete: () => resolve(),
      error: (error) => reject(error),
    });
  });
}

async function parseXlsx(file: File): Promise<void> {
  const mod = await import("exceljs");
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await file.arrayBuffer());
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  const total = sheet.rowCount;
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    // row.values is 1-based.
    const values = (row.values as Cell[]).slice(1);
    if (headers.length === 0) headers = values.map((value) => String(value ?? "").trim());
    else lines.push(values);
    if (number % 5000 === 0) post({ type: "progress", phase: "parse", done: number, total });
  });
}

async function parse(file: File) {
  headers = [];
  lines = [];
  const name = file.name.toLowerCase();
  try {
    if (name.endsWith(".csv") || name.endsWith(".txt")) await parseCsv(file);
    else if (name.endsWith(".xlsx")) await parseXlsx(file);
    else return post({ type: "failed", reason: "file_type" });
  } catch {
    return post({ type: "failed", reason: "file_unreadable" });
  }
  lines = lines.filter((line) => !isBlank(line));
  if (headers.length === 0 || lines.length === 0) return post({ type: "failed", reason: "file_empty" });
  post({ type: "parsed", headers, preview: lines.slice(0, 10), total: lines.length });
}

function check(target: ImportTarget, mapping: Mapping, defaults: Record<string, unknown>) {
  const rows: PreparedRow[] = [];
  const errors: RowError[] = [];
  const chunk = 5000;
  const now = Date.now();
  for (let start = 0; start < lines.length; start += chunk) {
    const part = prepareRows(target, lines.slice(start, start + chunk), mapping, { firstRow: start + 1, now, defaults });
    for (const row of part.rows) rows.push(row);
    for (const error of part.errors) errors.push(error);
    post({ type: "progress", phase: "check", done: Math.min(start + chunk, lines.length), total: lines.length });
  }
  post({ type: "checked", rows, errors });
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === "parse") void parse(request.file);
  else check(request.target, request.mapping, request.defaults);
};
