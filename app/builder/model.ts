/**
 * The form builder's document: an ordered list of fields and sections, turned into JSON Schema +
 * uiSchema (and back) by pure functions, so undo/redo, import/export and tests need no React.
 *
 * - Labels: `title` (Chinese) and `title_en` on each property; option labels in `ui:enumNames`
 *   and `ui:options.enumNames_en`.
 * - Layout (uiSchema only): `ui:order`, `ui:options.columns` (1|2), `ui:options.groups` (sections).
 * - Conditional fields: `allOf: [{ if: {properties: {c: {const: v}}, required: [c]}, then: {properties:
 *   {f: ...}, required: [f]} }]`. A conditional field is never in the top-level `required`, so the
 *   database's validator (which also reads allOf/if/then) requires it only while it is shown.
 */
import type { RJSFSchema } from "@rjsf/utils";
import { DEFAULT_ENTITY_PERMISSIONS, ENTITY_RECORD_COLUMNS, type Role } from "../../core/enums/index.ts";
import { fieldType, fieldTypeOf, PALETTE_TYPES, type BuilderSettings, type FieldTypeName } from "../../core/field-types/index.ts";
import { allProperties, orderedFields } from "../forms/schema-properties";
import type { FormGroup, UiSchema } from "../forms/layout";

/** The palette: the field types it offers (core/field-types), then a section heading. */
export const FIELD_TYPES = [...PALETTE_TYPES, "section"] as const;
export type PaletteType = (typeof FIELD_TYPES)[number];
/** `raw`: a property the palette does not make (e.g. a seeded list of tags), kept as it is. */
export type FieldType = FieldTypeName | "section";

export interface FieldOption {
  value: string;
  label: string;
  label_en?: string;
}

export interface BuilderField {
  /** Stable id for drag and drop and selection; never stored. */
  id: string;
  type: FieldType;
  /** Property name in the data (for sections: unused). */
  key: string;
  title: string;
  title_en: string;
  description?: string;
  description_en?: string;
  placeholder?: string;
  required: boolean;
  /** Numbers: minimum/maximum; text: minLength/maxLength. */
  min?: number;
  max?: number;
  pattern?: string;
  default?: string | number | boolean;
  options?: FieldOption[];
  fullWidth?: boolean;
  /** Shown only when another field equals a value. */
  visibleIf?: { field: string; value: string | boolean };
  raw?: { schema: RJSFSchema };
  /** uiSchema entries the builder does not manage (kept on save). */
  uiExtra?: Record<string, unknown>;
}

export type { Role };
export interface EntitySettings {
  list_columns: string[];
  search_fields: string[];
  filter_fields: string[];
  default_sort: { field: string; order: "asc" | "desc" };
  permissions: Record<"list" | "create" | "edit" | "delete", Role[]>;
}

export interface BuilderDoc {
  title: string;
  title_en: string;
  columns: 1 | 2;
  fields: BuilderField[];
  /** Entities only: list columns, search and filters, default sort, permissions per role. */
  entity?: EntitySettings;
}

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;
/** Names a custom field may not take: columns of entity_records. */
export const RESERVED_KEYS = new Set<string>(ENTITY_RECORD_COLUMNS);

export const DEFAULT_ENTITY_SETTINGS: EntitySettings = {
  list_columns: [],
  search_fields: [],
  filter_fields: [],
  default_sort: { field: "created_at", order: "desc" },
  permissions: {
    list: [...DEFAULT_ENTITY_PERMISSIONS.list],
    create: [...DEFAULT_ENTITY_PERMISSIONS.create],
    edit: [...DEFAULT_ENTITY_PERMISSIONS.edit],
    delete: [...DEFAULT_ENTITY_PERMISSIONS.delete],
  },
};

/** A document with no fields yet (entities with the default list settings and permissions). */
export const emptyDoc = (entity: boolean, title = "", title_en = ""): BuilderDoc => ({
  title, title_en, columns: 2, fields: [], ...(entity ? { entity: DEFAULT_ENTITY_SETTINGS } : {}),
});

