/**
 * A condition (JSON-logic) ↔ a react-querybuilder query, through its own JSON-logic import/export
 * (parseJsonLogic, formatQuery "jsonlogic") plus our custom operations (has_tag, is_birthday_month)
 * and virtual fields (condition-vars.ts). Whether a condition is representable is decided by the
 * caller (rule-model.ts): the round trip must give back the same JSON.
 */
import { defaultRuleProcessorJsonLogic, formatQuery } from "react-querybuilder/formatQuery";
import { parseJsonLogic } from "react-querybuilder/parseJsonLogic";
import type { RuleGroupType, RuleProcessor, RuleType } from "react-querybuilder";
import { decodeVirtual, encodeVirtual } from "./condition-vars.ts";
import { operatorsFor, type BuilderField } from "./fields.ts";

export type ConditionQuery = RuleGroupType;

const varOf = (v: unknown): string | null =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { var?: unknown }).var === "string" ? (v as { var: string }).var : null;

/** Custom operations read as one rule each (parseJsonLogic's jsonLogicOperations). */
const CUSTOM_IMPORT: Record<string, (args: unknown) => RuleType | false> = {
  has_tag: (args) => {
    if (!Array.isArray(args) || args.length !== 2 || !varOf(args[0]) || typeof args[1] !== "string") return false;
    return { field: varOf(args[0])!, operator: "has_tag", value: args[1] };
  },
  is_birthday_month: (args) => {
    if (!Array.isArray(args) || args.length !== 2 || !varOf(args[0]) || !varOf(args[1])) return false;
    return { field: varOf(args[0])!, operator: "is_birthday_month", value: varOf(args[1])!, valueSource: "field" };
  },
};

const ruleProcessor: RuleProcessor = (rule, options) => {
  if (rule.operator === "has_tag") return { has_tag: [{ var: rule.field }, rule.value] };
  if (rule.operator === "is_birthday_month") return { is_birthday_month: [{ var: rule.field }, { var: rule.value }] };
  return defaultRuleProcessorJsonLogic(rule, options);
};

/** The query a condition reads as, or null when it is not one the editor knows. */
export function conditionToQuery(condition: unknown, fields: readonly BuilderField[]): ConditionQuery | null {
  if (typeof condition !== "object" || condition === null || Array.isArray(condition)) return null;
  try {
    const query = parseJsonLogic(encodeVirtual(condition) as Parameters<typeof parseJsonLogic>[0], {
      fields: fields.map((f) => ({ name: f.name, value: f.name, label: f.name, valueSources: f.name === "member.birthday" ? ["value", "field"] : ["value"] })),
      jsonLogicOperations: CUSTOM_IMPORT,
      listsAsArrays: true,
    });
    return offersEveryOperator(query, fields) ? query : null;
  } catch {
    return null;
  }
}

/** Whether every rule uses an operator its field offers (parseJsonLogic checks only the fields). */
function offersEveryOperator(group: RuleGroupType, fields: readonly BuilderField[]): boolean {
  return group.rules.every((r) => {
    if (typeof r === "string") return false;
    if ("rules" in r) return offersEveryOperator(r, fields);
    const field = fields.find((f) => f.name === r.field);
    return !!field && operatorsFor(field).includes(r.operator);
  });
}

const NUMERIC = new Set(["number", "integer"]);

/** Turns typed-in numbers of numeric fields into numbers (the inputs give strings). */
function numerify(query: ConditionQuery, fields: readonly BuilderField[]): ConditionQuery {
  const numeric = new Set(fields.filter((f) => NUMERIC.has(f.type)).map((f) => f.name));
  const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
  const walk = (group: RuleGroupType): RuleGroupType => ({
    ...group,
    rules: group.rules.map((r) => {
      if ("rules" in r) return walk(r);
      if (typeof r === "string" || !numeric.has(r.field) || r.valueSource === "field") return r;
      return { ...r, value: Array.isArray(r.value) ? r.value.map(num) : num(r.value) };
    }),
  });
  return walk(query);
}

/** The JSON-logic of a query: a lone rule without a group around it, an empty query as `true`. */
export function queryToCondition(query: ConditionQuery, fields: readonly BuilderField[]): unknown {
  const logic = formatQuery(numerify(query, fields), { format: "jsonlogic", ruleProcessor }) as unknown;
  let result: unknown = logic === false ? true : logic;
  if (typeof result === "object" && result !== null && !Array.isArray(result)) {
    const keys = Object.keys(result);
    const list = (result as Record<string, unknown>).and;
    if (keys.length === 1 && keys[0] === "and" && Array.isArray(list) && list.length === 1) result = list[0];
  }
  return decodeVirtual(result);
}
