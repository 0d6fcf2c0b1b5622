/**
 * The rule builder's virtual fields: expressions over context fields that the visual editor shows as
 * one field. `date:F` is the calendar date of the date-time F in the programme's zone
 * (`add_days(F, 0)`, so comparing with "YYYY-MM-DD" is correct), `tier_rank:F` the rank of a tier code,
 * `days_between:A|B` the whole days from A to B.
 */
type Logic = unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const onlyKey = (v: Record<string, unknown>) => {
  const keys = Object.keys(v);
  return keys.length === 1 ? keys[0] : null;
};
const varName = (v: unknown): string | null =>
  isObject(v) && onlyKey(v) === "var" && typeof v.var === "string" && !v.var.includes(":") ? v.var : null;

/** Rewrites the supported expressions into `{"var": "<virtual name>"}` (before parseJsonLogic). */
export function encodeVirtual(logic: Logic): Logic {
  if (Array.isArray(logic)) return logic.map(encodeVirtual);
  if (!isObject(logic)) return logic;
  const op = onlyKey(logic);
  const args = op ? logic[op] : undefined;
  if (op && Array.isArray(args)) {
    if (op === "add_days" && args.length === 2 && args[1] === 0 && varName(args[0])) return { var: `date:${varName(args[0])}` };
    if (op === "tier_rank" && args.length === 1 && varName(args[0])) return { var: `tier_rank:${varName(args[0])}` };
    if (op === "days_between" && args.length === 2 && varName(args[0]) && varName(args[1])) {
      return { var: `days_between:${varName(args[0])}|${varName(args[1])}` };
    }
  }
  return Object.fromEntries(Object.entries(logic).map(([k, v]) => [k, encodeVirtual(v)]));
}

/** The expression a virtual field name stands for (plain names are plain `var`s). */
export function virtualExpression(name: string): Logic {
  const colon = name.indexOf(":");
  if (colon < 0) return { var: name };
  const kind = name.slice(0, colon);
  const rest = name.slice(colon + 1);
  if (kind === "date") return { add_days: [{ var: rest }, 0] };
  if (kind === "tier_rank") return { tier_rank: [{ var: rest }] };
  if (kind === "days_between") {
    const [a, b] = rest.split("|");
    return { days_between: [{ var: a }, { var: b }] };
  }
  return { var: name };
}

/** Rewrites virtual `var`s back into their expressions (after formatQuery). */
export function decodeVirtual(logic: Logic): Logic {
  if (Array.isArray(logic)) return logic.map(decodeVirtual);
  if (!isObject(logic)) return logic;
  if (onlyKey(logic) === "var" && typeof logic.var === "string") return virtualExpression(logic.var);
  return Object.fromEntries(Object.entries(logic).map(([k, v]) => [k, decodeVirtual(v)]));
}
