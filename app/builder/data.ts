import { callRpc } from "../data/rpc";
import type { FormDefinition } from "../lib/types";
import { dataProvider } from "../providers/data-provider";
import { cleanEntitySettings, docToDefinition, type BuilderDoc, type EntitySettings } from "./model";

export type DefinitionKind = "forms" | "entities";
const TABLE = { forms: "form_definitions", entities: "entity_definitions" } as const;
const PUBLISH = { forms: "publish_form", entities: "publish_entity" } as const;

/** One version of a form or entity definition as the builder reads and writes it. */
export interface DefinitionRow extends FormDefinition, Partial<EntitySettings> {
  source_table?: string | null;
}

async function listRows(kind: DefinitionKind, select: string, key?: string) {
  const { data } = await dataProvider.getList<DefinitionRow>({
    resource: TABLE[kind],
    filters: key === undefined ? [] : [{ field: "key", operator: "eq", value: key }],
    sorters: [
      { field: "key", order: "asc" },
      { field: "version", order: "desc" },
    ],
    pagination: { mode: "off" },
    meta: { select },
  });
  return data;
}

/** Every version of a key, newest first. */
export const loadVersions = (kind: DefinitionKind, key: string): Promise<DefinitionRow[]> => listRows(kind, "*", key);

/** The newest version of every key (for the builder's index). */
export async function loadLatest(kind: DefinitionKind): Promise<DefinitionRow[]> {
  const rows = await listRows(kind, "id, key, version, status, title, title_en, created_at, published_at");
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.key) && seen.add(row.key));
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
  const { data } =
    latest?.status === "draft"
      ? await dataProvider.update<DefinitionRow>({ resource: TABLE[kind], id: latest.id, variables: content, meta: { select: "*" } })
      : await dataProvider.create<DefinitionRow>({
          resource: TABLE[kind],
          variables: { ...content, key, version: (latest?.version ?? 0) + 1, status: "draft" },
          meta: { select: "*" },
        });
  // An update that matched no row: the draft was published or removed meanwhile.
  if (!data) throw Object.assign(new Error("the draft no longer exists"), { code: "P0002", hint: "definition_draft_missing" });
  return data;
}

export const publish = (kind: DefinitionKind, key: string, version: number): Promise<DefinitionRow> =>
  callRpc<DefinitionRow>(PUBLISH[kind], { p_key: key, p_version: version });
