import { UUID_PATTERN } from "../../enums/patterns.ts";
import { EXACT_FILTER, plainText, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A member, picked by phone, number or name; shown by name and member number. */
export const memberType = {
  name: "member",
  position: 130,
  recognition: 10,
  palette: true,
  widget: "MemberPickerWidget",
  recognises: (_schema, ui) => widgetOf(ui) === "MemberPickerWidget",
  fragment: () => ({ type: "string", pattern: UUID_PATTERN }),
  builder: {},
  format: plainText,
  filter: EXACT_FILTER,
  references: () => "members",
} satisfies FieldTypeModule<"member">;
