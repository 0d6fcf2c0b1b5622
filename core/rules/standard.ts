/**
 * The standard JsonLogic operations, with json-logic-js 2.0.5 semantics, except that data is read
 * through own, non-forbidden properties only and array work is charged to the evaluation budget.
 */
import { RuleEvaluationError, RuleLimitError } from "./errors";
import { charge, produced, spendMemory, state } from "./runtime";

/** Keys refused in rules and never read from data: they lead to prototypes. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Operations that evaluate their own arguments (branches, short circuits, per-element logic). */
export const LAZY_OPERATIONS: ReadonlySet<string> = new Set([
  "if", "?:", "and", "or", "filter", "map", "reduce", "all", "none", "some",
]);

const hasOwn = Object.prototype.hasOwnProperty;

/** JsonLogic truthiness: like JavaScript, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : !!value;
}

/** A property of data if it is its own and not forbidden; otherwise undefined. */
export function ownValue(data: unknown, key: string): unknown {
  if (data === null || data === undefined || !hasOwn.call(data, key) || FORBIDDEN_KEYS.has(key)) return undefined;
  return (data as Record<string, unknown>)[key];
}

/** `var`: the value at a dotted path, or notFound when any step is missing. */
export function lookup(data: unknown, path: unknown, notFound: unknown): unknown {
  if (path === undefined || path === "" || path === null) return data;
  let current = data;
  for (const segment of String(path).split(".")) {
    if (current === null || current === undefined) return notFound;
    current = ownValue(current, segment);
    if (current === undefined) return notFound;
  }
  return current;
}

/** Number casting of `+` and `*` (parseFloat; `+ 0` matches parseFloat turning -0 into 0). */
export function toNumber(value: unknown): number {
  return typeof value === "number" ? value + 0 : parseFloat(value as string);
}

/** `<` with an optional third operand (`x < y < z`, "between"); a missing z is two-operand `<`. */
export function lessThan(x: number, y: number, z?: number): boolean {
  return z === undefined ? x < y : x < y && y < z;
}

/** `<=` with an optional third operand, as lessThan. */
export function lessOrEqual(x: number, y: number, z?: number): boolean {
  return z === undefined ? x <= y : x <= y && y <= z;
}

/** `-`: subtraction, or negation when there is no second operand. */
export function subtract(x: number, y?: number): number {
  return y === undefined ? -x : x - y;
}

/** String conversion of `cat` (that of Array.prototype.join). */
export function toText(value: unknown): string {
  return value === null || value === undefined ? "" : typeof value === "string" ? value : String(value);
}

/** A string `cat` built: refused past the longest allowed, charged to the evaluation's memory. */
export function checkText(text: string): string {
  checkLength(text.length);
  spendMemory("cat", text.length);
  return text;
}

function checkLength(length: number): void {
  if (length > state.maxStringLength) {
    throw new RuleLimitError("cat", `result longer than ${state.maxStringLength} characters`, "string");
  }
}

/** `cat` of any number of values: the length is checked before the string is built. */
export function concat(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  let length = 0;
  for (let i = 0; i < values.length; i++) {
    parts[i] = toText(values[i]);
    checkLength((length += parts[i].length));
  }
  return checkText(parts.join(""));
}

export function inOp(needle: unknown, haystack: unknown): boolean {
  if (!haystack) return false;
  if (typeof haystack === "string") return haystack.indexOf(needle as string) !== -1;
  if (!Array.isArray(haystack)) return false;
  charge("in", haystack.length);
  return haystack.indexOf(needle) !== -1;
}

export function merge(args: readonly unknown[]): unknown[] {
  let size = 0;
  for (const a of args) size += Array.isArray(a) ? a.length : 1;
  charge("merge", size);
  return produced("merge", ([] as unknown[]).concat(...args));
}

export function missing(args: readonly unknown[], data: unknown): unknown[] {
  const keys = Array.isArray(args[0]) ? args[0] : args;
  charge("missing", keys.length);
  const result: unknown[] = [];
  for (const key of keys) {
    const value = lookup(data, key, null);
    if (value === null || value === "") result.push(key);
  }
  return result;
}

function missingSome(args: readonly unknown[], data: unknown): unknown[] {
  const [needCount, options] = args;
  if (!Array.isArray(options)) throw new RuleEvaluationError("missing_some", "argument 'options' must be an array of keys");
  const absent = missing(options, data);
  return options.length - absent.length >= (needCount as number) ? [] : absent;
}

function substr(source: unknown, start: unknown, end: unknown): string {
  const text = String(source);
  if ((end as number) < 0) {
    // JavaScript has no negative length; json-logic-js emulates PHP by trimming from the end.
    const temp = text.substr(start as number);
    return temp.substr(0, temp.length + (end as number));
  }
  return text.substr(start as number, end as number);
}

type Eager = (args: readonly unknown[], data: unknown) => unknown;
type N = number;

/** Operations applied to already evaluated arguments, as json-logic-js applies them. */
export const eagerOperations: ReadonlyMap<string, Eager> = new Map<string, Eager>([
  ["==", (a) => a[0] == a[1]],
  ["===", (a) => a[0] === a[1]],
  ["!=", (a) => a[0] != a[1]],
  ["!==", (a) => a[0] !== a[1]],
  [">", (a) => (a[0] as N) > (a[1] as N)],
  [">=", (a) => (a[0] as N) >= (a[1] as N)],
  ["<", ([x, y, z]) => lessThan(x as N, y as N, z as N)],
  ["<=", ([x, y, z]) => lessOrEqual(x as N, y as N, z as N)],
  ["!!", (a) => truthy(a[0])],
  ["!", (a) => !truthy(a[0])],
  ["%", (a) => (a[0] as N) % (a[1] as N)],
  ["log", (a) => a[0]],
  ["in", (a) => inOp(a[0], a[1])],
  ["cat", concat],
  ["substr", (a) => substr(a[0], a[1], a[2])],
  ["+", (a) => a.reduce((sum: number, v) => sum + toNumber(v), 0)],
  ["*", (a) => {
    if (a.length === 0) throw new RuleEvaluationError("*", "needs at least one argument");
    return a.reduce((product, v) => toNumber(product) * toNumber(v));
  }],
  ["-", ([x, y]) => subtract(x as N, y as N)],
  ["/", (a) => (a[0] as N) / (a[1] as N)],
  ["min", (a) => Math.min(...(a as N[]))],
  ["max", (a) => Math.max(...(a as N[]))],
  ["merge", (a) => merge(a)],
  ["var", ([path, fallback], data) => lookup(data, path, fallback === undefined ? null : fallback)],
  ["missing", missing],
  ["missing_some", missingSome],
]);

/** Whether a name is a standard JsonLogic operation. */
export function isStandardOperation(name: string): boolean {
  return LAZY_OPERATIONS.has(name) || eagerOperations.has(name);
}
