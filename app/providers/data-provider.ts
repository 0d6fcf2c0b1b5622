import type { BaseRecord, DataProvider, GetListParams, GetListResponse, MetaQuery } from "@refinedev/core";
import { dataProvider as supabaseDataProvider } from "@refinedev/supabase";
import type { SupabaseClient } from "@supabase/supabase-js";
import { applyFilters } from "./postgrest-filters";
import { readRelation } from "./read-relation";
import { RpcError } from "./rpc-error";
import { supabaseClient } from "./supabase-client";

/** Read by the audit trigger (private.request_reason) through PostgREST's request.headers. */
const AUDIT_REASON_HEADER = "x-audit-reason";

/** supabaseClient, except that every table request it starts says why (header values are Latin-1, hence the encoding). */
function clientWithReason(reason: string): SupabaseClient {
  const client = Object.create(supabaseClient) as SupabaseClient;
  client.from = ((relation: string) => {
    const builder = supabaseClient.from(relation);
    builder.headers.set(AUDIT_REASON_HEADER, encodeURIComponent(reason));
    return builder;
  }) as SupabaseClient["from"];
  return client;
}

const plain = supabaseDataProvider(supabaseClient);
const forMeta = (meta?: MetaQuery) => {
  const reason = typeof meta?.auditReason === "string" ? meta.auditReason.trim() : "";
  return reason ? supabaseDataProvider(clientWithReason(reason)) : plain;
};

/** Thrown like @refinedev/supabase does: the PostgREST error with a numeric statusCode where the code is one. */
export const refineError = (error: { message: string; code?: string; details?: string | null; hint?: string | null }) =>
  Object.assign(new Error(error.message), { ...error, statusCode: Number.parseInt(error.code ?? "", 10) || 400 });

/**
 * A page of rows (meta.select, meta.count as with @refinedev/supabase); filters through
 * postgrest-filters, so that searched text is matched as typed whatever characters it holds.
 */
async function getList<T extends BaseRecord>({ resource, pagination, filters, sorters, meta }: GetListParams): Promise<GetListResponse<T>> {
  const { currentPage = 1, pageSize = 10, mode = "server" } = pagination ?? {};
  let query = supabaseClient.from(readRelation(resource)).select((meta?.select as string | undefined) ?? "*", { count: (meta?.count as "exact" | undefined) ?? "exact" });
  query = applyFilters(query, filters);
  for (const sorter of sorters ?? []) query = query.order(sorter.field, { ascending: sorter.order === "asc" });
  if (mode === "server") query = query.range((currentPage - 1) * pageSize, currentPage * pageSize - 1);
  const { data, count, error } = await query;
  if (error) throw refineError(error);
  return { data: (data ?? []) as unknown as T[], total: count ?? 0 };
}

const RPC_PREFIX = "rpc/";

/** POST /rest/v1/rpc/<fn> as the signed-in user (`url: "rpc/<fn>"`, the arguments as payload); refusals throw RpcError. */
const custom = (async ({ url, payload }) => {
  if (!url.startsWith(RPC_PREFIX)) throw new Error(`only rpc/<function> calls are supported, not ${url}`);
  const { data, error } = await supabaseClient.rpc(url.slice(RPC_PREFIX.length), (payload ?? {}) as Record<string, unknown>);
  if (error) throw new RpcError(error.message || String(error), error.code, error.details ?? null, error.hint ?? null);
  return { data };
}) as DataProvider["custom"];

/**
 * The app's one data provider: Refine's Supabase provider with quoted filters and RPC calls; reads of members
 * go through member_directory (read-relation); a write whose meta carries `auditReason` records it as the
 * reason of the audit rows it causes.
 */
export const dataProvider: DataProvider = {
  ...plain,
  getList: getList as DataProvider["getList"],
  getOne: ((params) => plain.getOne({ ...params, resource: readRelation(params.resource) })) as DataProvider["getOne"],
  getMany: ((params) => plain.getMany!({ ...params, resource: readRelation(params.resource) })) as DataProvider["getMany"],
  custom,
  create: ((params) => forMeta(params.meta).create(params)) as DataProvider["create"],
  update: ((params) => forMeta(params.meta).update(params)) as DataProvider["update"],
  deleteOne: ((params) => forMeta(params.meta).deleteOne(params)) as DataProvider["deleteOne"],
};
