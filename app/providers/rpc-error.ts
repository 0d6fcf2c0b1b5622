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
