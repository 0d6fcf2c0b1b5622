/**
 * The JSON-logic subset a flow step's condition may use, as SQL checks and evaluates it
 * (private.flow_condition_problem, private.flow_value, private.flow_truthy, private.flow_compare in
 * supabase/migrations/20261203000500_approvals.sql). The flow editor validates as the administrator types and
 * previews a condition with these; the server refuses the same conditions anyway.
 * tests/db/flow-conditions-parity.test.ts checks both sides agree case by case.
 */

/** The operations a condition may use. */
export const FLOW_CONDITION_OPERATORS = ["var", "and", "or", "!", "!!", "==", "!=", "===", "!==", ">", ">=", "<", "<=", "in"] as const;
export type FlowConditionOperator = (typeof FLOW_CONDITION_OPERATORS)[number];

/** Deepest nesting and largest size (characters of its JSON text as Postgres prints it) of a condition. */
export const FLOW_CONDITION_LIMITS = { maxDepth: 16, maxLength: 4096 } as const;

/** The fields a condition reads besides the request's own data (private.approval_condition_data). */
export const FLOW_CONDITION_FIELDS = ["points_abs", "points", "business_unit", "reason_category", "lot_kind", "kind", "key"] as const;

const VAR_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

/** Why a condition is refused: the kind of fault and, where there is one, the operation at fault. */
export type FlowConditionProblem =
  | { problem: "too_deep" }
  | { problem: "too_long" }
  | { problem: "one_key" }
  | { problem: "operator"; operator: string }
  | { problem: "var_name" };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The length of `value`'s text as Postgres prints a jsonb (", " and ": " between items). */
export function jsonbTextLength(value: unknown): number {
  if (Array.isArray(value)) return 2 + value.reduce<number>((n, item, i) => n + jsonbTextLength(item) + (i ? 2 : 0), 0);
  if (isObject(value)) {
    return 2 + Object.entries(value).reduce<number>((n, [key, item], i) => n + JSON.stringify(key).length + 2 + jsonbTextLength(item) + (i ? 2 : 0), 0);
  }
  return JSON.stringify(value ?? null).length;
}

function problemAt(logic: unknown, depth: number): FlowConditionProblem | null {
  if (depth > FLOW_CONDITION_LIMITS.maxDepth) return { problem: "too_deep" };
  if (Array.isArray(logic)) {
    for (const item of logic) {
      const found = problemAt(item, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(logic)) return null;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return { problem: "one_key" };
  const [op] = keys;
  if (!(FLOW_CONDITION_OPERATORS as readonly string[]).includes(op)) return { problem: "operator", operator: op.slice(0, 40) };
  const args = logic[op];
  if (op === "var") {
    const name = Array.isArray(args) ? args[0] : args;
    return typeof name === "string" && VAR_NAME.test(name) ? null : { problem: "var_name" };
  }
  return problemAt(args, depth + 1);
}

/** What is wrong with a condition (null or absent: the step always applies), or null when SQL accepts it. */
export function flowConditionProblem(logic: unknown): FlowConditionProblem | null {
  if (logic === null || logic === undefined) return null;
  if (jsonbTextLength(logic) > FLOW_CONDITION_LIMITS.maxLength) return { problem: "too_long" };
  return problemAt(logic, 0);
}

/** Truthiness as private.flow_truthy. */
export function flowTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
/** A value as Postgres's `#>> '{}'` prints it. */
const asText = (value: Json): string => (typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value));

/** -1, 0 or 1 as private.flow_compare: numbers (and numeric text) as numbers, anything else as text; null when a side is null. */
export function flowCompare(left: Json | undefined, right: Json | undefined): number | null {
  if (left === null || left === undefined || right === null || right === undefined) return null;
  const [l, r] = [asText(left), asText(right)];
  if (NUMERIC.test(l) && NUMERIC.test(r)) return Math.sign(Number(l) - Number(r));
  return l < r ? -1 : l > r ? 1 : 0;
}

function readVar(data: Json, path: string): Json | undefined {
  let current: Json | undefined = data;
  for (const part of path.split(".")) {
    if (Array.isArray(current) && /^-?\d+$/.test(part)) current = current[Number(part) < 0 ? current.length + Number(part) : Number(part)];
    else if (isObject(current) && Object.hasOwn(current, part)) current = current[part];
    else return undefined;
  }
  return current;
}

/** The value of a condition over `data`, as private.flow_value. Throws on an operation outside the subset. */
export function flowValue(logic: unknown, data: unknown): Json {
  if (!isObject(logic)) return logic as Json;
  const op = Object.keys(logic)[0];
  const raw = logic[op];
  const args: Json[] = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case "var": {
      const found = readVar(data as Json, String(args[0]));
      return found !== undefined ? found : (args[1] ?? null);
    }
    case "and":
    case "or": {
      let value: Json = null;
      for (const arg of args) {
        value = flowValue(arg, data);
        if (flowTruthy(value) === (op === "or")) return value;
      }
      return value;
    }
    case "!":
      return !flowTruthy(flowValue(args[0], data));
    case "!!":
      return flowTruthy(flowValue(args[0], data));
    case "==":
    case "===":
    case "!=":
    case "!==":
    case ">":
    case ">=":
    case "<":
    case "<=": {
      for (let i = 0; i < args.length - 1; i++) {
        const cmp = flowCompare(flowValue(args[i], data), flowValue(args[i + 1], data));
        const holds = cmp === null ? op === "!=" || op === "!==" : COMPARE[op](cmp);
        if (!holds) return false;
      }
      return true;
    }
    case "in": {
      const value = flowValue(args[0], data);
      const list = flowValue(args[1], data);
      if (Array.isArray(list)) return list.some((item) => flowCompare(item, value) === 0);
      return typeof list === "string" && value !== null && list.includes(asText(value));
    }
    default:
      throw Object.assign(new Error(`operation "${op}" is not allowed in flow conditions`), { hint: "flow_condition_invalid" });
  }
}

const COMPARE: Record<string, (cmp: number) => boolean> = {
  "==": (c) => c === 0,
  "===": (c) => c === 0,
  "!=": (c) => c !== 0,
  "!==": (c) => c !== 0,
  ">": (c) => c > 0,
  ">=": (c) => c >= 0,
  "<": (c) => c < 0,
  "<=": (c) => c <= 0,
};

/** Whether a step with this condition applies to a request with this data. */
export const flowConditionHolds = (logic: unknown, data: unknown) =>
  logic === null || logic === undefined || flowTruthy(flowValue(logic, data));
