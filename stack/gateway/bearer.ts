/**
 * Bearer JWTs on /rest/v1 must be HS256, signed with the stack's secret, carry an exp in the future
 * and, when they carry an aud, name "authenticated". PostgREST checks the signature and a foreign aud
 * itself (jwt-aud) but accepts tokens without exp; this closes that gap. Verified tokens are cached
 * until they expire so the HMAC runs once per token, not once per request.
 */
import crypto from "node:crypto";

export const JWT_AUDIENCE = "authenticated";
const CACHE_LIMIT = 10_000;

export type BearerCheck = { ok: true } | { ok: false; message: string };

function b64json(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function bearerChecker(secret: string) {
  const key = Buffer.from(secret, "utf8");
  const cache = new Map<string, number>();
  const now = () => Math.floor(Date.now() / 1000);

  function verify(token: string): BearerCheck & { exp?: number } {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, message: "JWT cryptographic operation failed" };
    const header = b64json(parts[0]);
    if (header?.alg !== "HS256") return { ok: false, message: "JWT cryptographic operation failed" };
    const expected = crypto.createHmac("sha256", key).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], "base64url");
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      return { ok: false, message: "JWT cryptographic operation failed" };
    }
    const claims = b64json(parts[1]);
    if (!claims) return { ok: false, message: "JWT cryptographic operation failed" };
    if (typeof claims.exp !== "number") return { ok: false, message: "JWT has no exp claim" };
    if (claims.exp <= now()) return { ok: false, message: "JWT expired" };
    if (claims.aud !== undefined && claims.aud !== JWT_AUDIENCE) return { ok: false, message: "JWT not in audience" };
    return { ok: true, exp: claims.exp };
  }

  return (authorization: string | undefined): BearerCheck => {
    if (!authorization) return { ok: true };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { ok: false, message: "Authorization header must be a Bearer token" };
    const token = match[1];
    const cachedExp = cache.get(token);
    if (cachedExp !== undefined) {
      if (cachedExp > now()) return { ok: true };
      cache.delete(token);
    }
    const result = verify(token);
    if (result.ok && result.exp !== undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(token, result.exp);
    }
    return result.ok ? { ok: true } : result;
  };
}
