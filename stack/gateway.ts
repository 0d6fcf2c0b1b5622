/**
 * One port for the API, like `supabase start`: /rest/v1 → PostgREST, /auth/v1 → auth, prefix
 * stripped. The request target is normalised first (gateway/path.ts), so routing and the apikey
 * check (Kong key-auth) see the path the upstream will see. CORS preflight is answered before the
 * key check, for allowed origins only. Bodies over the route's limit are refused with 413 (after the
 * client has sent them, within bounds) and the connection is closed, so no half-read body is left on a
 * socket that is used again.
 */
import http from "node:http";
import type { Keys } from "./config.ts";
import { bearerChecker } from "./gateway/bearer.ts";
import { corsHeaders } from "./gateway/cors.ts";
import { normaliseTarget } from "./gateway/path.ts";
import { UNIT_KEY_PREFIX, UNIT_OPENAPI_PATH, unitKeyGate } from "./gateway/unit-keys.ts";

export interface Upstreams {
  rest: string;
  auth: string;
}

export interface GatewayOptions {
  jwtSecret: string;
  /** Origins whose pages may call the API with credentials; "*" allows any origin without them. */
  corsOrigins: readonly string[];
  /** Largest request body in bytes, per route. */
  maxBody: { rest: number; auth: number };
  /** Socket addresses whose X-Forwarded-For is kept (extended); from anyone else it is replaced. */
  trustedProxies: readonly string[];
  /**
   * Set when nginx fronts this gateway (gateway/nginx-front.ts): the header in which it names the client's
   * address, taken as the peer's for requests from the loopback interface.
   */
  frontPeerHeader?: string;
  /** Unit API keys: requests per second per key on average and in a burst (defaults 20 and 40). */
  unitKeyRate?: { perSecond: number; burst: number };
}

const KEYLESS_AUTH_PATHS = /^\/auth\/v1\/(verify|callback|authorize|\.well-known\/jwks\.json)(\/|$)/;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);
/** CORS answers are the gateway's own (gateway/cors.ts), never an upstream's. */
const UPSTREAM_CORS = new Set(["access-control-allow-origin", "access-control-allow-credentials"]);
/** A unit key's own headers are replaced by the gateway's token. */
const UNIT_KEY_DROPPED = new Set(["apikey", "authorization"]);

/** The headers to pass on: built anew without the dropped names (deleting keys makes every later access slow). */
function forwarded(headers: http.IncomingHttpHeaders, drop: ReadonlySet<string>, alsoDrop?: ReadonlySet<string>): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (!drop.has(name) && !alsoDrop?.has(name)) out[name] = headers[name];
  }
  return out;
}

function reply(res: http.ServerResponse, status: number, body: object, close = false) {
  const headers: http.OutgoingHttpHeaders = { "Content-Type": "application/json" };
  if (close) headers.Connection = "close";
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

export function apiKeyOf(req: http.IncomingMessage, search: string) {
  const header = req.headers.apikey;
  if (typeof header === "string" && header) return header;
  if (!search.includes("apikey=")) return undefined;
  return new URLSearchParams(search).get("apikey") || undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** The address the request came from: the socket's, or the one nginx in front names for it. */
function peerAddress(req: http.IncomingMessage, frontPeerHeader?: string) {
  const socketPeer = req.socket.remoteAddress ?? "";
  if (!frontPeerHeader || !LOOPBACK.has(socketPeer)) return socketPeer;
  const named = req.headers[frontPeerHeader];
  return typeof named === "string" && named ? named : socketPeer;
}

/**
 * The client's address as the one X-Forwarded-For entry sent upstream: the peer's, unless the peer is
 * a trusted proxy; then the nearest address in its X-Forwarded-For that is not a trusted proxy itself.
 */
function clientAddress(req: http.IncomingMessage, trusted: ReadonlySet<string>, frontPeerHeader?: string) {
  const peer = peerAddress(req, frontPeerHeader);
  if (!trusted.has(peer)) return peer;
  const given = req.headers["x-forwarded-for"];
  const hops = (typeof given === "string" ? given : "").split(",").map((hop) => hop.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i])) return hops[i];
  return peer;
}

function tooLarge(res: http.ServerResponse, limit: number) {
  reply(res, 413, { code: "request_too_large", message: `Request body is larger than ${limit} bytes` }, true);
}

/** How much of a refused body is read and dropped, as a multiple of the limit, and for how long. */
const DRAIN_FACTOR = 4;
const DRAIN_MS = 5_000;

/**
 * Answers 413 once the client has sent its body (read and dropped, up to DRAIN_FACTOR times the limit and
 * DRAIN_MS), so it reads the answer rather than a broken pipe; then the connection closes.
 */
function refuseOversize(req: http.IncomingMessage, res: http.ServerResponse, limit: number, received = 0) {
  let drained = received;
  const answer = () => {
    clearTimeout(timer);
    if (!res.headersSent) tooLarge(res, limit);
  };
  const timer = setTimeout(answer, DRAIN_MS);
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_FACTOR * limit) answer();
  });
  req.on("end", answer);
  req.resume();
}

