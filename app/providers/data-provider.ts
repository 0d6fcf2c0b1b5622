import type { DataProvider, MetaQuery } from "@refinedev/core";
import { dataProvider as supabaseDataProvider } from "@refinedev/supabase";
import type { SupabaseClient } from "@supabase/supabase-js";
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

/**
 * Refine's Supabase data provider; a write whose meta carries `auditReason` records it as the
 * reason of the audit rows it causes.
 */
export const dataProvider: DataProvider = {
  ...plain,
  create: ((params) => forMeta(params.meta).create(params)) as DataProvider["create"],
  update: ((params) => forMeta(params.meta).update(params)) as DataProvider["update"],
  deleteOne: ((params) => forMeta(params.meta).deleteOne(params)) as DataProvider["deleteOne"],
};
