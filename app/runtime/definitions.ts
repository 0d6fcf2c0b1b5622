import type { RJSFSchema } from "@rjsf/utils";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { UiSchema } from "../forms/layout";
import type { FormDefinition } from "../lib/types";
import { supabaseClient } from "../providers/supabase-client";

export type EntityAction = "list" | "create" | "edit" | "delete";

/** A row of `entity_definitions` (see supabase/migrations/20261202000100_forms_and_entities.sql). */
export interface EntityDefinition extends FormDefinition {
  source_table: string | null;
  list_columns: string[];
  search_fields: string[];
  filter_fields: string[];
  default_sort: { field: string; order: "asc" | "desc" };
  permissions: Partial<Record<EntityAction, string[]>>;
}

/** A row of `entity_records`. */
export interface EntityRecord {
  id: string;
  entity_key: string;
  entity_version: number;
  data: Record<string, unknown>;
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
}

export const entityTitle = (d: Pick<EntityDefinition, "title" | "title_en"> | undefined, language: string) =>
  (d && ((language === "en" && d.title_en) || d.title)) ?? "";

/**
 * The published entity definitions, fetched at run time and shared by the menu, the routes and the
 * pages. Publishing in the builder calls `refreshEntities()`: the menu and pages follow without a
 * reload of the code. Signing in or out refetches.
 */
let published: EntityDefinition[] = [];
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

export function refreshEntities(): Promise<void> {
  loading = (async () => {
    const { data: session } = await supabaseClient.auth.getSession();
    if (!session.session) {
      published = [];
    } else {
      const { data, error } = await supabaseClient.from("entity_definitions").select("*").eq("status", "published").order("key");
      if (!error) published = (data ?? []) as EntityDefinition[];
    }
    emit();
  })();
  return loading;
}

supabaseClient.auth.onAuthStateChange((event) => {
  if (event === "SIGNED_IN" || event === "SIGNED_OUT" || event === "INITIAL_SESSION") void refreshEntities();
});

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The published definition of `key` from the last fetch (for code outside React). */
export const getPublishedEntity = (key: string) => published.find((d) => d.key === key);

/** All published entity definitions (built-in and custom), re-rendering when they change. */
export function usePublishedEntities(): EntityDefinition[] {
  return useSyncExternalStore(subscribe, () => published);
}

/** One published definition by key; `undefined` while loading or when there is none. */
export function usePublishedEntity(key: string | undefined): { definition?: EntityDefinition; loaded: boolean } {
  const all = usePublishedEntities();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    void (loading ?? refreshEntities()).then(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, []);
  const definition = all.find((d) => d.key === key);
  return { definition, loaded: loaded || !!definition };
}

/** A given version of an entity or form definition (records keep the version they were made with). */
export function useDefinitionVersion<T extends { schema: RJSFSchema; ui_schema: UiSchema }>(
  table: "entity_definitions" | "form_definitions",
  key: string | undefined,
  version: number | null | undefined,
): T | undefined {
  const [definition, setDefinition] = useState<{ id: string; value: T } | undefined>();
  const id = `${table}:${key}:${version}`;
  useEffect(() => {
    if (!key || !version) return;
    let live = true;
    void supabaseClient
      .from(table)
      .select("*")
      .eq("key", key)
      .eq("version", version)
      .maybeSingle()
      .then(({ data }) => live && data && setDefinition({ id, value: data as T }));
    return () => {
      live = false;
    };
  }, [table, key, version, id]);
  return definition?.id === id ? definition.value : undefined;
}
