import type { RJSFSchema } from "@rjsf/utils";
import { useList, type BaseRecord } from "@refinedev/core";
import { useEffect, useSyncExternalStore } from "react";
import type { UiSchema } from "../forms/layout";
import type { FormDefinition } from "../lib/types";
import { dataProvider } from "../providers/data-provider";
import { queryClient } from "../providers/query-client";
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

const PUBLISHED = ["entity_definitions", "published"] as const;

async function fetchPublished(): Promise<EntityDefinition[]> {
  const { data: auth } = await supabaseClient.auth.getSession();
  if (!auth.session) return [];
  const { data } = await dataProvider.getList<EntityDefinition>({
    resource: "entity_definitions",
    filters: [{ field: "status", operator: "eq", value: "published" }],
    sorters: [{ field: "key", order: "asc" }],
    pagination: { mode: "off" },
  });
  return data;
}

/**
 * The published entity definitions, shared by the menu, the routes, the pages and the entity data
 * provider through the query cache (which signing in or out empties). Publishing in the builder
 * calls `refreshEntities()`: the menu and pages follow without a reload of the code.
 */
const publishedQuery = { queryKey: PUBLISHED, queryFn: fetchPublished, staleTime: Infinity, gcTime: Infinity };

/** Fetches the published definitions again (after publishing, signing in or out). */
export async function refreshEntities(): Promise<void> {
  await queryClient.fetchQuery({ ...publishedQuery, staleTime: 0 });
}

/** The published definition of `key` (for the entity data provider, outside React). */
export async function loadPublishedEntity(key: string): Promise<EntityDefinition | undefined> {
  return (await queryClient.fetchQuery(publishedQuery)).find((d) => d.key === key);
}

const NONE: EntityDefinition[] = [];
const isPublishedKey = (key: readonly unknown[]) => key[0] === PUBLISHED[0] && key[1] === PUBLISHED[1];
const subscribe = (onChange: () => void) =>
  queryClient.getQueryCache().subscribe((event) => {
    if (isPublishedKey(event.query.queryKey)) onChange();
  });
const definitionsNow = () => queryClient.getQueryData<EntityDefinition[]>(PUBLISHED) ?? NONE;
const statusNow = () => queryClient.getQueryState(PUBLISHED)?.status;

/**
 * The cached definitions, followed by key (the cache entry is dropped and made again when someone
 * signs in or out); fetched whenever there is no entry.
 */
function usePublishedQuery() {
  const definitions = useSyncExternalStore(subscribe, definitionsNow);
  const status = useSyncExternalStore(subscribe, statusNow);
  useEffect(() => {
    if (!status) void queryClient.fetchQuery(publishedQuery).catch(() => undefined);
  }, [status]);
  return { definitions, loaded: status === "success" || status === "error" };
}

/** Re-reads the published definitions whenever someone signs in or out. */
export function useRefreshEntitiesOnSignIn() {
  useEffect(() => {
    const { data } = supabaseClient.auth.onAuthStateChange((event) => {
      if (event === "SIGNED_IN" || event === "SIGNED_OUT") void refreshEntities().catch(() => undefined);
    });
    return () => data.subscription.unsubscribe();
  }, []);
}

/** All published entity definitions (built-in and custom), re-rendering when they change. */
export function usePublishedEntities(): EntityDefinition[] {
  return usePublishedQuery().definitions;
}

/** One published definition by key; `undefined` while loading or when there is none. */
export function usePublishedEntity(key: string | undefined): { definition?: EntityDefinition; loaded: boolean } {
  const { definitions, loaded } = usePublishedQuery();
  const definition = definitions.find((d) => d.key === key);
  return { definition, loaded: loaded || !!definition };
}

/** A given version of an entity or form definition (records keep the version they were made with). */
export function useDefinitionVersion<T extends { schema: RJSFSchema; ui_schema: UiSchema }>(
  table: "entity_definitions" | "form_definitions",
  key: string | undefined,
  version: number | null | undefined,
): T | undefined {
  const { result, query } = useList<T & BaseRecord>({
    resource: table,
    filters: [
      { field: "key", operator: "eq", value: key },
      { field: "version", operator: "eq", value: version },
    ],
    pagination: { mode: "off" },
    queryOptions: { enabled: !!key && !!version },
    errorNotification: false,
  });
  return key && version && query.isSuccess ? result.data[0] : undefined;
}
