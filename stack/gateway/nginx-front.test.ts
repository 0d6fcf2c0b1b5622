/**
 * nginx in front of the Node gateway: which requests nginx passes straight to PostgREST, and that those arrive
 * as the Node gateway would have sent them. Real nginx between two recording servers: one stands for PostgREST,
 * one for the Node gateway.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findNginx, FRONT_PEER_HEADER, startNginxFront, type NginxFront } from "./nginx-front.ts";

const SECRET = "a-test-secret-of-at-least-thirty-two-characters";
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
function sign(claims: object, header: object = { alg: "HS256", typ: "JWT" }) {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${crypto.createHmac("sha256", SECRET).update(head).digest("base64url")}`;
}
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const ANON = sign({ role: "anon" });
const SERVICE = sign({ role: "service_role" });
const SESSION = sign({ role: "authenticated", aud: "authenticated", exp: inAnHour(), sub: "u" });
const ORIGIN = "http://127.0.0.1:5173";
const MAX_BODY = 1000;

interface Seen {
  by: "rest" | "node";
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function recorder(by: Seen["by"], seen: Seen[]) {
  return http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ by, url: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify({ by }));
    });
  });
}

const listening = (server: http.Server) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

const found = findNginx();
const missing = "missing" in found ? found.missing : null;

describe.skipIf(missing !== null)("nginx in front of the gateway", () => {
  const seen: Seen[] = [];
  const rest = recorder("rest", seen);
  const node = recorder("node", seen);
  let front: NginxFront;
  let port = 0;

  beforeAll(async () => {
    if ("missing" in found) return;
    const [restPort, nodePort] = [await listening(rest), await listening(node)];
    const probe = http.createServer();
    port = await listening(probe);
    await new Promise((resolve) => probe.close(resolve));
    front = await startNginxFront({
      host: "127.0.0.1", port, nodePort, restPort, anonKey: ANON, serviceRoleKey: SERVICE, jwtSecret: SECRET,
      maxBodyRest: MAX_BODY, corsOrigins: [ORIGIN], trustedProxies: [],
      dir: path.join(os.tmpdir(), `nginx-front-test-${process.pid}`),
    }, found, () => {});
  });
  afterAll(async () => {
    await front?.stop();
    rest.close();
    node.close();
  });

  async function send(method: string, target: string, headers: Record<string, string> = {}, body?: string) {
    seen.length = 0;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path: target, headers, agent: false }, resolve);
      req.on("error", reject);
      req.end(body);
    });
    res.resume();
    await new Promise((resolve) => res.on("end", resolve));
    expect(seen).toHaveLength(1);
    return { seen: seen[0], res };
  }
  const keyed = (extra: Record<string, string> = {}) => ({ apikey: ANON, authorization: `Bearer ${SESSION}`, ...extra });

  it("passes a signed-in REST request straight to PostgREST, as the Node gateway would send it", async () => {
    const { seen: got, res } = await send("POST", "/rest/v1/rpc/record_transaction?select=id",
      keyed({ "content-type": "application/json", "x-forwarded-for": "6.6.6.6", [FRONT_PEER_HEADER]: "7.7.7.7", "keep-alive": "timeout=5" }),
      '{"p_amount":88}');
    expect(got.by).toBe("rest");
    expect(got.url).toBe("/rpc/record_transaction?select=id");
    expect(got.body).toBe('{"p_amount":88}');
    expect(got.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(got.headers[FRONT_PEER_HEADER]).toBeUndefined();
    expect(got.headers["keep-alive"]).toBeUndefined();
    expect(got.headers.authorization).toBe(`Bearer ${SESSION}`);
    expect(got.headers.apikey).toBe(ANON);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("answers CORS for allowed origins only, never with the upstream's own headers", async () => {
    const allowed = await send("GET", "/rest/v1/tiers", keyed({ origin: ORIGIN }));
    expect(allowed.seen.by).toBe("rest");
    expect(allowed.res.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(allowed.res.headers["access-control-allow-credentials"]).toBe("true");
    expect(allowed.res.headers["access-control-expose-headers"]).toContain("Content-Range");
    const foreign = await send("GET", "/rest/v1/tiers", keyed({ origin: "http://evil.example" }));
    expect(foreign.seen.by).toBe("rest");
    expect(foreign.res.headers["access-control-allow-origin"]).toBeUndefined();
    expect(foreign.res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("takes the service key, a key in the query, and a request without a session", async () => {
    expect((await send("GET", "/rest/v1/tiers", { apikey: SERVICE })).seen.by).toBe("rest");
    expect((await send("GET", `/rest/v1/tiers?apikey=${ANON}`)).seen.by).toBe("rest");
  });

  const toNode: [string, string, string, Record<string, string>][] = [
    ["no apikey", "GET", "/rest/v1/tiers", { authorization: `Bearer ${SESSION}` }],
    ["an unknown apikey", "GET", "/rest/v1/tiers", keyed({ apikey: "nope" })],
    ["a unit key", "GET", "/rest/v1/rpc/unit_member", keyed({ apikey: "uk_abc" })],
    ["an expired session", "GET", "/rest/v1/tiers", keyed({ authorization: `Bearer ${sign({ aud: "authenticated", exp: 1000 })}` })],
    ["a session without exp", "GET", "/rest/v1/tiers", keyed({ authorization: `Bearer ${sign({ aud: "authenticated" })}` })],
    ["another audience", "GET", "/rest/v1/tiers", keyed({ authorization: `Bearer ${sign({ aud: "other", exp: inAnHour() })}` })],
    ["a tampered session", "GET", "/rest/v1/tiers", keyed({ authorization: `Bearer ${SESSION.slice(0, -2)}xx` })],
    ["another algorithm", "GET", "/rest/v1/tiers", keyed({ authorization: `Bearer ${sign({ exp: inAnHour() }, { alg: "HS512" })}` })],
    ["not a bearer", "GET", "/rest/v1/tiers", keyed({ authorization: "Basic abc" })],
    ["a dot segment", "GET", "/rest/v1/../auth/v1/admin/users", keyed()],
    ["a doubled slash", "GET", "/rest/v1//tiers", keyed()],
    ["an encoded slash", "GET", "/rest/v1/rpc%2fx", keyed()],
    ["an encoded dot", "GET", "/rest/v1/%2e%2e/x", keyed()],
    ["the auth route", "POST", "/auth/v1/token?grant_type=password", { apikey: ANON }],
    ["a preflight", "OPTIONS", "/rest/v1/tiers", { origin: ORIGIN, "access-control-request-method": "POST" }],
    ["a declared body over the limit", "POST", "/rest/v1/rpc/x", keyed({ "content-length": String(MAX_BODY + 1) })],
  ];
  it.each(toNode)("leaves %s to the Node gateway, with the client's address and target unchanged", async (_, method, target, headers) => {
    const body = headers["content-length"] ? "x".repeat(Number(headers["content-length"])) : undefined;
    const { seen: got } = await send(method, target, { ...headers, [FRONT_PEER_HEADER]: "7.7.7.7" }, body);
    expect(got.by).toBe("node");
    expect(got.url).toBe(target);
    expect(got.headers[FRONT_PEER_HEADER]).toBe("127.0.0.1");
  });

  it("never passes two apikeys or two sessions to PostgREST: the Node gateway decides, or nginx refuses them", async () => {
    const twice = (name: string, value: string) =>
      new Promise<number>((resolve, reject) => {
        seen.length = 0;
        const req = http.request({ host: "127.0.0.1", port, method: "GET", path: "/rest/v1/tiers", agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.setHeader(name, [value, value]);
        if (name !== "apikey") req.setHeader("apikey", ANON);
        req.end();
      });
    await twice("apikey", ANON);
    expect(seen.map((s) => s.by)).toEqual(["node"]);
    expect(await twice("authorization", `Bearer ${SESSION}`)).toBe(400);
    expect(seen).toEqual([]);
  });
});

// CI installs nginx (.ci/run), so there the tests above never skip.
it.runIf(process.env.CI === "true")("finds nginx and its JavaScript module on CI", () => expect(missing).toBeNull());
