import type { BaseRecord, CrudSort, DataProvider } from "@refinedev/core";
import { isEntitySystemColumn } from "../../core/enums/index.ts";
import { dataProvider, refineError } from "../providers/data-provider";
import { applyFilters } from "../providers/postgrest-filters";
import { supabaseClient } from "../providers/supabase-client";
import { loadPublishedEntity, type EntityDefinition } from "./definitions";

/** Refine resource name of an entity: `e_<key>` (pages live at /e/<key>). */
export const resourceName = (key: string) => `e_${key}`;
export const keyOfResource = (resource: string) => resource.replace(/^e_/, "");

/**
 * The PostgREST column for a field: built-in entities have real columns; custom ones keep fields in
 * `data`, read as text (`data->>f`) for text matching and as JSON (`data->f`) where numbers and
 * booleans must compare as such.
 */
export function columnOf(definition: EntityDefinition | undefined, field: string, asJson = false): string {
  if (definition?.source_table || isEntitySystemColumn(field)) return field;
  return asJson ? `data->${field}` : `data->>${field}`;
}

/** The table of an entity's rows and its definition, for one call of the provider. */
async function target(resource: string) {
  const key = keyOfResource(resource);
  const definition = await loadPublishedEntity(key);
  const table = definition?.source_table ?? "entity_records";
  return { key, definition, table, custom: !definition?.source_table, rows: () => supabaseClient.from(table) };
}

const fail = (error: { message: string; code?: string; details?: string | null } | null) => {
  if (error) throw refineError(error);
};

/**
 * Refine data provider for entity resources (`meta.dataProviderName: "entities"`): built-in entities
 * are their own table, read and written by the app's data provider (audit reasons included); custom
 * entities' rows live in `entity_records` with their fields in `data`, filtered by postgrest-filters
 * as every other list is.
 */
export const entityDataProvider: DataProvider = {
  getApiUrl: () => "",
  async getList(params) {
    const { key, definition, table, custom, rows } = await target(params.resource);
    if (!custom) return dataProvider.getList({ ...params, resource: table });
    const { pagination, filters, sorters } = params;
    let query = rows().select("*", { count: "exact" }).eq("entity_key", key);
    query = applyFilters(query, filters, (field, asJson) => columnOf(definition, field, asJson));
    for (const sorter of (sorters ?? []) as CrudSort[]) query = query.order(columnOf(definition, sorter.field, true), { ascending: sorter.order === "asc" });
    if (pagination?.mode !== "off") {
      const page = pagination?.currentPage ?? 1;
      const size = pagination?.pageSize ?? 10;
      query = query.range((page - 1) * size, page * size - 1);
    }
    const { data, count, error } = await query;
    fail(error);
    return { data: data ?? [], total: count ?? 0 };
  },
  async getOne(params) {
    const { table, custom, rows } = await target(params.resource);
    if (!custom) return dataProvider.getOne({ ...params, resource: table });
    const { id } = params;
    const { data, error } = await rows().select("*").eq("id", id).single();
    fail(error);
    return { data };
  },
  async create(params) {
    const { key, table, custom, rows } = await target(params.resource);
    if (!custom) return dataProvider.create({ ...params, resource: table });
    const { data, error } = await rows().insert({ entity_key: key, data: params.variables } as never).select("*").single();
    fail(error);
    return { data: data as BaseRecord as never };
  },
  async update(params) {
    const { definition, table, custom, rows } = await target(params.resource);
    if (!custom) return dataProvider.update({ ...params, resource: table });
    // saving upgrades the record to the published version (its form was rendered from that one)
    const row = { data: params.variables, entity_version: definition?.version };
    const { data, error } = await rows().update(row as never).eq("id", params.id).select("*").single();
    fail(error);
    return { data: data as BaseRecord as never };
  },
  async deleteOne(params) {
    const { table, custom, rows } = await target(params.resource);
    if (!custom) return dataProvider.deleteOne({ ...params, resource: table });
    const { data, error } = await rows().delete().eq("id", params.id).select("*").single();
    fail(error);
    return { data: data as BaseRecord as never };
  },
};
