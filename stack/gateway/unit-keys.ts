/**
 * Unit API keys at the gateway. A request whose apikey is a unit key (`uk_…`) may reach only the unit API:
 * `POST|GET /rest/v1/rpc/unit_*`, and `GET /rest/v1/` or `/unit-api/openapi.json` for the OpenAPI that
 * PostgREST serves to the key's role (only what a key may call). The gateway asks the database who the key is
 * (`api_key_authenticate`, as the service role: the hash lookup, revocation and expiry live in SQL), then
 * forwards the request with a short-lived JWT for the role `unit_api` naming the unit's service account and
 * the key; every `unit_*` function checks the key again. Each key is rate-limited (token bucket).
 */
import crypto from "node:crypto";
import http from "node:http";

export const UNIT_KEY_PREFIX = "uk_";
export const UNIT_OPENAPI_PATH = "/unit-api/openapi.json";
const UNIT_RPC = /^\/rest\/v1\/rpc\/unit_[a-z_]{1,60}$/;

export interface UnitKeyOptions {
  jwtSecret: string;
  serviceRoleKey: string;
  restUpstream: URL;
  /** Requests per second each key may make on average, and in a burst. */
  ratePerSecond: number;
  burst: number;
}

export type UnitKeyResult =
  | { ok: true; authorization: string; path: string }
  | { ok: false; status: number; body: { code: string; message: string } };

interface Identity {
  key_id: string;
  business_unit_id: string;
  account_id: string;
  token_seconds: number;
}

function signJwt(claims: Record<string, unknown>, secret: string) {
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = crypto.createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The paths a unit key may use (after normalisation), mapped to what PostgREST is asked. */
export function unitKeyPath(method: string, path: string): string | null {
  if ((method === "GET" || method === "HEAD") && (path === "/rest/v1" || path === "/rest/v1/" || path === UNIT_OPENAPI_PATH)) {
    return "/rest/v1/";
  }
  if ((method === "POST" || method === "GET") && UNIT_RPC.test(path)) return path;
  return null;
}

export function unitKeyGate(options: UnitKeyOptions) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 4000 });

  function allow(id: string) {
    const now = Date.now();
    const bucket = buckets.get(id) ?? { tokens: options.burst, at: now };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.ratePerSecond);
    bucket.at = now;
    if (buckets.size > 10_000) buckets.clear();
    buckets.set(id, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  function authenticate(secret: string): Promise<{ status: number; body: unknown }> {
    const body = JSON.stringify({ p_secret: secret });
    return new Promise((resolve, reject) => {
      const req = http.request({
        agent,
        host: options.restUpstream.hostname,
        port: options.restUpstream.port,
        method: "POST",
        path: "/rpc/api_key_authenticate",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          Authorization: `Bearer ${options.serviceRoleKey}`,
        },
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            parsed = null;
          }
          resolve({ status: res.statusCode ?? 502, body: parsed });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  return async (secret: string, method: string, path: string): Promise<UnitKeyResult> => {
    const target = unitKeyPath(method, path);
    if (!target) {
      return { ok: false, status: 403, body: { code: "api_key_path_not_allowed", message: "A unit API key may call only the unit API (rpc/unit_*)" } };
    }
    const rateId = crypto.createHash("sha256").update(secret).digest("hex");
    if (!allow(rateId)) {
      return { ok: false, status: 429, body: { code: "api_key_rate_limited", message: "Too many requests for this API key" } };
    }
    let answer: { status: number; body: unknown };
    try {
      answer = await authenticate(secret);
    } catch {
      return { ok: false, status: 502, body: { code: "upstream_unavailable", message: "upstream unavailable" } };
    }
    if (answer.status !== 200) {
      const hint = (answer.body as { hint?: unknown } | null)?.hint;
      const code = typeof hint === "string" && hint.startsWith("api_key_") ? hint : "api_key_unknown";
      return { ok: false, status: 401, body: { code, message: "Invalid API key" } };
    }
    const who = answer.body as Identity;
    const iat = Math.floor(Date.now() / 1000);
    const token = signJwt({
      aud: "authenticated",
      role: "unit_api",
      sub: who.account_id,
      api_key_id: who.key_id,
      business_unit_id: who.business_unit_id,
      iat,
      exp: iat + (who.token_seconds || 60),
    }, options.jwtSecret);
    return { ok: true, authorization: `Bearer ${token}`, path: target };
  };
}
