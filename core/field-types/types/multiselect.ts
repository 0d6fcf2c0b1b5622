import { optionValues } from "../fragment.ts";
import type { FieldTypeModule, JsonSchema } from "../module.ts";

/** Several of a list of options (`type: array` with `enum` items). */
export const multiselectType = {
  name: "multiselect",
  position: 90,
  recognition: 30,
  palette: true,
  recognises: (schema) => schema?.type === "array" && Array.isArray((schema.items as JsonSchema | undefined)?.enum),
  fragment: (field) => ({ type: "array", items: { type: "string", enum: optionValues(field) }, uniqueItems: true }),
  builder: { options: "items" },
  format: (value, context) =>
    Array.isArray(value) ? value.map((v) => context.optionLabel(v) ?? String(v)).join("、") || "—" : String(value),
  filter: { control: "options", operator: "contains" },
} satisfies FieldTypeModule<"multiselect">;
