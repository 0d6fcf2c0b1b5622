import { countText, withDefault, withRange, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A whole number of points. */
export const pointsType = {
  name: "points",
  position: 50,
  recognition: 10,
  palette: true,
  widget: "PointsWidget",
  recognises: (_schema, ui) => widgetOf(ui) === "PointsWidget",
  fragment: (field) => withDefault(field, withRange(field, { type: "integer" })),
  builder: { limits: "range", default: "number" },
  format: countText,
  filter: { control: "numberRange", operator: "range" },
} satisfies FieldTypeModule<"points">;
