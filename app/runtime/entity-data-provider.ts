import type { BaseRecord, CrudFilter, CrudSort, DataProvider } from "@refinedev/core";
import { isEntitySystemColumn } from "../../core/enums/index.ts";
import { supabaseClient } from "../providers/supabase-client";
import { getPublishedEntity } from "./definitions";

/** Refine resource name of an entity: `e_<key>` (pages live at /e/<key>). */
export const resourceName = (key: string) => `e_${key}`;
export const keyOfResource = (resource: string) => resource.replace(/^e_/, "");

/**
 * The PostgREST column for a field: built-in entities have real columns; custom ones keep fields in
 * `data`, read as text (`data->>f`) for text matching and as JSON (`data->f`) where numbers and
 * booleans must compare as such.
 */
export function columnOf(key: string, field: string, asJson = false): string {
  if (getPublishedEntity(key)?.source_table || isEntitySystemColumn(field)) return field;
  return asJson ? `data->${field}` : `data->>${field}`;
}

const tableOf = (key: string) => getPublishedEntity(key)?.source_table ?? "entity_records";

const OPERATORS: Record<string, string> = {
  eq: "eq", ne: "neq", lt: "lt", gt: "gt", lte: "lte", gte: "gte", contains: "ilike", containss: "like", in: "in", null: "is",
};

function filterString(key: string, filter: CrudFilter): string | null {
  if ("field" in filter) {
    const op = OPERATORS[filter.operator];
    if (!op || filter.value === undefined || filter.value === "" || filter.value === null) return null;
    const json = typeof filter.value === "number" || typeof filter.value === "boolean";
    const column = columnOf(key, filter.field, json);
    if (op === "ilike" || op === "like") return `${column}.${op}.*${filter.value}*`;
    if (op === "in") return `${column}.in.(${(filter.value as unknown[]).join(",")})`;
    if (op === "is") return `${column}.is.null`;
    return `${column}.${op}.${filter.value}`;
  }
  const parts = filter.value.map((f) => filterString(key, f)).filter((s): s is string => !!s);
  if (!parts.length) return null;
  return `${filter.operator}(${parts.join(",")})`;
}

/** Applies Refine filters and sorters to a PostgREST query of one entity. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function applyListParams(query: any, key: string, filters: CrudFilter[] = [], sorters: CrudSort[] = []) {
  let q = query;
  for (const filter of filters) {
    const s = filterString(key, filter);
    if (!s) continue;
    // top-level logical filters are ANDed; or/and groups go through PostgREST's or=(...)/and=(...)
    if ("field" in filter) {
      const [column, op, ...rest] = s.split(".");
      q = q.filter(column, op, rest.join("."));
    } else if (filter.operator === "or") {
      q = q.or(s.slice("or(".length, -1));
    } else {
      q = applyListParams(q, key, filter.value);
    }
  }
  for (const sorter of sorters) q = q.order(columnOf(key, sorter.field, true), { ascending: sorter.order === "asc" });
  return q;
}

const fail = (error: { message: string; code?: string; details?: string | null } | null) => {
  if (error) throw Object.assign(new Error(error.message), { statusCode: 400, code: error.code, details: error.details });
};

/** Refine data provider for entity resources (`meta.dataProviderName: "entities"`). */
export const entityDataProvider: DataProvider = {
  getApiUrl: () => "",
  async getList({ resource, pagination, filters, sorters }) {
    const key = keyOfResource(resource);
    let query = supabaseClient.from(tableOf(key)).select("*", { count: "exact" });
    if (!getPublishedEntity(key)?.source_table) query = query.eq("entity_key", key);
    query = applyListParams(query, key, filters, sorters);
    if (pagination?.mode !== "off") {
      const page = pagination?.currentPage ?? 1;
      const size = pagination?.pageSize ?? 10;
      query = query.range((page - 1) * size, page * size - 1);
    }
    const { data, count, error } = await query;
    fail(error);
    return { data: data ?? [], total: count ?? 0 };
  },
  async getOne({ resource, id }) {
    const key = keyOfResource(resource);
    const { data, error } = await supabaseClient.from(tableOf(key)).select("*").eq("id", id).single();
    fail(error);
    return { data };
  },
  async create({ resource, variables }) {
    const key = keyOfResource(resource);
    const custom = !getPublishedEntity(key)?.source_table;
    const row = custom ? { entity_key: key, data: variables } : variables;
    const { data, error } = await supabaseClient.from(tableOf(key)).insert(row as never).select("*").single();
    fail(error);
    return { data: data as BaseRecord as never };
  },
  async update({ resource, id, variables }) {
    const key = keyOfResource(resource);
    const definition = getPublishedEntity(key);
    // saving upgrades the record to the published version (its form was rendered from that one)
    const row = definition?.source_table ? variables : { data: variables, entity_version: definition?.version };
    const { data, error } = await supabaseClient.from(tableOf(key)).update(row as never).eq("id", id).select("*").single();
    fail(error);
    return { data: data as BaseRecord as never };
  },
  async deleteOne({ resource, id }) {
    const key = keyOfResource(resource);
    const { data, error } = await supabaseClient.from(tableOf(key)).delete().eq("id", id).select("*").single();
    fail(error);
    return { data: data as BaseRecord as never };
  },
};
