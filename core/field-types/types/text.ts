import { plainText, TEXT_FILTER, withDefault, withLength, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** One line of text. */
export const textType = {
  name: "text",
  position: 10,
  recognition: 100,
  palette: true,
  // Strings of a known format (date, date-time, email) are recognised by their own types first.
  recognises: (schema, ui) => schema?.type === "string" && widgetOf(ui) !== "textarea",
  fragment: (field) => withDefault(field, withLength(field, { type: "string" })),
  builder: { limits: "length", precision: 0, pattern: true, placeholder: true, default: "text" },
  format: plainText,
  filter: TEXT_FILTER,
} satisfies FieldTypeModule<"text">;