/** A field's internal id (never shown, never stored in the schema). */
export const newId = () => `f${Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

/**
 * An option named in the language the admin works in; the other language stays empty and shows
 * this name (see `optionLabel`) until someone translates it.
 */
export const namedOption = (value: string, name: string, language: string): FieldOption =>
  language === "en" ? { value, label: "", label_en: name } : { value, label: name };

/** An option's name in a language: the other language's name when this one is empty, else its value. */
export const optionLabel = (o: FieldOption, language: string): string =>
  (language === "en" ? o.label_en || o.label : o.label || o.label_en) || o.value;

/** What a new field is called: the palette type's name in both languages, default option names in the admin's. */
export interface NewFieldLabels {
  zh: string;
  en: string;
  /** The admin's language (default Chinese). */
  language?: string;
  /** Name of default option `n` (A, B); default: the letter itself. */
  option?: (n: string) => string;
}

/** A new field of a palette type, with a key and labels not yet used in the document. */
export function newField(type: PaletteType, doc: BuilderDoc, labels: NewFieldLabels): BuilderField {
  const used = new Set(doc.fields.map((f) => f.key));
  let n = 1;
  while (used.has(`${type}_${n}`)) n++;
  const field: BuilderField = { id: newId(), type, key: `${type}_${n}`, title: `${labels.zh}${n}`, title_en: `${labels.en} ${n}`, required: false };
  const settings: BuilderSettings = type === "section" ? {} : fieldType(type).builder;
  if (settings.options)
    field.options = ["A", "B"].map((n) => namedOption(n.toLowerCase(), labels.option?.(n) ?? n, labels.language ?? "zh-CN"));
  if (settings.fullWidth) field.fullWidth = true;
  return field;
}

// ── document operations (pure) ──────────────────────────────────────────────────────────
export const insertField = (doc: BuilderDoc, field: BuilderField, index = doc.fields.length): BuilderDoc => {
  const fields = [...doc.fields];
  fields.splice(Math.max(0, Math.min(index, fields.length)), 0, field);
  return { ...doc, fields };
};

export const moveField = (doc: BuilderDoc, from: number, to: number): BuilderDoc => {
  if (from === to || from < 0 || to < 0 || from >= doc.fields.length || to >= doc.fields.length) return doc;
  const fields = [...doc.fields];
  const [moved] = fields.splice(from, 1);
  fields.splice(to, 0, moved);
  return { ...doc, fields };
};

const renameIn = (list: string[], from: string, to: string) => list.map((name) => (name === from ? to : name));

/** Changes one field; a new key is carried into conditions and list settings that named the old one. */
export function updateField(doc: BuilderDoc, id: string, patch: Partial<BuilderField>): BuilderDoc {
  const before = doc.fields.find((f) => f.id === id);
  if (!before) return doc;
  const renamed = patch.key !== undefined && patch.key !== before.key ? { from: before.key, to: patch.key } : null;
  const fields = doc.fields.map((f) => {
    if (f.id === id) return { ...f, ...patch };
    if (renamed && f.visibleIf?.field === renamed.from) return { ...f, visibleIf: { ...f.visibleIf, field: renamed.to } };
    return f;
  });
  let entity = doc.entity;
  if (renamed && entity) {
    entity = {
      ...entity,
      list_columns: renameIn(entity.list_columns, renamed.from, renamed.to),
      search_fields: renameIn(entity.search_fields, renamed.from, renamed.to),
      filter_fields: renameIn(entity.filter_fields, renamed.from, renamed.to),
      default_sort: entity.default_sort.field === renamed.from ? { ...entity.default_sort, field: renamed.to } : entity.default_sort,
    };
  }
  return { ...doc, fields, entity };
}

export function removeField(doc: BuilderDoc, id: string): BuilderDoc {
  const gone = doc.fields.find((f) => f.id === id);
  if (!gone) return doc;
  const fields = doc.fields
    .filter((f) => f.id !== id)
    .map((f) => (f.visibleIf?.field === gone.key ? { ...f, visibleIf: undefined } : f));
  return { ...doc, fields };
}

export function duplicateField(doc: BuilderDoc, id: string): BuilderDoc {
  const index = doc.fields.findIndex((f) => f.id === id);
  if (index < 0) return doc;
  const source = doc.fields[index];
  const used = new Set(doc.fields.map((f) => f.key));
  let n = 2;
  while (used.has(`${source.key}_${n}`)) n++;
  return insertField(doc, { ...source, id: newId(), key: `${source.key}_${n}`, title: `${source.title}${n}`, title_en: source.title_en && `${source.title_en} ${n}` }, index + 1);
}

/** Problems that keep the document from being saved, by field id ("" for the whole form). */
export function docProblems(doc: BuilderDoc, entity = false): { id: string; problem: "key" | "duplicate" | "reserved" | "title" | "options" }[] {
  const problems: { id: string; problem: "key" | "duplicate" | "reserved" | "title" | "options" }[] = [];
  const seen = new Set<string>();
  if (!doc.title.trim()) problems.push({ id: "", problem: "title" });
  for (const f of doc.fields) {
    if (f.type === "section") continue;
    if (!KEY_PATTERN.test(f.key)) problems.push({ id: f.id, problem: "key" });
    else if (seen.has(f.key)) problems.push({ id: f.id, problem: "duplicate" });
    else if (entity && RESERVED_KEYS.has(f.key)) problems.push({ id: f.id, problem: "reserved" });
    if (!f.title.trim()) problems.push({ id: f.id, problem: "title" });
    if (fieldType(f.type).builder.options && (!f.options?.length || new Set(f.options.map((o) => o.value)).size !== f.options.length || f.options.some((o) => !o.value)))
      problems.push({ id: f.id, problem: "options" });
    seen.add(f.key);
  }
  return problems;
}

// ── document → JSON Schema + uiSchema ───────────────────────────────────────────────────
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The field's JSON Schema: its type's fragment with the field's labels after `type`. */
function propertySchema(f: BuilderField): RJSFSchema {
  const labels: RJSFSchema = { title: f.title };
  if (f.title_en) labels.title_en = f.title_en;
  if (f.description) labels.description = f.description;
  if (f.description_en) labels.description_en = f.description_en;
  const { type, ...rest } = fieldType(f.type).fragment(f);
  return { ...(type === undefined ? {} : { type }), ...labels, ...rest } as RJSFSchema;
}

function fieldUi(f: BuilderField): Record<string, unknown> {
  const ui: Record<string, unknown> = { ...(f.uiExtra ?? {}) };
  const options: Record<string, unknown> = { ...((ui["ui:options"] as object) ?? {}) };
  const type = fieldType(f.type);
  if (type.widget) ui["ui:widget"] = type.widget;
  if (f.placeholder) ui["ui:placeholder"] = f.placeholder;
  if (f.fullWidth) options.fullWidth = true;
  if (f.options && type.builder.options) {
    const names = f.options.map((o) => optionLabel(o, "zh-CN"));
    if (type.builder.options === "value") ui["ui:enumNames"] = names;
    else ui.items = { ...((ui.items as object) ?? {}), "ui:enumNames": names };
    if (f.options.some((o) => o.label_en)) options.enumNames_en = f.options.map((o) => optionLabel(o, "en"));
  }
  if (Object.keys(options).length) ui["ui:options"] = options;
  return ui;
}

/** The stored form: JSON Schema (shape and validation) and uiSchema (order, layout, widgets, labels of options). */
export function docToDefinition(doc: BuilderDoc): { schema: RJSFSchema; ui_schema: UiSchema } {
  const properties: Record<string, RJSFSchema> = {};
  const required: string[] = [];
  const conditions: { field: string; value: string | boolean; then: { properties: Record<string, RJSFSchema>; required: string[] } }[] = [];
  const order: string[] = [];
  const groups: FormGroup[] = [];
  const ui: UiSchema = {};
  const keys = new Set(doc.fields.filter((f) => f.type !== "section").map((f) => f.key));
  for (const f of doc.fields) {
    if (f.type === "section") {
      groups.push({ title: f.title, ...(f.title_en ? { title_en: f.title_en } : {}), fields: [] });
      continue;
    }
    order.push(f.key);
    groups[groups.length - 1]?.fields.push(f.key);
    const property = propertySchema(f);
    const cond = f.visibleIf && keys.has(f.visibleIf.field) && f.visibleIf.field !== f.key ? f.visibleIf : undefined;
    if (cond) {
      let entry = conditions.find((c) => c.field === cond.field && c.value === cond.value);
      if (!entry) conditions.push((entry = { field: cond.field, value: cond.value, then: { properties: {}, required: [] } }));
      entry.then.properties[f.key] = property;
      if (f.required) entry.then.required.push(f.key);
    } else {
      properties[f.key] = property;
      if (f.required) required.push(f.key);
    }
    const fieldUiSchema = fieldUi(f);
    if (Object.keys(fieldUiSchema).length) ui[f.key] = fieldUiSchema;
  }
  const schema: RJSFSchema = { type: "object", properties };
  if (required.length) schema.required = required;
  if (conditions.length)
    schema.allOf = conditions.map((c) => ({
      if: { properties: { [c.field]: { const: c.value } }, required: [c.field] },
      then: c.then.required.length ? c.then : { properties: c.then.properties },
    }));
  const layout: Record<string, unknown> = { columns: doc.columns };
  if (groups.length) layout.groups = groups;
  return { schema, ui_schema: { "ui:order": [...order, "*"], "ui:options": layout, ...ui } };
}

/** Entity list settings limited to fields that still exist (deleted fields drop out). */
export function cleanEntitySettings(doc: BuilderDoc): EntitySettings {
  const settings = doc.entity ?? DEFAULT_ENTITY_SETTINGS;
  const keys = new Set([...doc.fields.filter((f) => f.type !== "section").map((f) => f.key), "created_at", "updated_at"]);
  const keep = (list: string[]) => list.filter((name) => keys.has(name));
  return {
    ...settings,
    list_columns: keep(settings.list_columns),
    search_fields: keep(settings.search_fields),
    filter_fields: keep(settings.filter_fields),
    default_sort: keys.has(settings.default_sort.field) ? settings.default_sort : { field: "created_at", order: "desc" },
  };
}

// ── JSON Schema + uiSchema → document ───────────────────────────────────────────────────
const MANAGED_UI = new Set(["ui:enumNames", "ui:placeholder"]);

/** Reads a stored definition into the builder; properties it cannot edit are kept as `raw`. */
export function definitionToDoc(
  schema: RJSFSchema,
  uiSchema: UiSchema,
  meta: { title: string; title_en?: string | null; entity?: EntitySettings },
): BuilderDoc {
  const properties = allProperties(schema);
  const topRequired = new Set((schema.required ?? []) as string[]);
  const conditional = new Map<string, { field: string; value: string | boolean; required: boolean }>();
  for (const sub of (schema.allOf ?? []) as RJSFSchema[]) {
    const ifProps = Object.entries(((sub.if as RJSFSchema | undefined)?.properties ?? {}) as Record<string, RJSFSchema>);
    const then = sub.then as RJSFSchema | undefined;
    if (ifProps.length !== 1 || !then?.properties) continue;
    const [field, cond] = ifProps[0];
    for (const name of Object.keys(then.properties))
      conditional.set(name, { field, value: cond.const as string | boolean, required: ((then.required ?? []) as string[]).includes(name) });
  }
  const layout = (uiSchema["ui:options"] ?? {}) as { columns?: number; groups?: FormGroup[] };
  const groupStart = new Map<string, FormGroup>();
  for (const g of layout.groups ?? []) if (g.fields[0]) groupStart.set(g.fields[0], g);
  const fields: BuilderField[] = [];
  const section = (g: FormGroup): BuilderField => ({ id: newId(), type: "section", key: "", title: g.title ?? "", title_en: g.title_en ?? "", required: false });

  for (const key of orderedFields(schema, uiSchema)) {
    const group = groupStart.get(key);
    if (group) fields.push(section(group));
    const p = properties[key] as RJSFSchema & { title_en?: string; description_en?: string };
    const ui = { ...((uiSchema[key] ?? {}) as Record<string, unknown>) };
    const recognised = fieldTypeOf(p, ui);
    const type = (recognised.palette ? (recognised.builderType?.(p) ?? recognised.name) : "raw") as FieldTypeName;
    const settings = fieldType(type).builder;
    const options = { ...((ui["ui:options"] ?? {}) as Record<string, unknown>) };
    const enumValues = (p.enum ?? (p.items as RJSFSchema | undefined)?.enum) as unknown[] | undefined;
    const items = (ui.items ?? {}) as Record<string, unknown>;
    const names = (ui["ui:enumNames"] ?? items["ui:enumNames"] ?? []) as string[];
    const namesEn = (options.enumNames_en ?? []) as string[];
    const cond = conditional.get(key);
    const field: BuilderField = {
      id: newId(),
      type,
      key,
      title: p.title ?? key,
      title_en: p.title_en ?? "",
      description: p.description,
      description_en: p.description_en,
      placeholder: ui["ui:placeholder"] as string | undefined,
      required: cond ? cond.required : topRequired.has(key),
      fullWidth: options.fullWidth === true || undefined,
      visibleIf: cond ? { field: cond.field, value: cond.value } : undefined,
    };
    if (type === "raw") field.raw = { schema: p };
    const numeric = settings.limits === "range";
    const min = numeric ? p.minimum : p.minLength;
    const max = numeric ? p.maximum : p.maxLength;
    if (type !== "raw") {
      if (isNum(min)) field.min = min;
      if (isNum(max)) field.max = max;
      if (settings.pattern && p.pattern) field.pattern = p.pattern;
      if (p.default !== undefined && typeof p.default !== "object") field.default = p.default as string | number | boolean;
    }
    if (enumValues && settings.options)
      field.options = enumValues.map((value, i) => ({ value: String(value), label: names[i] ?? String(value), ...(namesEn[i] ? { label_en: namesEn[i] } : {}) }));
    // keep what the builder does not manage
    if (fieldType(type).widget === ui["ui:widget"]) delete ui["ui:widget"];
    for (const k of MANAGED_UI) delete ui[k];
    if (settings.options === "items" && ui.items) {
      const { "ui:enumNames": _n, ...restItems } = items;
      if (Object.keys(restItems).length) ui.items = restItems;
      else delete ui.items;
    }
    delete options.fullWidth;
    delete options.enumNames_en;
    if (Object.keys(options).length) ui["ui:options"] = options;
    else delete ui["ui:options"];
    if (Object.keys(ui).length) field.uiExtra = ui;
    fields.push(field);
  }
  for (const g of layout.groups ?? []) if (!g.fields.length) fields.push(section(g));
  return {
    title: meta.title,
    title_en: meta.title_en ?? "",
    columns: layout.columns === 2 ? 2 : 1,
    fields,
    ...(meta.entity ? { entity: meta.entity } : {}),
  };
}
