import { plainText, withDefault } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A calendar date (YYYY-MM-DD). */
export const dateType = {
  name: "date",
  position: 60,
  recognition: 60,
  palette: true,
  recognises: (schema) => schema?.type === "string" && schema.format === "date",
  fragment: (field) => withDefault(field, { type: "string", format: "date" }),
  builder: { default: "text" },
  format: plainText,
  filter: { control: "dateRange", operator: "range", bounds: "day" },
} satisfies FieldTypeModule<"date">;
