/**
 * The fields a flow step's condition reads (FLOW_CONDITION_FIELDS, private.approval_condition_data), as the visual
 * condition editor offers them: type, value list and label key (approvals.conditionFields.*), and the operators the
 * flow subset evaluates (no between: SQL compares two operands).
 */
import { conditionToQuery, queryToCondition, type ConditionQuery } from "../rule-builder/condition.ts";
import { isDeepStrictEqual } from "../rule-builder/deep-equal.ts";
import type { BuilderField } from "../rule-builder/fields.ts";
import { FLOW_CONDITION_FIELDS } from "./flow-conditions.ts";

type FlowField = (typeof FLOW_CONDITION_FIELDS)[number];

const SHAPES: Record<FlowField, Pick<BuilderField, "type" | "values">> = {
  points_abs: { type: "integer" },
  points: { type: "integer" },
  business_unit: { type: "string", values: "businessUnits" },
  reason_category: { type: "string" },
  lot_kind: { type: "string", values: "lotKinds" },
  kind: { type: "string" },
  key: { type: "string" },
};

export const FLOW_BUILDER_FIELDS: readonly BuilderField[] = FLOW_CONDITION_FIELDS.map((name) => ({
  name, label: `approvals.conditionFields.${name}`, ...SHAPES[name],
}));

/** The visual editor's operators a flow condition may use (they export to ==, !=, <, <=, >, >=, in and !). */
export const FLOW_BUILDER_OPERATORS: readonly string[] = ["=", "!=", "<", "<=", ">", ">=", "in", "notIn"];

/**
 * The visual query of a condition, or null when the editor cannot show it exactly (then it stays in the JSON view
 * only): as for rules, the query must write back exactly the stored JSON.
 */
export function flowConditionQuery(condition: unknown): ConditionQuery | null {
  const query = conditionToQuery(condition, FLOW_BUILDER_FIELDS);
  if (!query) return null;
  try {
    return isDeepStrictEqual(queryToCondition(query, FLOW_BUILDER_FIELDS), condition) ? query : null;
  } catch {
    return null;
  }
}
