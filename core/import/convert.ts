/**
 * Turning a file's cells (CSV text, or exceljs values: numbers, dates, rich text) into the typed values a
 * target's JSON Schema expects. A cell that cannot be converted is passed on as it was, so the schema check
 * reports it under its field rather than it being dropped silently.
 */
import { BUSINESS_TIME_ZONE } from "../time/business-zone.ts";
import { zoneOffsetMs } from "../time/zone.ts";
import type { Mapping } from "./mapping.ts";
import type { JsonSchema } from "./targets.ts";

export type Cell = string | number | boolean | Date | null | undefined | { [key: string]: unknown };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Text of a cell: exceljs rich text, hyperlinks and formulas carry their text in a property. */
function cellText(cell: Cell): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (cell instanceof Date) return undefined;
  if (typeof cell === "object") {
    if (Array.isArray((cell as { richText?: unknown }).richText)) {
      return ((cell as { richText: { text: string }[] }).richText).map((part) => part.text).join("");
    }
    if ("text" in cell) return String((cell as { text: unknown }).text);
    if ("result" in cell) return cellText((cell as { result: Cell }).result);
    return undefined;
  }
  return String(cell);
}

/** A wall-clock time in the business time zone (a spreadsheet date, or text without a zone) as an instant. */
function wallClockInstant(wallMs: number): Date {
  return new Date(wallMs - zoneOffsetMs(wallMs - zoneOffsetMs(wallMs, BUSINESS_TIME_ZONE), BUSINESS_TIME_ZONE));
}

const DATE_TEXT = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u;
const DATE_TIME_TEXT = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/u;

function toDate(cell: Cell): unknown {
  // exceljs gives a date cell as the wall-clock date in UTC components.
  if (cell instanceof Date) return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
  const text = cellText(cell)?.trim();
  if (!text) return undefined;
  const match = DATE_TEXT.exec(text);
  return match ? `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}` : text;
}

function toDateTime(cell: Cell): unknown {
  if (cell instanceof Date) return Number.isFinite(cell.getTime()) ? wallClockInstant(cell.getTime()).toISOString() : undefined;
  const text = cellText(cell)?.trim();
  if (!text) return undefined;
  const match = DATE_TIME_TEXT.exec(text);
  if (match) {
    const [, y, mo, d, h, mi, s] = match.map(Number);
    return wallClockInstant(Date.UTC(y, mo - 1, d, h, mi, Number.isFinite(s) ? s : 0)).toISOString();
  }
  const date = DATE_TEXT.exec(text);
  if (date) return wallClockInstant(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))).toISOString();
  return text;
}

function toNumber(cell: Cell): unknown {
  if (typeof cell === "number") return cell;
  const text = cellText(cell)?.trim().replace(/[,，\s¥￥]/gu, "");
  if (!text) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

const TRUE = new Set(["true", "1", "是", "yes", "y"]);
const FALSE = new Set(["false", "0", "否", "no", "n"]);
function toBoolean(cell: Cell): unknown {
  if (typeof cell === "boolean") return cell;
  const text = cellText(cell)?.trim().toLowerCase();
  if (!text) return undefined;
  return TRUE.has(text) ? true : FALSE.has(text) ? false : text;
}

function toString(cell: Cell): unknown {
  if (cell instanceof Date) return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
  const text = cellText(cell);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** One cell as the field's schema wants it; undefined for an empty cell (the field is then left out). */
export function convertCell(cell: Cell, field: JsonSchema): unknown {
  const type = Array.isArray(field.type) ? field.type.find((t) => t !== "null") : field.type;
  switch (type) {
    case "integer":
    case "number":
      return toNumber(cell);
    case "boolean":
      return toBoolean(cell);
    case "array": {
      if (cell === null || cell === undefined) return undefined;
      const text = cellText(cell instanceof Date ? toString(cell) as string : cell)?.trim();
      if (!text) return undefined;
      const items = (field.items ?? {}) as JsonSchema;
      return text.split(/[,，;；、|]/u).map((part) => part.trim()).filter(Boolean).map((part) => convertCell(part, items));
    }
    default:
      if (field.format === "date") return toDate(cell);
      if (field.format === "date-time") return toDateTime(cell);
      return toString(cell);
  }
}

/** A row of cells as the target's data: each mapped field converted, empty cells left out. */
export function rowData(cells: readonly Cell[], mapping: Mapping, schema: JsonSchema): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(mapping)) {
    if (column === undefined) continue;
    const value = convertCell(cells[column], schema.properties?.[field] ?? {});
    if (value !== undefined) data[field] = value;
  }
  return data;
}
