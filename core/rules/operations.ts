/**
 * The ONE registry of the project's custom JsonLogic operations.
 * Each is a pure function of (context, ...arguments); the compiler, the interpreter and the
 * json-logic-js adapter all read this table. Date policy: see dates.ts (program time zone,
 * default the business time zone). A bad argument throws a RuleEvaluationError naming the op and argument.
 */
import { civilFromDay, dayFromCivil, formatDay, monthOf, toDayNumber } from "./dates";
import { badArgument, RuleEvaluationError } from "./errors";

/** Installation settings the custom operations read. */
export interface OperationContext {
  /** IANA zone whose calendar dates the date operations use. */
  timeZone: string;
  /** Tier codes from lowest to highest; `tier_rank` returns the index. */
  tierLadder: readonly string[];
}

/**
 * The group's business time zone (Asia/Shanghai: core/time/business-zone.ts reads it from here, since core/rules
 * imports nothing) and the standard → silver → gold → diamond ladder.
 */
export const DEFAULT_CONTEXT: OperationContext = Object.freeze({
  timeZone: "Asia/Shanghai",
  tierLadder: Object.freeze(["standard", "silver", "gold", "diamond"]),
});

/** Fills the unset fields of a partial context with the defaults. */
export function resolveContext(context?: Partial<OperationContext>): OperationContext {
  if (!context || context === DEFAULT_CONTEXT) return DEFAULT_CONTEXT;
  if (context.timeZone && context.tierLadder) return context as OperationContext;
  return {
    timeZone: context.timeZone ?? DEFAULT_CONTEXT.timeZone,
    tierLadder: context.tierLadder ?? DEFAULT_CONTEXT.tierLadder,
  };
}

/** One entry of the registry. */
export interface CustomOperation {
  /** One line for rule builders: signature and meaning. */
  doc: string;
  minArgs: number;
  maxArgs: number;
  fn: (ctx: OperationContext, ...args: unknown[]) => unknown;
}

const DATE_EXPECTED = "an ISO date (YYYY-MM-DD) or date-time string";

type DateReader = (value: unknown, timeZone: string) => number | undefined;

function readDate(read: DateReader, op: string, argument: string, value: unknown, ctx: OperationContext): number {
  let result: number | undefined;
  try {
    result = read(value, ctx.timeZone);
  } catch {
    throw new RuleEvaluationError(op, `unknown time zone ${JSON.stringify(ctx.timeZone)}`);
  }
  return result ?? badArgument(op, argument, DATE_EXPECTED, value);
}

const day = (op: string, argument: string, value: unknown, ctx: OperationContext) => readDate(toDayNumber, op, argument, value, ctx);
const month = (op: string, argument: string, value: unknown, ctx: OperationContext) => readDate(monthOf, op, argument, value, ctx);

function iso(op: string, dayNumber: number): string {
  const text = formatDay(dayNumber);
  if (text === undefined) throw new RuleEvaluationError(op, "result is outside years 0000-9999");
  return text;
}

function finite(op: string, argument: string, value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : badArgument(op, argument, "a finite number", value);
}

function integer(op: string, argument: string, value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) ? value : badArgument(op, argument, "an integer", value);
}

/** Shifts the decimal point through the string form so 1.005 → 100.5 exactly (no binary drift). */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = "0"] = String(value).split("e");
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

function addDays(ctx: OperationContext, date: unknown, n: unknown): string {
  return iso("add_days", day("add_days", "date", date, ctx) + integer("add_days", "n", n));
}

/** n calendar months after date; a day past the end of the target month becomes its last day (Jan 31 + 1 → Feb 28/29). */
function addMonths(ctx: OperationContext, date: unknown, n: unknown): string {
  const [y, m, d] = civilFromDay(day("add_months", "date", date, ctx));
  const months = integer("add_months", "n", n);
  if (Math.abs(months) > 120_000) badArgument("add_months", "n", "an integer from -120000 to 120000", n);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = (month === 12 ? dayFromCivil(year + 1, 1, 1) : dayFromCivil(year, month + 1, 1)) - 1;
  return iso("add_months", Math.min(dayFromCivil(year, month, d), last));
}

function daysBetween(ctx: OperationContext, a: unknown, b: unknown): number {
  return day("days_between", "b", b, ctx) - day("days_between", "a", a, ctx);
}

function startOfMonth(ctx: OperationContext, date: unknown): string {
  const [y, m] = civilFromDay(day("start_of_month", "date", date, ctx));
  return iso("start_of_month", dayFromCivil(y, m, 1));
}

function endOfMonth(ctx: OperationContext, date: unknown): string {
  const [y, m] = civilFromDay(day("end_of_month", "date", date, ctx));
  return iso("end_of_month", (m === 12 ? dayFromCivil(y + 1, 1, 1) : dayFromCivil(y, m + 1, 1)) - 1);
}

