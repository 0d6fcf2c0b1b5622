import { countText, withDefault, withRange } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** A number (decimals allowed). */
export const numberType = {
  name: "number",
  position: 30,
  recognition: 50,
  palette: true,
  recognises: (schema) => schema?.type === "number" || schema?.type === "integer",
  fragment: (field) => withDefault(field, withRange(field, { type: "number" })),
  /** Whole numbers without a widget stay as they are; cents are money. */
  builderType: (schema) => (schema.type !== "number" ? "raw" : schema.multipleOf === 0.01 ? "money" : "number"),
  builder: { limits: "range", default: "number" },
  format: countText,
  filter: { control: "numberRange", operator: "range" },
} satisfies FieldTypeModule<"number">;
