/** Request/response helpers for node:http. */
import type { IncomingMessage, ServerResponse } from "node:http";
import net from "node:net";
import { API_VERSION, badRequest, HttpError } from "./errors.ts";

const MAX_BODY = 1024 * 1024;

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, "request_too_large", "Request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
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

/** Client IP as the gateway reports it; must be a valid `inet` or null. */
export function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const candidate = first || req.socket.remoteAddress || "";
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
