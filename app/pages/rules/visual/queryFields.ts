import type { TFunction } from "i18next";
import type { Field, Translations } from "react-querybuilder";
import { operatorsFor, type BuilderField } from "../../../../core/rule-builder/fields.ts";
import type { ValueLists } from "./useValueLists";

/** A builder field's label in the user's language. */
export const fieldLabel = (f: BuilderField, t: TFunction) =>
  f.of ? t(f.label, { field: t(f.of.field), other: f.of.other ? t(f.of.other) : "" }) : t(f.label);

const LIST_OPERATORS = new Set(["in", "notIn"]);

/** react-querybuilder fields: labels, operators (in Chinese by default), value editors and value lists. */
export function queryFields(fields: readonly BuilderField[], lists: ValueLists, t: TFunction): Field[] {
  const dateTimes = fields.filter((f) => f.type === "presence").map((f) => f.name);
  return fields.map((f) => {
    const values = f.values ? lists[f.values] : undefined;
    const numeric = f.type === "number" || f.type === "integer";
    const field: Field = {
      name: f.name,
      value: f.name,
      label: fieldLabel(f, t),
      operators: operatorsFor(f).map((op) => ({ name: op, value: op, label: t(`ruleBuilder.operators.${op}`) })),
      inputType: numeric && !values ? "number" : f.type === "date" ? "date" : "text",
      defaultOperator: f.type === "string[]" ? "has_tag" : f.type === "presence" ? "notNull" : "=",
    };
    if (values) {
      field.values = values.map((v) => ({ ...v }));
      field.valueEditorType = (op: string) => (LIST_OPERATORS.has(op) ? "multiselect" : op === "between" || op === "notBetween" ? "text" : "select");
    }
    if (f.name === "member.birthday") {
      field.valueSources = (op: string) => (op === "is_birthday_month" ? ["field"] : ["value"]);
      field.comparator = (other: Field) => dateTimes.includes(other.name);
    }
    return field;
  });
}

/** The query builder's own texts. */
export function queryTranslations(t: TFunction): Partial<Translations> {
  const c = (key: string) => t(`ruleBuilder.controls.${key}`);
  return {
    addRule: { label: `+ ${c("addRule")}`, title: c("addRule") },
    addGroup: { label: `+ ${c("addGroup")}`, title: c("addGroup") },
    removeRule: { label: "⨯", title: c("remove") },
    removeGroup: { label: "⨯", title: c("remove") },
    notToggle: { label: c("not"), title: c("not") },
    fields: { title: c("fields") },
    operators: { title: c("operators") },
    value: { title: c("value") },
    combinators: { title: t("ruleBuilder.combinators.and") },
    valueSourceSelector: { title: c("value") },
    dragHandle: { label: "⁞⁞", title: c("dragHandle") },
    cloneRule: { label: "⧉", title: c("cloneRule") },
    cloneRuleGroup: { label: "⧉", title: c("cloneRule") },
    lockRule: { label: "🔓", title: c("lock") },
    lockGroup: { label: "🔓", title: c("lock") },
    lockRuleDisabled: { label: "🔒", title: c("lock") },
    lockGroupDisabled: { label: "🔒", title: c("lock") },
  };
}
