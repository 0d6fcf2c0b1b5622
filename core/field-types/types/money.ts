import { withDefault, withRange, widgetOf } from "../fragment.ts";
import type { FieldTypeModule } from "../module.ts";

/** An amount in yuan, to the cent. */
export const moneyType = {
  name: "money",
  position: 40,
  recognition: 10,
  palette: true,
  widget: "MoneyWidget",
  recognises: (_schema, ui) => widgetOf(ui) === "MoneyWidget",
  fragment: (field) => withDefault(field, withRange(field, { type: "number", multipleOf: 0.01 })),
  builder: { limits: "range", precision: 2, default: "number" },
  format: (value, context) => context.money(value as number),
  filter: { control: "numberRange", operator: "range" },
} satisfies FieldTypeModule<"money">;
