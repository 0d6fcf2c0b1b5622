/**
 * The auth server's defences, over real HTTP against real Postgres: sign-up off by default and
 * answering alike for taken and free emails, the sign-in rate limit, body limits that do not spoil
 * the connection, JWT exp and aud, X-Forwarded-For from untrusted peers, malformed admin URLs.
 */
import { SignJWT } from "jose";
import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthServer, type AuthServer, type AuthServerOptions } from "./server.ts";
import { startTestDatabase, withClient, type TestDatabase } from "./test-db.ts";

const PASSWORD = "correct-horse-1";
let db: TestDatabase;
let key: Uint8Array;
let base: AuthServerOptions;
const servers: AuthServer[] = [];
const emails: string[] = [];
let anonKey: string;
let serviceKey: string;

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);

function newEmail() {
  const email = `auth-hard-${crypto.randomBytes(6).toString("hex")}@example.test`;
  emails.push(email);
  return email;
}

async function serve(extra: Partial<AuthServerOptions> = {}) {
  const server = await startAuthServer({ ...base, ...extra });
  servers.push(server);
  return server;
}

async function call(server: AuthServer, path: string, opts: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: opts.method ?? "GET",
    headers: {
      apikey: anonKey,
      Authorization: `Bearer ${opts.token ?? anonKey}`,
      ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  withClient(db.superuserUrl, async (c) => (await c.query<T>(text, params)).rows);

async function confirmedUser(server: AuthServer) {
  const email = newEmail();
  const res = await call(server, "/admin/users", { method: "POST", token: serviceKey, body: { email, password: PASSWORD, email_confirm: true } });
  expect(res.status).toBe(200);
  return { email, id: res.body.id as string };
}

const signIn = (server: AuthServer, email: string, password: string, headers: Record<string, string> = {}) =>
  call(server, "/token?grant_type=password", { method: "POST", body: { email, password }, headers });

/** Every key path of a JSON value, with array items merged: the shape of an answer, not its values. */
function shape(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [`${prefix}[]`, ...value.flatMap((item) => shape(item, `${prefix}[]`))];
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...shape(v, `${prefix}.${k}`)]);
  }
  return [];
}

beforeAll(async () => {
  db = await startTestDatabase();
  key = new TextEncoder().encode(db.jwtSecret);
  base = { host: "127.0.0.1", port: 0, databaseUrl: db.authUrl, jwtSecret: db.jwtSecret, jwtExpiry: 3600, issuer: "http://127.0.0.1/auth/v1" };
  anonKey = await sign({ role: "anon", iss: "supabase", exp: inAnHour() });
  serviceKey = await sign({ role: "service_role", iss: "supabase", exp: inAnHour() });
}, 120_000);

afterAll(async () => {
  if (db && emails.length) await sql("delete from auth.users where email = any($1)", [emails]);
  for (const server of servers) await server.close();
  await db?.stop();
}, 60_000);

describe("sign-up", () => {
  it("is off unless enabled: 422 signup_disabled, and /settings says so", async () => {
    const server = await serve();
    const res = await call(server, "/signup", { method: "POST", body: { email: newEmail(), password: PASSWORD } });
    expect(res).toMatchObject({ status: 422, body: { code: "signup_disabled" } });
    expect((await call(server, "/settings")).body).toMatchObject({ disable_signup: true, mailer_autoconfirm: false });
  });

  it("answers a taken email exactly like a free one when enabled (no session, same shape, nothing written)", async () => {
    const server = await serve({ disableSignup: false });
    const taken = await confirmedUser(server);
    const fresh = newEmail();
    const a = await call(server, "/signup", { method: "POST", body: { email: taken.email, password: "other-pass-9", data: { x: 1 } } });
    const b = await call(server, "/signup", { method: "POST", body: { email: fresh, password: "other-pass-9", data: { x: 1 } } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(shape(a.body).sort()).toEqual(shape(b.body).sort());
    expect(a.body).not.toHaveProperty("access_token");
    expect(a.body.id).not.toBe(taken.id);
    expect(a.body.identities).toHaveLength(1);
    expect(b.body.email_confirmed_at).toBeUndefined();
    expect(await sql("select id from auth.users where id = $1", [a.body.id])).toEqual([]);
    const rows = await sql<{ email_confirmed_at: Date | null }>("select email_confirmed_at from auth.users where email = $1", [fresh]);
    expect(rows).toEqual([{ email_confirmed_at: null }]);
    expect((await signIn(server, taken.email, "other-pass-9")).body.code).toBe("invalid_credentials");
    expect((await signIn(server, fresh, "other-pass-9")).body.code).toBe("email_not_confirmed");
  });
});

describe("sign-in", () => {
  it("answers an unknown email like a wrong password", async () => {
    const server = await serve();
    const { email } = await confirmedUser(server);
    const wrong = await signIn(server, email, "wrong-password");
    const unknown = await signIn(server, newEmail(), "wrong-password");
    expect(unknown).toMatchObject({ status: wrong.status, body: wrong.body });
  });

  it("limits failed attempts per email with 429 over_request_rate_limit, and only that email", async () => {
    const server = await serve({ signInLimit: { perEmail: 3, perIp: 100, windowSeconds: 60 } });
    const { email } = await confirmedUser(server);
    const other = await confirmedUser(server);
    for (let i = 0; i < 3; i++) expect((await signIn(server, email, "wrong-password")).status).toBe(400);
    const limited = await signIn(server, email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: "over_request_rate_limit", message: "Request rate limit reached" });
    expect(limited.headers.get("x-sb-error-code")).toBe("over_request_rate_limit");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn(server, other.email, PASSWORD)).status).toBe(200);
  });

  it("limits failed attempts per client address across emails; right passwords do not count", async () => {
    const server = await serve({ signInLimit: { perEmail: 100, perIp: 4, windowSeconds: 60 } });
    const { email } = await confirmedUser(server);
    for (let i = 0; i < 6; i++) expect((await signIn(server, email, PASSWORD)).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 8 }, () => signIn(server, newEmail(), "wrong-password")));
    expect(results.filter((r) => r.status === 429)).toHaveLength(4);
    expect((await signIn(server, email, PASSWORD)).status).toBe(429);
  });
});

