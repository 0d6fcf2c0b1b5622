import type { RJSFSchema } from "@rjsf/utils";
import type { UiSchema } from "./layout";

/**
 * Labels live beside the Chinese ones: `title_en` / `description_en` on a property (annotations, like
 * `title`), `ui:options.enumNames_en` beside `ui:enumNames`. In English these replace the Chinese
 * ones before the form renders; in Chinese the schema is used as stored.
 */
export function localizeSchema(schema: RJSFSchema, language: string): RJSFSchema {
  if (language !== "en") return schema;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = key === "enum" || key === "const" || key === "default" ? value : walk(value);
    if (typeof out.title_en === "string" && out.title_en) out.title = out.title_en;
    if (typeof out.description_en === "string" && out.description_en) out.description = out.description_en;
    return out;
  };
  return walk(schema) as RJSFSchema;
}

export function localizeUiSchema(uiSchema: UiSchema, language: string): UiSchema {
  if (language !== "en") return uiSchema;
  const out: UiSchema = {};
  for (const [key, value] of Object.entries(uiSchema)) {
    if (key.startsWith("ui:") || !value || typeof value !== "object") {
      out[key] = value;
      continue;
    }
    const field = { ...(value as Record<string, unknown>) };
    const options = (field["ui:options"] ?? {}) as Record<string, unknown>;
    if (Array.isArray(options.enumNames_en)) {
      if (field.items && typeof field.items === "object") field.items = { ...(field.items as object), "ui:enumNames": options.enumNames_en };
      else field["ui:enumNames"] = options.enumNames_en;
    }
    if (typeof options.placeholder_en === "string") field["ui:placeholder"] = options.placeholder_en;
    out[key] = field;
  }
  return out;
}

/** A field's label in the language: `title_en` in English when there is one, else `title`, else the key. */
export function fieldLabel(schema: RJSFSchema | undefined, language: string, fallback: string): string {
  const s = schema as { title?: string; title_en?: string } | undefined;
  return (language === "en" && s?.title_en) || s?.title || fallback;
}

/** Option labels of an enum field (select or multi-select) in the language, by value. */
export function enumLabels(schema: RJSFSchema | undefined, fieldUi: unknown, language: string): Map<unknown, string> {
  const values = (schema?.enum ?? (schema?.items as RJSFSchema | undefined)?.enum ?? []) as unknown[];
  const ui = (fieldUi ?? {}) as Record<string, unknown>;
  const options = (ui["ui:options"] ?? {}) as { enumNames_en?: string[] };
  const items = (ui.items ?? {}) as Record<string, unknown>;
  const names =
    (language === "en" && options.enumNames_en) || ((ui["ui:enumNames"] ?? items["ui:enumNames"]) as string[] | undefined) || [];
  return new Map(values.map((value, index) => [value, names[index] ?? String(value)]));
}