function endOfYear(ctx: OperationContext, date: unknown): string {
  const [y] = civilFromDay(day("end_of_year", "date", date, ctx));
  return iso("end_of_year", dayFromCivil(y, 12, 31));
}

function isBirthdayMonth(ctx: OperationContext, birthday: unknown, date: unknown): boolean {
  const eventMonth = month("is_birthday_month", "date", date, ctx);
  if (birthday === null || birthday === undefined) return false; // a member without a birthday has no birthday month
  return month("is_birthday_month", "birthday", birthday, ctx) === eventMonth;
}

function floor(_ctx: OperationContext, x: unknown): number {
  return Math.floor(finite("floor", "x", x)) + 0; // + 0 turns -0 into 0
}

function round(_ctx: OperationContext, x: unknown, digits: unknown = 0): number {
  const value = finite("round", "x", x);
  const places = integer("round", "digits", digits);
  if (places < -15 || places > 15) badArgument("round", "digits", "an integer from -15 to 15", digits);
  const scaled = places === 0 ? Math.abs(value) : shiftDecimal(Math.abs(value), places);
  if (!Number.isFinite(scaled)) return value; // so large it has no digits at that position
  // Math.round on the magnitude rounds halves up, i.e. away from zero once the sign is put back.
  const magnitude = places === 0 ? Math.round(scaled) : shiftDecimal(Math.round(scaled), -places);
  return (value < 0 ? -magnitude : magnitude) + 0;
}

function tierRank(ctx: OperationContext, code: unknown, ladder?: unknown): number {
  const tiers = ladder === undefined || ladder === null ? ctx.tierLadder : ladder;
  if (!Array.isArray(tiers)) badArgument("tier_rank", "ladder", "an array of tier codes", ladder);
  if (code === null || code === undefined) return -1;
  if (typeof code !== "string") badArgument("tier_rank", "code", "a tier code string", code);
  return (tiers as readonly unknown[]).indexOf(code);
}

function hasTag(_ctx: OperationContext, tags: unknown, tag: unknown): boolean {
  if (typeof tag !== "string") badArgument("has_tag", "tag", "a string", tag);
  if (tags === null || tags === undefined) return false; // no tags recorded
  if (!Array.isArray(tags)) badArgument("has_tag", "tags", "an array of strings", tags);
  for (let i = 0; i < tags.length; i++) if (tags[i] === tag) return true; // as includes: tag is a string
  return false;
}

/** The registry. Keys are the operation names used in rules. */
export const customOperations: Readonly<Record<string, CustomOperation>> = Object.freeze({
  add_days: { doc: "add_days(date, n): the ISO date n days after date (n < 0 goes back).", minArgs: 2, maxArgs: 2, fn: addDays },
  add_months: {
    doc: "add_months(date, n): the ISO date n calendar months after date, kept within the target month (n < 0 goes back).",
    minArgs: 2, maxArgs: 2, fn: addMonths,
  },
  days_between: { doc: "days_between(a, b): whole calendar days from a to b (b − a).", minArgs: 2, maxArgs: 2, fn: daysBetween },
  start_of_month: { doc: "start_of_month(date): the first day of date's month.", minArgs: 1, maxArgs: 1, fn: startOfMonth },
  end_of_month: { doc: "end_of_month(date): the last day of date's month.", minArgs: 1, maxArgs: 1, fn: endOfMonth },
  end_of_year: { doc: "end_of_year(date): December 31 of date's year.", minArgs: 1, maxArgs: 1, fn: endOfYear },
  is_birthday_month: {
    doc: "is_birthday_month(birthday, date): true when both fall in the same month; false when birthday is null.",
    minArgs: 2, maxArgs: 2, fn: isBirthdayMonth,
  },
  floor: { doc: "floor(x): the largest integer ≤ x.", minArgs: 1, maxArgs: 1, fn: floor },
  round: {
    doc: "round(x, digits = 0): x rounded to digits decimals, halves away from zero (2.5 → 3, -2.5 → -3).",
    minArgs: 1, maxArgs: 2, fn: round,
  },
  tier_rank: {
    doc: "tier_rank(code, ladder?): position of code in the tier ladder (default standard 0 … diamond 3), -1 if unknown.",
    minArgs: 1, maxArgs: 2, fn: tierRank,
  },
  has_tag: { doc: "has_tag(tags, tag): true when the tag list contains tag; false when tags is null.", minArgs: 2, maxArgs: 2, fn: hasTag },
});

/** The registered operation of that name, if any (own properties only). */
export function getCustomOperation(name: string): CustomOperation | undefined {
  return Object.prototype.hasOwnProperty.call(customOperations, name) ? customOperations[name] : undefined;
}

/** The custom operations as plain functions for `jsonLogic.add_operation`, bound to one context. */
export function jsonLogicOperations(context?: Partial<OperationContext>): Record<string, (...args: unknown[]) => unknown> {
  const ctx = resolveContext(context);
  const result: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, op] of Object.entries(customOperations)) result[name] = (...args) => op.fn(ctx, ...args);
  return result;
}
