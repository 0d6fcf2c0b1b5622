/**
 * The default form and entity definitions in schemas/forms and schemas/entities, synced into Supabase on
 * every start (stack/sync-definitions.ts): new keys are created, changed files publish a new version,
 * definitions changed in the UI are kept.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "./config.ts";
import { syncDefinition, type SyncedDefinition } from "./sync-definitions.ts";

const FORMS = path.join(ROOT, "schemas", "forms");

interface FormEntry {
  key: string;
  title: string;
  title_en: string;
}

const readJson = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));

export async function seedForms(client: pg.Client | pg.PoolClient): Promise<SyncedDefinition[]> {
  const synced: SyncedDefinition[] = [];
  for (const form of readJson(FORMS, "index.json") as FormEntry[]) {
    const columns = {
      title: form.title,
      title_en: form.title_en,
      schema: readJson(FORMS, `${form.key}.schema.json`),
      ui_schema: readJson(FORMS, `${form.key}.ui.json`),
    };
    synced.push(await syncDefinition(client, "form", form.key, columns, {
      name: `forms/${form.key}`, file: path.join(FORMS, `${form.key}.*.json`),
    }));
  }
  return synced;
}

const ENTITIES = path.join(ROOT, "schemas", "entities");

interface EntityEntry extends FormEntry {
  source_table: string | null;
  list_columns: string[];
  search_fields: string[];
  filter_fields: string[];
  default_sort: { field: string; order: "asc" | "desc" };
  permissions: Record<string, string[]>;
}

/** The built-in entity descriptions (members, business units, tiers). */
export async function seedEntities(client: pg.Client | pg.PoolClient): Promise<SyncedDefinition[]> {
  const synced: SyncedDefinition[] = [];
  for (const e of readJson(ENTITIES, "index.json") as EntityEntry[]) {
    const columns = {
      title: e.title,
      title_en: e.title_en,
      source_table: e.source_table,
      schema: readJson(ENTITIES, `${e.key}.schema.json`),
      ui_schema: readJson(ENTITIES, `${e.key}.ui.json`),
      list_columns: e.list_columns,
      search_fields: e.search_fields,
      filter_fields: e.filter_fields,
      default_sort: e.default_sort,
      permissions: e.permissions,
    };
    synced.push(await syncDefinition(client, "entity", e.key, columns, {
      name: `entities/${e.key}`, file: path.join(ENTITIES, `${e.key}.*.json`),
    }));
  }
  return synced;
}
