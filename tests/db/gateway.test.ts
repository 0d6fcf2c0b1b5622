import { SignJWT } from "jose";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { appUrl, config } from "../../stack/config.ts";
import { apiUrl, keys, signedIn, demoEmail, superuser } from "./stack-env.ts";

const secret = () => new TextEncoder().encode(config.jwtSecret);

async function restGet(path: string, headers: Record<string, string>) {
  const res = await fetch(`${apiUrl()}/rest/v1${path}`, { headers });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe("gateway", () => {
  it("refuses a request without an apikey with 401", async () => {
    const res = await restGet("/members", {});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "No API key found in request" });
  });

  it("refuses a wrong apikey with 401", async () => {
    const res = await restGet("/members", { apikey: "not-a-key" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Invalid authentication credentials" });
  });

  it("answers CORS preflight without a key and exposes the headers supabase-js reads", async () => {
    const res = await fetch(`${apiUrl()}/rest/v1/members`, {
      method: "OPTIONS",
      headers: { origin: appUrl(), "access-control-request-headers": "apikey,authorization,prefer" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(appUrl());
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-headers")).toBe("apikey,authorization,prefer");
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Supabase-Api-Version");
  });
});

describe("JWTs at PostgREST", () => {
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

  it("accept a valid session token", async () => {
    const { session } = await signedIn(demoEmail("staff"));
    const { anonKey } = await keys();
    const res = await restGet("/tiers?select=code", { apikey: anonKey, authorization: `Bearer ${session.access_token}` });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(4);
  });

  it("refuse an expired token", async () => {
    const { session } = await signedIn(demoEmail("staff"));
    const claims = claimsOf(session.access_token);
    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 120 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(secret());
    const { anonKey } = await keys();
    const res = await restGet("/tiers", { apikey: anonKey, authorization: `Bearer ${expired}` });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("PGRST301");
  });

  it("refuse a token whose payload was tampered with", async () => {
    const { session } = await signedIn(demoEmail("analyst"));
    const [header, , signature] = session.access_token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(session.access_token), role: "service_role" })).toString("base64url");
    const { anonKey } = await keys();
    const res = await restGet("/members", { apikey: anonKey, authorization: `Bearer ${header}.${forged}.${signature}` });
    expect(res.status).toBe(401);
  });

  it("refuse an unsigned (alg none) token", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({ role: "service_role", exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString("base64url");
    const { anonKey } = await keys();
    const res = await restGet("/members", { apikey: anonKey, authorization: `Bearer ${header}.${payload}.` });
    expect(res.status).toBe(401);
  });
});

/** A request with the target exactly as written: fetch would resolve dot segments before sending. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean; agent?: http.Agent } = {}) {
  const url = new URL(apiUrl());
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: opts.method ?? "GET", headers: opts.headers, agent: opts.agent ?? false },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    if (opts.chunked && opts.body) {
      const body = Buffer.from(opts.body);
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else req.end(opts.body);
  });
}

describe("gateway paths", () => {
  it("resolves dot segments before the apikey check", async () => {
    const res = await raw("/auth/v1/verify/../admin/users");
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ message: "No API key found in request" });
    const climb = await raw("/auth/v1/verify/../../../rest/v1/members");
    expect(climb.status).toBe(401);
  });

  it("refuses encoded dot segments, slashes and backslashes with 400", async () => {
    for (const path of ["/auth/v1/verify/%2e%2e/admin/users", "/auth/v1/verify/%2E./admin/users", "/auth/v1/verify%2f..%2fadmin/users", "/auth/v1/verify/..%5cadmin"]) {
      const res = await raw(path);
      expect(res.status, path).toBe(400);
    }
  });
});

describe("gateway body limits", () => {
  const big = Buffer.alloc(config.maxBody.auth + 1024, "a");

  it("answers an oversize auth body 413, and the next request of another client still reaches auth", async () => {
    const { anonKey } = await keys();
    const headers = { apikey: anonKey, "content-type": "application/json" };
    const refused = await raw("/auth/v1/token?grant_type=password", { method: "POST", headers, body: big, agent: new http.Agent({ keepAlive: true }) });
    expect(refused.status).toBe(413);
    for (let i = 0; i < 3; i++) {
      const next = await fetch(`${apiUrl()}/auth/v1/token?grant_type=password`, {
        method: "POST",
        headers,
        body: JSON.stringify({ email: "nobody@demo.test", password: "wrong-password" }),
      });
      expect(next.status).toBe(400);
    }
  });

  it("refuses an oversize chunked body (no Content-Length) on both routes", async () => {
    const { anonKey } = await keys();
    const headers = { apikey: anonKey, "content-type": "application/json" };
    const auth = await raw("/auth/v1/token?grant_type=password", { method: "POST", headers, body: big, chunked: true });
    expect(auth.status).toBe(413);
    const restBig = Buffer.alloc(config.maxBody.rest + 1024, "a");
    const rest = await raw("/rest/v1/rpc/nothing", { method: "POST", headers, body: restBig, chunked: true });
    expect(rest.status).toBe(413);
    const after = await fetch(`${apiUrl()}/rest/v1/tiers?select=code`, { headers: { apikey: anonKey } });
    expect(after.status).toBeLessThan(500);
  });
});

describe("gateway CORS", () => {
  it("does not echo an origin outside the allow-list, nor allow credentials for it", async () => {
    const { anonKey } = await keys();
    const preflight = await fetch(`${apiUrl()}/rest/v1/members`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-headers": "apikey,authorization" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const get = await fetch(`${apiUrl()}/rest/v1/tiers`, { headers: { apikey: anonKey, origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    expect(get.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

describe("API keys and foreign JWTs", () => {
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(config.jwtSecret));

  it("mints the anon and service keys with a role and an exp, and no aud, as Supabase does", async () => {
    const { anonKey, serviceRoleKey } = await keys();
    expect(claimsOf(anonKey)).toMatchObject({ role: "anon", exp: expect.any(Number) });
    expect(claimsOf(serviceRoleKey)).toMatchObject({ role: "service_role", exp: expect.any(Number) });
    expect(claimsOf(anonKey)).not.toHaveProperty("aud");
  });

  it("refuses a signed token without exp at the gateway", async () => {
    const { anonKey } = await keys();
    const { session } = await signedIn(demoEmail("staff"));
    const { exp: _exp, ...claims } = claimsOf(session.access_token);
    const res = await restGet("/tiers", { apikey: anonKey, authorization: `Bearer ${await sign(claims)}` });
    expect(res.status).toBe(401);
  });

  it("refuses a signed token for another audience, at the gateway and at PostgREST itself", async () => {
    const { anonKey } = await keys();
    const { session } = await signedIn(demoEmail("staff"));
    const token = await sign({ ...claimsOf(session.access_token), aud: "another-service" });
    const res = await restGet("/tiers", { apikey: anonKey, authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    const direct = await fetch(`http://${config.host}:${config.restPort}/tiers`, { headers: { authorization: `Bearer ${token}` } });
    expect(direct.status).toBe(401);
  });
});

describe("auth behind the gateway", () => {
  it("has sign-up off", async () => {
    const { anonKey } = await keys();
    const res = await fetch(`${apiUrl()}/auth/v1/signup`, {
      method: "POST",
      headers: { apikey: anonKey, "content-type": "application/json" },
      body: JSON.stringify({ email: "someone-new@demo.test", password: "long-enough-1" }),
    });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe("signup_disabled");
  });

  it("stores the socket address of the client, not the X-Forwarded-For it sent", async () => {
    const { anonKey } = await keys();
    const res = await fetch(`${apiUrl()}/auth/v1/token?grant_type=password`, {
      method: "POST",
      headers: { apikey: anonKey, "content-type": "application/json", "x-forwarded-for": "203.0.113.7" },
      body: JSON.stringify({ email: demoEmail("staff"), password: "demo123456" }),
    });
    expect(res.status).toBe(200);
    const { access_token } = await res.json();
    const db = await superuser();
    try {
      const { rows } = await db.query("select host(ip) as ip from auth.sessions where id = $1", [claimsOf(access_token).session_id]);
      expect(rows).toEqual([{ ip: "127.0.0.1" }]);
    } finally {
      await db.end();
    }
  });
});
