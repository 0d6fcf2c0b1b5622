import { supabaseClient } from "../providers/supabase-client";

/** A refused or failed RPC: the server's message and PostgREST/Postgres code (42501, P0001, PGRST202...). */
export class RpcError extends Error {
  readonly code: string;
  readonly details: string | null;
  /** The reason code a SQL refusal carries in HINT (e.g. rule_set_missing), translated by localizeRpcError. */
  readonly hint: string | null;

  constructor(message: string, code = "", details: string | null = null, hint: string | null = null) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.details = details;
    this.hint = hint;
  }
}

/** POST /rest/v1/rpc/<fn> as the signed-in user; throws RpcError with the server's message. */
export async function callRpc<T>(fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await supabaseClient.rpc(fn, args);
  if (error) throw new RpcError(error.message || String(error), error.code, error.details ?? null, error.hint ?? null);
  return data as T;
}
