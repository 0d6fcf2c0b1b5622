/**
 * The import targets (批量导入): one registry read by the import wizard, the tests and bench:import. Each target
 * names the published form or entity whose JSON Schema its rows must satisfy, the keys an import may upsert by,
 * and the roles that create its rows (core/enums/access-matrix.ts); public.import_batch checks the same in SQL.
 */
import { ACCESS_MATRIX, DEFAULT_ENTITY_PERMISSIONS, PHONE_PATTERN, type Role } from "../enums/index.ts";

export type JsonSchema = {
  type?: string;
  title?: string;
  title_en?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [key: string]: unknown;
};

export type ImportTargetKind = "members" | "transactions" | "point_adjustments" | "entity";

export interface ImportTarget {
  /** The value public.create_import takes: members, transactions, point_adjustments or entity:<key>. */
  key: string;
  kind: ImportTargetKind;
  /** i18n key of the label (entities carry their own titles). */
  labelKey?: string;
  title?: string;
  title_en?: string | null;
  /** The schema every row is checked against (the published form's or entity's, adapted to a file's columns). */
  schema: JsonSchema;
  /** Fields a row may be matched by (upsert); empty: every row is new (or idempotent by its own number). */
  keyFields: string[];
  defaultKeyField: string | null;
  /** Whether the import is made for one business unit (members, transactions, adjustments). */
  needsUnit: boolean;
  /** Roles that create the target's rows (admins always may). */
  roles: readonly Role[];
}

export interface PublishedForm {
  key: string;
  schema: JsonSchema;
}
export interface PublishedEntity {
  key: string;
  title: string;
  title_en?: string | null;
  schema: JsonSchema;
  source_table?: string | null;
  permissions?: { create?: readonly string[] } | null;
}

/** Built-in targets: the form whose schema their rows follow and how a file's columns differ from it. */
const BUILT_IN = [
  {
    key: "members", kind: "members", formKey: "member", keyFields: ["phone", "member_no"], defaultKeyField: "phone",
    roles: ACCESS_MATRIX.members.create,
    // A member number matches an existing member (members are numbered on registration).
    adapt: (schema: JsonSchema): JsonSchema => ({
      ...schema,
      properties: { ...schema.properties, member_no: { type: "string", title: "会员编号", title_en: "Member no.", minLength: 1, maxLength: 32 } },
    }),
  },
  {
    key: "transactions", kind: "transactions", formKey: "transaction", keyFields: [], defaultKeyField: null,
    roles: ACCESS_MATRIX.transactions.create,
    adapt: (schema: JsonSchema): JsonSchema => schema,
  },
  {
    key: "point_adjustments", kind: "point_adjustments", formKey: "points-compensation", keyFields: [], defaultKeyField: null,
    roles: ACCESS_MATRIX.approvals.create,
    // The form picks a member; a file names the member by phone (the server looks the member up).
    adapt: (schema: JsonSchema): JsonSchema => {
      const { member_id: _memberId, ...rest } = schema.properties ?? {};
      return {
        ...schema,
        properties: { member_phone: { type: "string", title: "会员手机号", title_en: "Member mobile phone", pattern: PHONE_PATTERN }, ...rest },
        required: (schema.required ?? []).map((field) => (field === "member_id" ? "member_phone" : field)),
      };
    },
  },
] as const;

/** Every target the caller could import into, from the published forms and entities. */
export function importTargets(forms: PublishedForm[], entities: PublishedEntity[]): ImportTarget[] {
  const targets: ImportTarget[] = [];
  for (const builtIn of BUILT_IN) {
    const form = forms.find((f) => f.key === builtIn.formKey);
    if (!form) continue;
    targets.push({
      key: builtIn.key, kind: builtIn.kind, labelKey: `imports.targets.${builtIn.key}`,
      schema: builtIn.adapt(form.schema), keyFields: [...builtIn.keyFields], defaultKeyField: builtIn.defaultKeyField,
      needsUnit: true, roles: builtIn.roles,
    });
  }
  for (const entity of entities) {
    if (entity.source_table) continue;
    targets.push({
      key: `entity:${entity.key}`, kind: "entity", title: entity.title, title_en: entity.title_en,
      schema: entity.schema, keyFields: Object.keys(entity.schema.properties ?? {}), defaultKeyField: null, needsUnit: false,
      roles: (entity.permissions?.create ?? DEFAULT_ENTITY_PERMISSIONS.create) as readonly Role[],
    });
  }
  return targets;
}

/** Whether someone with these roles may import into the target (admins always may). */
export const mayImport = (target: ImportTarget, roles: readonly string[]) =>
  roles.includes("admin") || roles.some((role) => (target.roles as readonly string[]).includes(role));

/** A field of the target as the mapping step shows it. */
export interface TargetField {
  key: string;
  title: string;
  title_en: string;
  required: boolean;
}

export function targetFields(target: ImportTarget): TargetField[] {
  const required = new Set(target.schema.required ?? []);
  return Object.entries(target.schema.properties ?? {}).map(([key, field]) => ({
    key, title: field.title ?? key, title_en: field.title_en ?? field.title ?? key, required: required.has(key),
  }));
}
