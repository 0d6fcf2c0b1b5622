import type { ContextField, ContextValues } from "../rule-kinds/module.ts";

/** A field the visual condition editor offers: a context field or a virtual one (condition-vars.ts). */
export interface BuilderField {
  /** The name in the query (a `var` path or a virtual name). */
  name: string;
  /** i18n key of its label; `of` names the context field(s) it is computed from (their label keys). */
  label: string;
  of?: { field: string; other?: string };
  /** `presence`: a date-time itself, only checked for being empty or not. */
  type: "number" | "integer" | "string" | "date" | "string[]" | "presence";
  /** Where its allowed values come from (a select instead of free input). */
  values?: ContextValues | "tierRanks";
}

const DATE_TYPES = new Set(["date", "date-time"]);

/** The fields a kind's conditions may use, from its context (once for every kind). */
export function builderFields(context: readonly ContextField[]): BuilderField[] {
  const out: BuilderField[] = [];
  const now = context.find((f) => f.path === "now");
  for (const f of context) {
    if (f.type === "array") continue;
    if (f.type === "date-time") {
      out.push({ name: `date:${f.path}`, label: "ruleBuilder.fields.dateOf", of: { field: f.label }, type: "date" });
      out.push({ name: f.path, label: f.label, type: "presence" });
    }
    else out.push({ name: f.path, label: f.label, type: f.type, values: f.values });
    if (f.path === "member.tier") {
      out.push({ name: `tier_rank:${f.path}`, label: "ruleBuilder.fields.tierRank", of: { field: f.label }, type: "integer", values: "tierRanks" });
    }
  }
  if (now) {
    for (const f of context) {
      if (f === now || !DATE_TYPES.has(f.type)) continue;
      out.push({ name: `days_between:${f.path}|${now.path}`, label: "ruleBuilder.fields.daysSince", of: { field: f.label, other: now.label }, type: "integer" });
    }
  }
  return out;
}

/** The operators offered per field type (react-querybuilder names; custom ones are ours). */
export const OPERATORS_BY_TYPE: Record<BuilderField["type"], readonly string[]> = {
  number: ["=", "!=", "<", "<=", ">", ">=", "between", "notBetween", "null", "notNull"],
  integer: ["=", "!=", "<", "<=", ">", ">=", "between", "notBetween", "in", "notIn", "null", "notNull"],
  string: ["=", "!=", "in", "notIn", "null", "notNull"],
  date: ["=", "!=", "<", "<=", ">", ">=", "between", "notBetween", "null", "notNull"],
  "string[]": ["has_tag", "null", "notNull"],
  presence: ["null", "notNull"],
};

/** Operators only some fields take (custom operations of core/rules/operations.ts). */
export function operatorsFor(field: BuilderField): readonly string[] {
  const base = OPERATORS_BY_TYPE[field.type];
  return field.name === "member.birthday" ? [...base, "is_birthday_month"] : base;
}
