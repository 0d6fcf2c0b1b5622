/** GoTrue's error responses in the 2024-01-01 API version shape: `{ code, message }`. */
import type { ServerResponse } from "node:http";

export const API_VERSION = "2024-01-01";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level body fields (e.g. `weak_password`), or a whole replacement body. */
    readonly extra: Record<string, unknown> = {},
    readonly replaceBody = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return this.replaceBody ? this.extra : { code: this.code, message: this.message, ...this.extra };
  }
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const unprocessable = (code: string, message: string) => new HttpError(422, code, message);
export const forbidden = (code: string, message: string) => new HttpError(403, code, message);
export const validationFailed = (message: string) => badRequest("validation_failed", message);

export const weakPassword = (min: number) =>
  new HttpError(422, "weak_password", `Password should be at least ${min} characters.`, {
    weak_password: { reasons: ["length"] },
  });

export function sendError(res: ServerResponse, error: unknown) {
  const err =
    error instanceof HttpError ? error : new HttpError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");
  if (!(error instanceof HttpError)) console.error("[auth]", error);
  if (res.headersSent) return void res.end();
  res.setHeader("x-sb-error-code", err.code);
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  // The rest of an oversize body is never read: close the connection rather than leave it on the socket.
  if (err.status === 413) res.setHeader("Connection", "close");
  res.statusCode = err.status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("X-Supabase-Api-Version", API_VERSION);
  res.end(JSON.stringify(err.body()));
}
