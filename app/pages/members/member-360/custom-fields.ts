import type { TFunction } from "i18next";
import type { FormDefinition } from "../../../lib/types";

/** A custom field's title from the published member form (English title when there is one), else its key. */
export function fieldTitle(form: FormDefinition | undefined, key: string, language: string): string {
  const property = form?.schema.properties?.[key];
  return (language === "en" && property?.title_en) || property?.title || key;
}

/** A custom value as text: enum labels from the uiSchema, yes/no, lists joined, objects as JSON. */
export function fieldValue(form: FormDefinition | undefined, key: string, value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === "") return "—";
  const options = form?.schema.properties?.[key]?.enum;
  const labels = (form?.ui_schema[key] as { "ui:enumNames"?: string[] } | undefined)?.["ui:enumNames"];
  const label = (item: unknown) => {
    const index = options ? options.indexOf(item) : -1;
    return index >= 0 && labels?.[index] ? labels[index] : String(item);
  };
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (Array.isArray(value)) return value.map(label).join("、") || "—";
  if (typeof value === "object") return JSON.stringify(value);
  return label(value);
}
