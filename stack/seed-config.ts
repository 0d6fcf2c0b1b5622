/**
 * Seeds the default form definitions from schemas/forms/ into Supabase: each key absent from the
 * database gets version 1, published. Keys already present are left alone (staff may have changed them).
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "./config.ts";

const FORMS = path.join(ROOT, "schemas", "forms");

interface FormEntry {
  key: string;
  title: string;
  title_en: string;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(FORMS, file), "utf8"));

export async function seedForms(client: pg.Client) {
  const forms = readJson("index.json") as FormEntry[];
  let added = 0;
  for (const form of forms) {
    const result = await client.query(
      `insert into public.form_definitions (key, version, status, title, title_en, schema, ui_schema, published_at)
       select $1, 1, 'published', $2, $3, $4, $5, now()
       where not exists (select 1 from public.form_definitions where key = $1)`,
      [form.key, form.title, form.title_en, readJson(`${form.key}.schema.json`), readJson(`${form.key}.ui.json`)],
    );
    added += result.rowCount ?? 0;
  }
  return added;
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

/**
 * Seeds the built-in entity descriptions from schemas/entities/ (members, business units, tiers):
 * each key absent from the database gets version 1, published. Keys already present are left alone.
 */
export async function seedEntities(client: pg.Client) {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ENTITIES, file), "utf8"));
  let added = 0;
  for (const e of read("index.json") as EntityEntry[]) {
    const result = await client.query(
      `insert into public.entity_definitions (key, version, status, title, title_en, source_table, schema, ui_schema,
         list_columns, search_fields, filter_fields, default_sort, permissions, published_at)
       select $1, 1, 'published', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now()
       where not exists (select 1 from public.entity_definitions where key = $1)`,
      [e.key, e.title, e.title_en, e.source_table, read(`${e.key}.schema.json`), read(`${e.key}.ui.json`),
        e.list_columns, e.search_fields, e.filter_fields, e.default_sort, e.permissions],
    );
    added += result.rowCount ?? 0;
  }
  return added;
}
