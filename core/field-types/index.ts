/**
 * The field types: one module each. Adding a type is a new module listed here and its translations
 * (builder.palette.<name>); a type with its own input also registers a React widget under its `widget`
 * name in app/forms/theme.ts.
 */
import { businessUnitType } from "./business-unit.ts";
import { checkboxType } from "./checkbox.ts";
import { datetimeType } from "./datetime.ts";
import { dateType } from "./date.ts";
import { emailType } from "./email.ts";
import type { FieldTypeModule, FieldUi, JsonSchema } from "./module.ts";
import { memberType } from "./member.ts";
import { moneyType } from "./money.ts";
import { multiselectType } from "./multiselect.ts";
import { numberType } from "./number.ts";
import { phoneType } from "./phone.ts";
import { pointsType } from "./points.ts";
import { rawType } from "./raw.ts";
import { referenceType } from "./reference.ts";
import { selectType } from "./select.ts";
import { textareaType } from "./textarea.ts";
import { textType } from "./text.ts";

const MODULES = [
  textType, textareaType, numberType, moneyType, pointsType, dateType, datetimeType, selectType, multiselectType,
  checkboxType, phoneType, emailType, memberType, businessUnitType, referenceType, rawType,
] as const;
export type FieldTypeName = (typeof MODULES)[number]["name"];
/** In the palette's order. */
export const FIELD_TYPE_MODULES: readonly FieldTypeModule<FieldTypeName>[] = MODULES;

/** Recognition order: a type named by its widget first, then by schema, the raw type last. */
const RECOGNITION: readonly FieldTypeModule<FieldTypeName>[] = [
  ...FIELD_TYPE_MODULES.filter((m) => m.widget && m.widget !== "textarea"),
  checkboxType, multiselectType, selectType, numberType, dateType, datetimeType, emailType, textareaType, textType, rawType,
] as readonly FieldTypeModule<FieldTypeName>[];

const BY_NAME = new Map<string, FieldTypeModule<FieldTypeName>>(FIELD_TYPE_MODULES.map((m) => [m.name, m]));

export function fieldType(name: string): FieldTypeModule<FieldTypeName> {
  return BY_NAME.get(name) ?? rawType;
}

/** The type of a stored property, from its schema and uiSchema. */
export function fieldTypeOf(schema: JsonSchema | undefined, ui: unknown): FieldTypeModule<FieldTypeName> {
  const fieldUi = (ui ?? {}) as FieldUi;
  if (!schema) return RECOGNITION.find((m) => m.widget && m.recognises(schema, fieldUi)) ?? rawType;
  return RECOGNITION.find((m) => m.recognises(schema, fieldUi))!;
}

/** Types the builder's palette offers. */
export const PALETTE_TYPES = FIELD_TYPE_MODULES.filter((m) => m.palette).map((m) => m.name);

export type { BuilderSettings, FieldFilter, FieldSpec, FieldTypeModule, FormatContext } from "./module.ts";
