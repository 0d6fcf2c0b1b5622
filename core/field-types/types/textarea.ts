import { plainText, TEXT_FILTER, withDefault, withLength, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** Several lines of text. */
export const textareaType = {
  name: "textarea",
  position: 20,
  recognition: 90,
  palette: true,
  widget: "textarea",
  recognises: (schema, ui) => schema?.type === "string" && widgetOf(ui) === "textarea",
  fragment: (field) => withDefault(field, withLength(field, { type: "string" })),
  builder: { fullWidth: true, limits: "length", precision: 0, pattern: true, placeholder: true, default: "text" },
  format: plainText,
  filter: TEXT_FILTER,
} satisfies FieldTypeModule<"textarea">;