export function createGateway(keys: Keys, upstreams: Upstreams, options: GatewayOptions) {
  const valid = new Set([keys.anonKey, keys.serviceRoleKey]);
  const cors = corsHeaders(options.corsOrigins);
  const checkBearer = bearerChecker(options.jwtSecret);
  const trusted = new Set(options.trustedProxies);
  const dropped = options.frontPeerHeader ? new Set([...HOP_BY_HOP, options.frontPeerHeader]) : HOP_BY_HOP;
  // Idle sockets are dropped before the upstreams' own 5 s keep-alive timeout can close them under us.
  // Nagle off: a request's head and body leave at once instead of waiting for the upstream's ACK.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000, noDelay: true });
  const hosts = { rest: new URL(upstreams.rest), auth: new URL(upstreams.auth) };
  const unitKey = unitKeyGate({
    jwtSecret: options.jwtSecret,
    serviceRoleKey: keys.serviceRoleKey,
    restUpstream: hosts.rest,
    ratePerSecond: options.unitKeyRate?.perSecond ?? 20,
    burst: options.unitKeyRate?.burst ?? 40,
  });

  const server = http.createServer((req, res) => {
    const allowedOrigin = cors(req, res);
    if (req.method === "OPTIONS") {
      const headers: http.OutgoingHttpHeaders = {};
      if (allowedOrigin) {
        headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
        headers["Access-Control-Allow-Headers"] = req.headers["access-control-request-headers"] ?? "*";
        headers["Access-Control-Max-Age"] = "86400";
      }
      res.writeHead(204, headers);
      return res.end();
    }
    const target = normaliseTarget(req.url ?? "/");
    if ("error" in target) return reply(res, 400, { message: target.error }, true);
    const { path, search } = target;
    const presented = apiKeyOf(req, search);
    if (presented?.startsWith(UNIT_KEY_PREFIX) || path === UNIT_OPENAPI_PATH) {
      if (!presented?.startsWith(UNIT_KEY_PREFIX)) return reply(res, 401, { message: "No API key found in request" });
      unitKey(presented, req.method ?? "GET", path).then(
        (gate) => {
          if (!gate.ok) return reply(res, gate.status, gate.body);
          const headers = forwarded(req.headers, dropped, UNIT_KEY_DROPPED);
          headers.authorization = gate.authorization;
          const params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
          params.delete("apikey");
          const query = params.size ? `?${params}` : "";
          proceed(req, res, "rest", gate.path.slice("/rest/v1".length) || "/", query, headers);
        },
        () => reply(res, 502, { message: "upstream unavailable" }),
      );
      return;
    }
    let route: "rest" | "auth";
    let rest: string;
    if (path === "/rest/v1" || path.startsWith("/rest/v1/")) {
      route = "rest";
      rest = path.slice("/rest/v1".length) || "/";
    } else if (path === "/auth/v1" || path.startsWith("/auth/v1/")) {
      route = "auth";
      rest = path.slice("/auth/v1".length) || "/";
    } else {
      return reply(res, 404, { message: "no Route matched with those values" });
    }
    if (!KEYLESS_AUTH_PATHS.test(path)) {
      const key = apiKeyOf(req, search);
      if (!key) return reply(res, 401, { message: "No API key found in request" });
      if (!valid.has(key)) return reply(res, 401, { message: "Invalid authentication credentials" });
    }
    if (route === "rest") {
      const bearer = checkBearer(req.headers.authorization);
      if (!bearer.ok) {
        res.setHeader("WWW-Authenticate", `Bearer error="invalid_token", error_description="${bearer.message}"`);
        return reply(res, 401, { code: "PGRST301", details: null, hint: null, message: bearer.message });
      }
    }
    proceed(req, res, route, rest, search, forwarded(req.headers, dropped));
  });

  /** Passes the request on to its upstream with the given headers, streaming the body within the route's limit. */
  function proceed(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: "rest" | "auth",
    rest: string,
    search: string,
    headers: http.OutgoingHttpHeaders,
  ) {
    const limit = options.maxBody[route];
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) return refuseOversize(req, res, limit);

    if (req.headers["transfer-encoding"]) headers["transfer-encoding"] = "chunked";
    headers.host = hosts[route].host;
    headers["x-forwarded-for"] = clientAddress(req, trusted, options.frontPeerHeader);
    const upstream = http.request({
      agent,
      host: hosts[route].hostname,
      port: hosts[route].port,
      method: req.method,
      path: rest + search,
      headers,
    });
    upstream.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, forwarded(up.headers, HOP_BY_HOP, UPSTREAM_CORS));
      up.pipe(res);
    });
    let refused = false;
    upstream.on("error", () => {
      if (refused) return;
      if (!res.headersSent) reply(res, 502, { message: "upstream unavailable" });
      else res.destroy();
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });

    if (!req.headers["content-length"] && !req.headers["transfer-encoding"]) {
      upstream.end();
      return;
    }
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        refused = true;
        req.removeAllListeners("data");
        req.removeAllListeners("end");
        upstream.destroy();
        refuseOversize(req, res, limit, size);
        return;
      }
      if (!upstream.write(chunk)) req.pause();
    });
    upstream.on("drain", () => req.resume());
    req.on("end", () => {
      if (size <= limit) upstream.end();
    });
  }
  server.on("close", () => agent.destroy());
  return server;
}
