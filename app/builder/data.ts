import type { FormDefinition } from "../lib/types";
import { supabaseClient } from "../providers/supabase-client";
import { cleanEntitySettings, docToDefinition, type BuilderDoc, type EntitySettings } from "./model";

export type DefinitionKind = "forms" | "entities";
const TABLE = { forms: "form_definitions", entities: "entity_definitions" } as const;
const PUBLISH = { forms: "publish_form", entities: "publish_entity" } as const;

/** One version of a form or entity definition as the builder reads and writes it. */
export interface DefinitionRow extends FormDefinition, Partial<EntitySettings> {
  source_table?: string | null;
}

const fail = (error: { message: string } | null) => {
  if (error) throw new Error(error.message);
};

/** Every version of a key, newest first. */
export async function loadVersions(kind: DefinitionKind, key: string): Promise<DefinitionRow[]> {
  const { data, error } = await supabaseClient.from(TABLE[kind]).select("*").eq("key", key).order("version", { ascending: false });
  fail(error);
  return (data ?? []) as DefinitionRow[];
}

/** The newest version of every key (for the builder's index). */
export async function loadLatest(kind: DefinitionKind): Promise<DefinitionRow[]> {
  const { data, error } = await supabaseClient.from(TABLE[kind]).select("id, key, version, status, title, title_en, created_at, published_at").order("key").order("version", { ascending: false });
  fail(error);
  const seen = new Set<string>();
  return ((data ?? []) as DefinitionRow[]).filter((row) => !seen.has(row.key) && seen.add(row.key));
}

type Content = Pick<DefinitionRow, "title" | "title_en" | "schema" | "ui_schema"> & Partial<EntitySettings>;

/** The columns stored for a builder document. */
export const contentOf = (kind: DefinitionKind, doc: BuilderDoc): Content => ({
  title: doc.title,
  title_en: doc.title_en || null,
  ...docToDefinition(doc),
  ...(kind === "entities" ? cleanEntitySettings(doc) : {}),
});

/**
 * Saves the builder's content as a draft: the draft is updated in place; a published (or archived)
 * version is never edited: a new draft version n+1 is created instead.
 */
export async function saveDraft(kind: DefinitionKind, key: string, content: Content, latest: DefinitionRow | undefined): Promise<DefinitionRow> {
  const table = supabaseClient.from(TABLE[kind]);
  const { data, error } =
    latest?.status === "draft"
      ? await table.update(content).eq("id", latest.id).select("*").single()
      : await table.insert({ ...content, key, version: (latest?.version ?? 0) + 1, status: "draft" }).select("*").single();
  fail(error);
  return data as DefinitionRow;
}

export async function publish(kind: DefinitionKind, key: string, version: number): Promise<DefinitionRow> {
  const { data, error } = await supabaseClient.rpc(PUBLISH[kind], { p_key: key, p_version: version });
  fail(error);
  return data as DefinitionRow;
}
