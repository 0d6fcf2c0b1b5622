import { optionValues, withDefault } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** One of a list of options (JSON Schema `enum`). */
export const selectType = {
  name: "select",
  position: 80,
  recognition: 40,
  palette: true,
  recognises: (schema) => !!schema && schema.type !== "array" && schema.type !== "boolean" && Array.isArray(schema.enum),
  fragment: (field) => withDefault(field, { type: "string", enum: optionValues(field) }),
  builder: { options: "value", default: "option", controlsVisibility: true },
  format: (value, context) => context.optionLabel(value) ?? String(value),
  filter: { control: "options", operator: "eq" },
} satisfies FieldTypeModule<"select">;
