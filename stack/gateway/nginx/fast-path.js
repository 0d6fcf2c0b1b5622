/*
 * njs (nginx's JavaScript) for the gateway's fast path: decides whether nginx may pass a /rest/v1 request
 * straight to PostgREST. Only a request the Node gateway (stack/gateway.ts) would pass unchanged qualifies: a
 * clean path, exactly one apikey that is the anon or service key, at most one Authorization that is a valid,
 * unexpired HS256 JWT for the "authenticated" audience (or none), a declared body within the REST limit, and a
 * peer that is not a trusted proxy. Everything else (refusals, unit keys, CORS preflight, auth) goes to the Node
 * gateway, which gives every answer. Settings arrive as environment variables named in nginx.conf (`env`).
 */
import crypto from "crypto";

const env = process.env;
const VALID_KEYS = [env.GW_ANON_KEY, env.GW_SERVICE_KEY];
const SECRET = env.GW_JWT_SECRET;
const MAX_BODY = Number(env.GW_MAX_BODY_REST);
const TRUSTED = (env.GW_TRUSTED_PROXIES || "").split(",").filter((a) => a);
const AUDIENCE = env.GW_JWT_AUDIENCE;
const HIDDEN = new RegExp(env.GW_HIDDEN_PATH, "i");
const PREFIX = "/rest/v1/";
const FAST_METHODS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"];

function rawPath(r) {
  const uri = r.variables.request_uri;
  const at = uri.indexOf("?");
  return at === -1 ? uri : uri.slice(0, at);
}

/** The same path after normalisation: no empty, "." or ".." segment, nothing hidden behind percent-encoding. */
function cleanPath(path) {
  if (path.indexOf(PREFIX) !== 0 || HIDDEN.test(path)) return false;
  const segments = path.split("/");
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    if (s === "" || s === "." || s === "..") return false;
  }
  return true;
}

function headerCount(r, name) {
  let n = 0;
  const raw = r.rawHeadersIn;
  for (let i = 0; i < raw.length; i++) if (raw[i][0].toLowerCase() === name) n++;
  return n;
}

function json(part) {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString());
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch (error) {
    // njs has no catch without a binding
    void error;
    return null;
  }
}

function validBearer(authorization) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return false;
  const parts = match[1].split(".");
  if (parts.length !== 3) return false;
  const header = json(parts[0]);
  if (!header || header.alg !== "HS256") return false;
  const expected = crypto.createHmac("sha256", SECRET).update(parts[0] + "." + parts[1]).digest("base64url");
  if (expected !== parts[2]) return false;
  const claims = json(parts[1]);
  if (!claims || typeof claims.exp !== "number" || claims.exp <= Math.floor(Date.now() / 1000)) return false;
  return claims.aud === undefined || claims.aud === AUDIENCE;
}

function presentedKey(r) {
  const keys = headerCount(r, "apikey");
  if (keys > 1) return null;
  if (keys === 1) return r.headersIn.apikey || null;
  const args = r.variables.args || "";
  if (args.indexOf("apikey=") === -1) return null;
  const matches = args.split("&").filter((pair) => pair.indexOf("apikey=") === 0);
  return matches.length === 1 ? matches[0].slice("apikey=".length) : null;
}

/** "1" when nginx may pass the request to PostgREST itself. */
function fast(r) {
  if (FAST_METHODS.indexOf(r.method) === -1) return "";
  if (!cleanPath(rawPath(r))) return "";
  if (TRUSTED.indexOf(r.remoteAddress) !== -1) return "";
  if (r.headersIn["Transfer-Encoding"] !== undefined) return "";
  const length = r.headersIn["Content-Length"];
  if (length !== undefined && !(Number(length) <= MAX_BODY)) return "";
  const key = presentedKey(r);
  if (VALID_KEYS.indexOf(key) === -1) return "";
  const authorizations = headerCount(r, "authorization");
  if (authorizations > 1) return "";
  if (authorizations === 1 && !validBearer(r.headersIn.Authorization)) return "";
  return "1";
}

export default { fast };
