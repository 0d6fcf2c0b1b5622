/**
 * One port for the API, like `supabase start`: /rest/v1 → PostgREST, /auth/v1 → auth, prefix
 * stripped. Checks the apikey as Kong's key-auth does; answers CORS preflight before the key check.
 */
import http from "node:http";
import type { Keys } from "./config.ts";

export interface Upstreams {
  rest: string;
  auth: string;
}

const KEYLESS_AUTH_PATHS = /^\/auth\/v1\/(verify|callback|authorize|\.well-known\/jwks\.json)(\/|\?|$)/;
const EXPOSED = "Content-Range, Content-Profile, X-Total-Count, Link, X-Supabase-Api-Version, x-sb-error-code";

function cors(req: http.IncomingMessage, res: http.ServerResponse) {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Credentials", "true");
  res.setHeader("Access-Control-Expose-Headers", EXPOSED);
}

function reply(res: http.ServerResponse, status: number, body: object) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

export function apiKeyOf(req: http.IncomingMessage) {
  const header = req.headers.apikey;
  if (typeof header === "string" && header) return header;
  const query = new URL(req.url ?? "/", "http://x").searchParams.get("apikey");
  return query || undefined;
}

export function createGateway(keys: Keys, upstreams: Upstreams) {
  const valid = new Set([keys.anonKey, keys.serviceRoleKey]);
  return http.createServer((req, res) => {
    cors(req, res);
    const url = req.url ?? "/";
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "*",
        "Access-Control-Max-Age": "86400",
      });
      return res.end();
    }
    let target: string;
    let rest: string;
    if (url.startsWith("/rest/v1")) {
      target = upstreams.rest;
      rest = url.slice("/rest/v1".length) || "/";
    } else if (url.startsWith("/auth/v1")) {
      target = upstreams.auth;
      rest = url.slice("/auth/v1".length) || "/";
    } else {
      return reply(res, 404, { message: "no Route matched with those values" });
    }
    if (!KEYLESS_AUTH_PATHS.test(url)) {
      const key = apiKeyOf(req);
      if (!key) return reply(res, 401, { message: "No API key found in request" });
      if (!valid.has(key)) return reply(res, 401, { message: "Invalid authentication credentials" });
    }
    if (!rest.startsWith("/")) rest = `/${rest}`;
    const upstream = http.request(
      `${target}${rest}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (up) => {
        const headers = { ...up.headers };
        delete headers["access-control-allow-origin"];
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) reply(res, 502, { message: `upstream unavailable: ${error.message}` });
      else res.destroy();
    });
    req.pipe(upstream);
  });
}
