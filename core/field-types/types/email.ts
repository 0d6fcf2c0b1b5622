import { plainText, TEXT_FILTER, withDefault } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** An email address. */
export const emailType = {
  name: "email",
  position: 120,
  recognition: 80,
  palette: true,
  recognises: (schema) => schema?.type === "string" && schema.format === "email",
  fragment: (field) => withDefault(field, { type: "string", format: "email" }),
  builder: { placeholder: true },
  format: plainText,
  filter: TEXT_FILTER,
} satisfies FieldTypeModule<"email">;
