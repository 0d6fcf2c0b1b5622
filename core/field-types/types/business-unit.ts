import { UUID_PATTERN } from "../../enums/patterns.ts";
import { plainText, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A business unit, shown by name. */
export const businessUnitType = {
  name: "business_unit",
  position: 140,
  recognition: 10,
  palette: true,
  widget: "BusinessUnitWidget",
  recognises: (_schema, ui) => widgetOf(ui) === "BusinessUnitWidget",
  fragment: () => ({ type: "string", pattern: UUID_PATTERN }),
  builder: {},
  format: plainText,
  filter: { control: "reference", operator: "eq" },
  references: () => "business_units",
} satisfies FieldTypeModule<"business_unit">;
