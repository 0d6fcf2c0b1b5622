/**
 * The field types: one module each in ./types/, found there (see ../registry/modules-in.ts). Adding a type
 * is a new module and its translations (builder.palette.<name>); a type with its own input also has
 * a React widget in app/forms/widgets/, exported under its `widget` name.
 */
import { modulesIn } from "../registry/modules-in.ts";
import type { FieldTypeModule, FieldUi, JsonSchema } from "./module.ts";

const isFieldTypeModule = (value: unknown): value is FieldTypeModule =>
  typeof value === "object" && value !== null && typeof (value as FieldTypeModule).name === "string" &&
  typeof (value as FieldTypeModule).recognises === "function";

export type FieldTypeName = string;
/** In the palette's order. */
export const FIELD_TYPE_MODULES: readonly FieldTypeModule[] = await modulesIn(
  () => import.meta.glob(["./types/*.ts", "!./types/*.test.ts"], { eager: true }),
  new URL("./types/", import.meta.url),
  isFieldTypeModule,
);

const RECOGNITION = [...FIELD_TYPE_MODULES].sort((a, b) => a.recognition - b.recognition || a.position - b.position);
const BY_NAME = new Map<string, FieldTypeModule>(FIELD_TYPE_MODULES.map((m) => [m.name, m]));
/** The type of anything no other type recognises: edited as raw JSON Schema. */
const RAW = RECOGNITION[RECOGNITION.length - 1];

export function fieldType(name: string): FieldTypeModule {
  return BY_NAME.get(name) ?? RAW;
}

/** The type of a stored property, from its schema and uiSchema. */
export function fieldTypeOf(schema: JsonSchema | undefined, ui: unknown): FieldTypeModule {
  const fieldUi = (ui ?? {}) as FieldUi;
  if (!schema) return RECOGNITION.find((m) => m.widget && m.recognises(schema, fieldUi)) ?? RAW;
  return RECOGNITION.find((m) => m.recognises(schema, fieldUi)) ?? RAW;
}

/** Types the builder's palette offers. */
export const PALETTE_TYPES = FIELD_TYPE_MODULES.filter((m) => m.palette).map((m) => m.name);

export type { BuilderSettings, FieldFilter, FieldSpec, FieldTypeModule, FormatContext } from "./module.ts";
