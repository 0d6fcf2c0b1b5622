import type { FieldTypeModule } from "../module.ts";

/** An instant (ISO date-time), shown in the user's time zone. */
export const datetimeType = {
  name: "datetime",
  position: 70,
  recognition: 70,
  palette: true,
  recognises: (schema) => schema?.type === "string" && schema.format === "date-time",
  fragment: () => ({ type: "string", format: "date-time" }),
  builder: {},
  format: (value, context) => context.dateTime(String(value)),
  filter: { control: "dateRange", operator: "range", bounds: "instant" },
} satisfies FieldTypeModule<"datetime">;
