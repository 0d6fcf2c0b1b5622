/**
 * Checking import rows the way the forms check them: ajv (through @rjsf/validator-ajv8, as app/forms/validator.ts)
 * against the target's JSON Schema, plus the limits the server enforces, read from core/enums. The server checks
 * everything again (public.import_batch); this is so a file's faults are found before anything is sent.
 */
import { customizeValidator } from "@rjsf/validator-ajv8";
import type { ErrorObject, ValidateFunction } from "ajv";
import {
  IMPORT_MAX_BATCH_ROWS,
  IMPORT_MAX_ROWS,
  MAX_ADJUSTMENT_POINTS,
  MAX_BACKDATE_DAYS,
  MAX_FUTURE_SKEW_MINUTES,
  MAX_ORDER_NO_LENGTH,
  MAX_TRANSACTION_YUAN,
} from "../enums/index.ts";
import { rowData, type Cell } from "./convert.ts";
import type { Mapping } from "./mapping.ts";
import type { ImportTarget } from "./targets.ts";

/** One fault of one row: a schema keyword (ajv's, with its params) or a server reason code (with its values). */
export interface RowError {
  /** Row number in the file, counting the first data row as 1. */
  row: number;
  field: string | null;
  code: string;
  params: Record<string, unknown>;
}

export interface PreparedRow {
  row: number;
  data: Record<string, unknown>;
}

/** The same ajv options as the forms (amounts like 19.99 compared to 8 decimals). */
const validator = customizeValidator({ ajvOptionsOverrides: { multipleOfPrecision: 8 } });
const compiled = new WeakMap<object, ValidateFunction>();

function schemaCheck(target: ImportTarget): ValidateFunction {
  let check = compiled.get(target.schema);
  if (!check) {
    // Our schemas carry title_en / description_en next to title: not keywords, not errors.
    const { $schema: _ignored, ...schema } = target.schema as Record<string, unknown>;
    check = validator.ajv.compile(schema);
    compiled.set(target.schema, check);
  }
  return check;
}

const fieldOf = (error: ErrorObject) => {
  if (error.keyword === "required") return String((error.params as { missingProperty?: string }).missingProperty ?? "");
  return error.instancePath.replace(/^\//, "").split("/")[0] || null;
};

/** The limits the server enforces on a row, from core/enums; `now` is the moment the rows are checked. */
function limitErrors(target: ImportTarget, data: Record<string, unknown>, row: number, now: number): RowError[] {
  const errors: RowError[] = [];
  if (target.kind === "transactions") {
    const at = Date.parse(String(data.occurred_at ?? ""));
    if (Number.isFinite(at) && at > now + MAX_FUTURE_SKEW_MINUTES * 60_000) {
      errors.push({ row, field: "occurred_at", code: "occurred_in_future", params: { occurred_at: data.occurred_at } });
    }
    if (Number.isFinite(at) && at < now - MAX_BACKDATE_DAYS * 86_400_000) {
      errors.push({ row, field: "occurred_at", code: "occurred_too_old", params: { max_days: MAX_BACKDATE_DAYS } });
    }
    if (typeof data.amount === "number" && data.amount > MAX_TRANSACTION_YUAN) {
      errors.push({ row, field: "amount", code: "amount_over_limit", params: { max: MAX_TRANSACTION_YUAN } });
    }
    if (typeof data.order_no === "string" && data.order_no.length > MAX_ORDER_NO_LENGTH) {
      errors.push({ row, field: "order_no", code: "maxLength", params: { limit: MAX_ORDER_NO_LENGTH } });
    }
  }
  if (target.kind === "point_adjustments" && typeof data.points === "number" &&
      (data.points === 0 || Math.abs(data.points) > MAX_ADJUSTMENT_POINTS)) {
    errors.push({ row, field: "points", code: "adjustment_points_invalid", params: { max: MAX_ADJUSTMENT_POINTS } });
  }
  return errors;
}

/** Checks one row's data: schema faults first, then the server's limits. */
export function checkRow(target: ImportTarget, data: Record<string, unknown>, row: number, now = Date.now()): RowError[] {
  const check = schemaCheck(target);
  const errors: RowError[] = [];
  if (!check(data)) {
    for (const error of check.errors ?? []) {
      // An if/then failure repeats the fault of its branch.
      if (error.keyword === "if") continue;
      errors.push({ row, field: fieldOf(error), code: error.keyword, params: { ...error.params } });
    }
  }
  return errors.length > 0 ? errors : limitErrors(target, data, row, now);
}

/** Whether the file is too long to import at all. */
export const tooManyRows = (rows: number) => rows > IMPORT_MAX_ROWS;

/**
 * Converts and checks rows (cells in file order; row numbers start at `firstRow`). Rows with faults go to
 * `errors` (every fault of the row), the others to `rows`, ready for import_batch.
 */
export function prepareRows(
  target: ImportTarget,
  cells: readonly (readonly Cell[])[],
  mapping: Mapping,
  options: { firstRow?: number; now?: number; defaults?: Record<string, unknown> } = {},
): { rows: PreparedRow[]; errors: RowError[] } {
  const rows: PreparedRow[] = [];
  const errors: RowError[] = [];
  const firstRow = options.firstRow ?? 1;
  const now = options.now ?? Date.now();
  cells.forEach((line, index) => {
    const row = firstRow + index;
    const data = { ...options.defaults, ...rowData(line, mapping, target.schema) };
    const faults = checkRow(target, data, row, now);
    if (faults.length > 0) errors.push(...faults);
    else rows.push({ row, data });
  });
  return { rows, errors };
}

/**
 * Rows the wizard sends per import_batch call: at most the server's IMPORT_MAX_BATCH_ROWS, and few enough that a
 * batch of members (each registration runs the member triggers: form check, balance, audit, tier benefits) ends
 * well inside the API's statement timeout.
 */
export const IMPORT_SEND_ROWS = Math.min(250, IMPORT_MAX_BATCH_ROWS);

/** Splits rows into batches of at most `size`. */
export function batches<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
