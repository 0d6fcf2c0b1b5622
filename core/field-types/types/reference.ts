import { UUID_PATTERN } from "../../enums/patterns.ts";
import { plainText, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A row of another resource named in `ui:options.resource` (e.g. tiers), shown by name; not in the palette. */
export const referenceType = {
  name: "reference",
  position: 150,
  recognition: 10,
  palette: false,
  widget: "ReferenceWidget",
  recognises: (_schema, ui) => widgetOf(ui) === "ReferenceWidget",
  fragment: () => ({ type: "string", pattern: UUID_PATTERN }),
  builder: {},
  format: plainText,
  filter: { control: "reference", operator: "eq" },
  references: (ui) => (ui["ui:options"] as { resource?: string } | undefined)?.resource,
} satisfies FieldTypeModule<"reference">;
