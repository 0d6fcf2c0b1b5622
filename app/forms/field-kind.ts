import type { RJSFSchema } from "@rjsf/utils";

export type FieldKind =
  | "text" | "textarea" | "number" | "money" | "points" | "date" | "datetime" | "boolean"
  | "enum" | "multienum" | "member" | "business_unit" | "reference" | "phone" | "email" | "other";

/** What a property is, from its schema and uiSchema: drives display, filters and the builder palette. */
export function fieldKind(schema: RJSFSchema | undefined, fieldUi: unknown): FieldKind {
  const ui = (fieldUi ?? {}) as Record<string, unknown>;
  const widget = ui["ui:widget"];
  if (widget === "MoneyWidget") return "money";
  if (widget === "PointsWidget") return "points";
  if (widget === "PhoneWidget") return "phone";
  if (widget === "MemberPickerWidget") return "member";
  if (widget === "BusinessUnitWidget") return "business_unit";
  if (widget === "ReferenceWidget") return "reference";
  if (!schema) return "other";
  const type = schema.type;
  if (type === "boolean") return "boolean";
  if (type === "array") return (schema.items as RJSFSchema | undefined)?.enum ? "multienum" : "other";
  if (schema.enum) return "enum";
  if (type === "number" || type === "integer") return "number";
  if (type === "string") {
    if (schema.format === "date") return "date";
    if (schema.format === "date-time") return "datetime";
    if (schema.format === "email") return "email";
    return widget === "textarea" ? "textarea" : "text";
  }
  return "other";
}

/** Every property a schema declares, top-level first, then those of allOf/then/else branches. */
export function allProperties(schema: RJSFSchema | undefined): Record<string, RJSFSchema> {
  const out: Record<string, RJSFSchema> = {};
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const s = node as RJSFSchema;
    for (const [name, property] of Object.entries(s.properties ?? {})) if (!(name in out)) out[name] = property as RJSFSchema;
    for (const sub of (s.allOf ?? []) as unknown[]) visit(sub);
    visit(s.then);
    visit(s.else);
  };
  visit(schema);
  return out;
}

/** Field names in display order: `ui:order` first (without `*`), then the rest as declared. */
export function orderedFields(schema: RJSFSchema | undefined, uiSchema: Record<string, unknown> | undefined): string[] {
  const names = Object.keys(allProperties(schema));
  const order = ((uiSchema?.["ui:order"] ?? []) as string[]).filter((n) => n !== "*" && names.includes(n));
  return [...order, ...names.filter((n) => !order.includes(n))];
}