describe("request bodies", () => {
  it("answers an oversize body 413 and the next request on a kept-alive connection works", async () => {
    const server = await serve({ maxBody: 1024 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port: server.port, path: "/token?grant_type=password", method: "POST", agent, headers: { "content-type": "application/json" } },
          (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const big = JSON.stringify({ email: "a@example.test", password: "x".repeat(64 * 1024) });
    const refused = await post(big);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body).code).toBe("request_too_large");
    const next = await post(JSON.stringify({ email: newEmail(), password: "wrong-password" }));
    expect(next.status).toBe(400);
    agent.destroy();
  });
});

describe("JWTs", () => {
  it("refuse tokens without exp, with a foreign aud, and user tokens without aud", async () => {
    const server = await serve();
    const { email, id } = await confirmedUser(server);
    const session = (await signIn(server, email, PASSWORD)).body;
    expect((await call(server, "/user", { token: session.access_token })).status).toBe(200);
    const claims = JSON.parse(Buffer.from(session.access_token.split(".")[1], "base64url").toString());
    const { exp: _exp, ...noExp } = claims;
    const { aud: _aud, ...noAud } = claims;
    for (const token of [await sign(noExp), await sign({ ...claims, aud: "somewhere-else" }), await sign(noAud)]) {
      const res = await call(server, "/user", { token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("bad_jwt");
    }
    expect(id).toBe(claims.sub);
    const serviceNoExp = await sign({ role: "service_role", iss: "supabase" });
    const serviceOtherAud = await sign({ role: "service_role", aud: "elsewhere", exp: inAnHour() });
    for (const token of [serviceNoExp, serviceOtherAud]) {
      expect((await call(server, "/admin/users", { token })).status).toBe(403);
    }
  });
});

describe("client address", () => {
  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    const server = await serve();
    const { email } = await confirmedUser(server);
    const session = (await signIn(server, email, PASSWORD, { "X-Forwarded-For": "203.0.113.7" })).body;
    const sessionId = JSON.parse(Buffer.from(session.access_token.split(".")[1], "base64url").toString()).session_id;
    expect(await sql("select host(ip) as ip from auth.sessions where id = $1", [sessionId])).toEqual([{ ip: "127.0.0.1" }]);
  });

  it("takes the address a trusted proxy appended, not the ones the client wrote before it", async () => {
    const server = await serve({ trustedProxies: ["127.0.0.1"] });
    const { email } = await confirmedUser(server);
    const session = (await signIn(server, email, PASSWORD, { "X-Forwarded-For": "203.0.113.7, 198.51.100.4" })).body;
    const sessionId = JSON.parse(Buffer.from(session.access_token.split(".")[1], "base64url").toString()).session_id;
    expect(await sql("select host(ip) as ip from auth.sessions where id = $1", [sessionId])).toEqual([{ ip: "198.51.100.4" }]);
  });
});

describe("admin URLs", () => {
  it("answer a malformed user id 404 in the error shape, never 500", async () => {
    const server = await serve();
    for (const path of ["/admin/users/%zz", "/admin/users/%E0%A4%A", "/admin/users/not-a-uuid"]) {
      const res = await call(server, path, { token: serviceKey });
      expect(res.status, path).toBe(404);
      expect(typeof res.body.code).toBe("string");
      expect(typeof res.body.message).toBe("string");
    }
  });
});
