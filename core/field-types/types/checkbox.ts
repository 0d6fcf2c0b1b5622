import type { FieldTypeModule } from "../module.ts";

/** Yes or no (`type: boolean`). */
export const checkboxType = {
  name: "checkbox",
  position: 100,
  recognition: 20,
  palette: true,
  recognises: (schema) => schema?.type === "boolean",
  fragment: (field) => ({ type: "boolean", ...(typeof field.default === "boolean" ? { default: field.default } : {}) }),
  builder: { default: "switch", controlsVisibility: true },
  format: (value, context) => (value ? context.yes : context.no),
  filter: { control: "yesNo", operator: "eq" },
} satisfies FieldTypeModule<"checkbox">;
