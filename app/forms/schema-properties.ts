import type { RJSFSchema } from "@rjsf/utils";

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
