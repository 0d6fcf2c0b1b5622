/** Request/response helpers for node:http. */
import type { IncomingMessage, ServerResponse } from "node:http";
import net from "node:net";
import { API_VERSION, badRequest, HttpError } from "./errors.ts";

export const DEFAULT_MAX_BODY = 1024 * 1024;

const tooLarge = (limit: number) => new HttpError(413, "request_too_large", `Request body is larger than ${limit} bytes`);

/**
 * The whole body, up to limit bytes. Past the limit the rest is still read and dropped (never by
 * destroying the request, which would kill the socket before the 413 is written).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", () => reject(new HttpError(400, "request_aborted", "The request body was not received in full")));
  });
}

export async function readJson(req: IncomingMessage, limit = DEFAULT_MAX_BODY): Promise<Record<string, unknown>> {
  const text = (await readBody(req, limit)).toString("utf8").trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("bad_json", "Could not parse request body as JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("bad_json", "Request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("X-Supabase-Api-Version", API_VERSION);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

export function sendNoContent(res: ServerResponse) {
  res.statusCode = 204;
  res.setHeader("X-Supabase-Api-Version", API_VERSION);
  res.end();
}

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy (the gateway), the last
 * address that proxy put in X-Forwarded-For. Entries before it were written by the client and are
 * never believed. Must be a valid `inet` or null.
 */
export function clientIp(req: IncomingMessage, trustedProxies: readonly string[]): string | null {
  const peer = req.socket.remoteAddress ?? "";
  let candidate = peer;
  if (trustedProxies.includes(peer)) {
    const forwarded = req.headers["x-forwarded-for"];
    const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").pop()?.trim();
    if (last) candidate = last;
  }
  return net.isIP(candidate) ? candidate : null;
}

export function userAgent(req: IncomingMessage): string | null {
  return req.headers["user-agent"] ?? null;
}

/** Optional string field of a JSON body; anything else but null/undefined is a validation error. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest("validation_failed", `${key} must be a string`);
  return value;
}

export function optionalObject(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("validation_failed", `${key} must be an object`);
  }
  return value as Record<string, unknown>;
}
