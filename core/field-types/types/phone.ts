import { PHONE_PATTERN } from "../../enums/patterns.ts";
import { plainText, TEXT_FILTER, withDefault, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A mainland mobile number. */
export const phoneType = {
  name: "phone",
  position: 110,
  recognition: 10,
  palette: true,
  widget: "PhoneWidget",
  recognises: (_schema, ui) => widgetOf(ui) === "PhoneWidget",
  fragment: (field) => withDefault(field, { type: "string", pattern: PHONE_PATTERN }),
  builder: { placeholder: true },
  format: plainText,
  filter: TEXT_FILTER,
} satisfies FieldTypeModule<"phone">;
