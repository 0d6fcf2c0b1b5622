import type { FieldSpec, FormatContext, JsonSchema } from "./module.ts";

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export const withDefault = (field: FieldSpec, schema: JsonSchema): JsonSchema =>
  field.default !== undefined && field.default !== "" ? { ...schema, default: field.default } : schema;

export const withRange = (field: FieldSpec, schema: JsonSchema): JsonSchema => ({
  ...schema,
  ...(isNum(field.min) ? { minimum: field.min } : {}),
  ...(isNum(field.max) ? { maximum: field.max } : {}),
});

export const withLength = (field: FieldSpec, schema: JsonSchema): JsonSchema => ({
  ...schema,
  ...(isNum(field.min) ? { minLength: field.min } : {}),
  ...(isNum(field.max) ? { maxLength: field.max } : {}),
  ...(field.pattern ? { pattern: field.pattern } : {}),
});

export const optionValues = (field: FieldSpec) => (field.options ?? []).map((o) => o.value);

export const widgetOf = (ui: Record<string, unknown>) => ui["ui:widget"];

/** Plain text of any value: lists joined with 、, objects as JSON. */
export function plainText(value: unknown): string {
  if (Array.isArray(value)) return value.join("、") || "—";
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

export const countText = (value: unknown, context: FormatContext) => (typeof value === "number" ? context.count(value) : String(value));

export const TEXT_FILTER = { control: "text", operator: "contains" } as const;
export const EXACT_FILTER = { control: "text", operator: "eq" } as const;
