/**
 * The local auth server against real Postgres, over real HTTP, driven by supabase-js.
 * Uses TEST_DATABASE_URL when set, else a private embedded Postgres (see test-db.ts).
 */
import { createClient, type Session, type SupabaseClient } from "@supabase/supabase-js";
import { decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthServer, type AuthServer } from "./server.ts";
import { startTestDatabase, withClient, type TestDatabase } from "./test-db.ts";

const ISSUER = "http://127.0.0.1:54321/auth/v1";
const PASSWORD = "correct-horse-1";

let db: TestDatabase;
/** Reuse interval 10 s, as the Supabase CLI runs GoTrue. */
let server: AuthServer;
/** Reuse interval 0 s (GoTrue's own default), so reuse detection needs no waiting. */
let strictServer: AuthServer;
let key: Uint8Array;
let anonKey: string;
let serviceKey: string;
const emails: string[] = [];

const baseUrl = (s: AuthServer = server) => `http://127.0.0.1:${s.port}`;

function newEmail() {
  const email = `auth-test-${crypto.randomBytes(6).toString("hex")}@example.test`;
  emails.push(email);
  return email;
}

/** Node 20 has no global WebSocket and supabase-js builds its realtime client eagerly; these tests never connect. */
class NoWebSocket {
  constructor() {
    throw new Error("realtime is not used by the auth tests");
  }
}

function client(apiKey = anonKey, s: AuthServer = server): SupabaseClient {
  return createClient(baseUrl(s), apiKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoWebSocket as never },
  });
}

async function api(
  path: string,
  opts: { method?: string; token?: string; body?: unknown; server?: AuthServer } = {},
) {
  const res = await fetch(`${baseUrl(opts.server)}/auth/v1${path}`, {
    method: opts.method ?? "GET",
    headers: {
      apikey: anonKey,
      Authorization: `Bearer ${opts.token ?? anonKey}`,
      "X-Supabase-Api-Version": "2024-01-01",
      ...(opts.body !== undefined ? { "Content-Type": "application/json;charset=UTF-8" } : {}),
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const refresh = (refreshToken: string, s: AuthServer = server) =>
  api("/token?grant_type=refresh_token", { method: "POST", body: { refresh_token: refreshToken }, server: s });

async function sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, params: unknown[] = []) {
  return withClient(db.superuserUrl, async (c) => (await c.query<T>(text, params)).rows);
}

async function signUp(email = newEmail(), data: Record<string, unknown> = {}) {
  const { data: result, error } = await client().auth.signUp({ email, password: PASSWORD, options: { data } });
  expect(error).toBeNull();
  return { email, session: result.session as Session, userId: result.user!.id };
}

async function signIn(email: string, password = PASSWORD) {
  const c = client();
  const { data, error } = await c.auth.signInWithPassword({ email, password });
  expect(error).toBeNull();
  return { client: c, session: data.session as Session };
}

const sign = (claims: Record<string, unknown>, alg = "HS256") =>
  new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(key);

beforeAll(async () => {
  db = await startTestDatabase();
  key = new TextEncoder().encode(db.jwtSecret);
  // Sign-up on and autoconfirmed, as the Supabase CLI runs GoTrue; the defaults are tested in auth-hardening.test.ts.
  const opts = {
    host: "127.0.0.1", port: 0, databaseUrl: db.authUrl, jwtSecret: db.jwtSecret, jwtExpiry: 3600, issuer: ISSUER, basePath: "/auth/v1",
    disableSignup: false, mailerAutoconfirm: true, signInLimit: { perEmail: 100, perIp: 1000, windowSeconds: 60 },
  };
  server = await startAuthServer({ ...opts, refreshTokenReuseInterval: 10 });
  strictServer = await startAuthServer({ ...opts, refreshTokenReuseInterval: 0 });
  const exp = Math.floor(Date.now() / 1000) + 3600;
  anonKey = await sign({ role: "anon", iss: "supabase", exp });
  serviceKey = await sign({ role: "service_role", iss: "supabase", exp });
}, 120_000);

afterAll(async () => {
  if (db && emails.length) await sql("delete from auth.users where email = any($1)", [emails]);
  await server?.close();
  await strictServer?.close();
  await db?.stop();
}, 60_000);

describe("sign-up", () => {
  it("creates a confirmed user and a session (autoconfirm), lowercasing the email", async () => {
    const email = newEmail();
    const { data, error } = await client().auth.signUp({
      email: email.toUpperCase(),
      password: PASSWORD,
      options: { data: { full_name: "Ada" } },
    });
    expect(error).toBeNull();
    expect(data.session?.refresh_token).toMatch(/^[a-z2-7]{12}$/);
    const user = data.user!;
    expect(user.email).toBe(email);
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.user_metadata).toEqual({ full_name: "Ada", email_verified: true });
    expect(user.app_metadata).toEqual({ provider: "email", providers: ["email"] });
    expect(user.identities).toHaveLength(1);
    expect(user.identities![0]).toMatchObject({
      id: user.id,
      user_id: user.id,
      provider: "email",
      email,
      identity_data: { sub: user.id, email, email_verified: false, phone_verified: false },
    });
  });

  it("gives RLS's auth.uid() the new user's id from the access token", async () => {
    const { session, userId } = await signUp();
    const { payload } = await jwtVerify(session.access_token, key);
    const rows = await withClient(db.superuserUrl, async (c) => {
      await c.query("begin");
      try {
        await c.query("set local role authenticated");
        await c.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(payload)]);
        return (await c.query<{ uid: string; role: string }>("select auth.uid() as uid, auth.role() as role")).rows;
      } finally {
        await c.query("rollback");
      }
    });
    expect(rows[0]).toEqual({ uid: userId, role: "authenticated" });
  });

  it("rejects a taken email, a weak password and a malformed email", async () => {
    const { email } = await signUp();
    const dup = await client().auth.signUp({ email, password: PASSWORD });
    expect(dup.error).toMatchObject({ status: 422, code: "user_already_exists" });

    const weak = await client().auth.signUp({ email: newEmail(), password: "abc" });
    expect(weak.error).toMatchObject({ name: "AuthWeakPasswordError", status: 422, code: "weak_password", reasons: ["length"] });

    const bad = await client().auth.signUp({ email: "not-an-email", password: PASSWORD });
    expect(bad.error).toMatchObject({ status: 400, code: "validation_failed" });
  });
});

describe("sign-in with password", () => {
  it("returns a session with GoTrue's shape and claims", async () => {
    const { email, userId } = await signUp();
    const { session } = await signIn(email.toUpperCase());
    expect(session.refresh_token).toHaveLength(12);
    expect(session.token_type).toBe("bearer");
    expect(session.expires_in).toBe(3600);
    expect(Math.abs(session.expires_at! - (Math.floor(Date.now() / 1000) + 3600))).toBeLessThanOrEqual(2);
    expect(session.user.app_metadata.provider).toBe("email");
    expect(session.user.last_sign_in_at).toBeTruthy();

    expect(decodeProtectedHeader(session.access_token)).toEqual({ alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(session.access_token, key, { algorithms: ["HS256"] });
    expect(Object.keys(payload).sort()).toEqual(
      ["aal", "amr", "app_metadata", "aud", "email", "exp", "iat", "is_anonymous", "iss", "phone", "role", "session_id", "sub", "user_metadata"].sort(),
    );
    expect(payload).toMatchObject({
      iss: ISSUER, sub: userId, aud: "authenticated", email, phone: "", role: "authenticated", aal: "aal1", is_anonymous: false,
      app_metadata: { provider: "email", providers: ["email"] },
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.amr).toEqual([{ method: "password", timestamp: expect.any(Number) }]);
    const rows = await sql("select aal::text, user_id from auth.sessions where id = $1", [payload.session_id]);
    expect(rows).toEqual([{ aal: "aal1", user_id: userId }]);
  });

  it("answers a wrong password or unknown email with 400 invalid_credentials", async () => {
    const { email } = await signUp();
    const wrong = await client().auth.signInWithPassword({ email, password: "wrong-password" });
    expect(wrong.error).toMatchObject({ status: 400, code: "invalid_credentials", message: "Invalid login credentials" });
    const unknown = await client().auth.signInWithPassword({ email: newEmail(), password: PASSWORD });
    expect(unknown.error).toMatchObject({ status: 400, code: "invalid_credentials" });

    const raw = await api("/token?grant_type=password", { method: "POST", body: { email, password: "nope-nope" } });
    expect(raw.status).toBe(400);
    expect(raw.body).toEqual({ code: "invalid_credentials", message: "Invalid login credentials" });
    expect(raw.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(raw.headers.get("x-sb-error-code")).toBe("invalid_credentials");
  });

  it("verifies passwords hashed by pgcrypto crypt(pw, gen_salt('bf', 10)), as seeds write them", async () => {
    const email = newEmail();
    const id = crypto.randomUUID();
    await sql(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
         raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
         crypt($3, gen_salt('bf', 10)), now(), '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
      [id, email, PASSWORD],
    );
    const { session } = await signIn(email);
    expect(session.user.id).toBe(id);
    expect(session.user.identities).toEqual([]);
  });

  it("refuses unconfirmed emails and banned users", async () => {
    const admin = client(serviceKey).auth.admin;
    const unconfirmed = newEmail();
    expect((await admin.createUser({ email: unconfirmed, password: PASSWORD })).error).toBeNull();
    const r1 = await client().auth.signInWithPassword({ email: unconfirmed, password: PASSWORD });
    expect(r1.error).toMatchObject({ status: 400, code: "email_not_confirmed" });

    const banned = newEmail();
    const created = await admin.createUser({ email: banned, password: PASSWORD, email_confirm: true });
    const ban = await admin.updateUserById(created.data.user!.id, { ban_duration: "24h" });
    expect(ban.data.user?.banned_until).toBeTruthy();
    const r2 = await client().auth.signInWithPassword({ email: banned, password: PASSWORD });
    expect(r2.error).toMatchObject({ status: 400, code: "user_banned" });
  });
});

describe("getUser", () => {
  it("returns the user without the hash or null optional fields", async () => {
    const { email, userId } = await signUp();
    const { client: c } = await signIn(email);
    const { data, error } = await c.auth.getUser();
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: userId, email, phone: "", aud: "authenticated", role: "authenticated", is_anonymous: false });
    const raw = data.user as unknown as Record<string, unknown>;
    for (const hidden of ["encrypted_password", "banned_until", "phone_confirmed_at", "deleted_at", "invited_at", "new_email"]) {
      expect(raw).not.toHaveProperty(hidden);
    }
  });

  it("rejects expired, tampered, alg:none and non-HS256 tokens with 403 bad_jwt", async () => {
    const { email, userId } = await signUp();
    const { session } = await signIn(email);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ sub: userId, role: "authenticated", iat: now - 7200, exp: now - 3600 });
    const [h, p, s] = session.access_token.split(".");
    const tampered = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url").toString()), role: "service_role" })).toString("base64url");
    const forged = `${h}.${forgedPayload}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${p}.`;
    const hs512 = await sign({ sub: userId, role: "authenticated", exp: now + 600 }, "HS512");
    for (const token of [expired, tampered, forged, none, hs512, anonKey, "garbage"]) {
      const res = await api("/user", { token });
      expect(res.status, token).toBe(403);
      expect(res.body.code).toBe("bad_jwt");
    }
    const res = await fetch(`${baseUrl()}/auth/v1/user`, { headers: { apikey: anonKey } });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("no_authorization");
  });
});

describe("refresh tokens", () => {
  it("rotates: a new 12-character token whose parent is the old, now revoked, one", async () => {
    const { email } = await signUp();
    const { client: c, session } = await signIn(email);
    const { data, error } = await c.auth.refreshSession();
    expect(error).toBeNull();
    const next = data.session!;
    expect(next.refresh_token).toMatch(/^[a-z2-7]{12}$/);
    expect(next.refresh_token).not.toBe(session.refresh_token);
    expect(next.user.id).toBe(session.user.id);
    const a = await jwtVerify(session.access_token, key);
    const b = await jwtVerify(next.access_token, key);
    expect(b.payload.session_id).toBe(a.payload.session_id);
    expect(b.payload.amr).toEqual(a.payload.amr);
    const rows = await sql("select token, revoked, parent from auth.refresh_tokens where session_id = $1 order by id", [a.payload.session_id]);
    expect(rows).toEqual([
      { token: session.refresh_token, revoked: true, parent: null },
      { token: next.refresh_token, revoked: false, parent: session.refresh_token },
    ]);
    expect((await c.auth.getUser()).error).toBeNull();
  });

  it("hands back the current child when its parent is replayed (lost response)", async () => {
    const { session } = await signUp();
    const first = await refresh(session.refresh_token);
    const again = await refresh(session.refresh_token);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
  });

  it("hands back the session's current token, never a new branch, for an older token inside the reuse interval", async () => {
    const { session } = await signUp();
    const b = await refresh(session.refresh_token);
    const c = await refresh(b.body.refresh_token);
    const replay = await refresh(session.refresh_token);
    expect(replay.status).toBe(200);
    expect(replay.body.refresh_token).toBe(c.body.refresh_token);
    const again = await refresh(b.body.refresh_token);
    expect(again.body.refresh_token).toBe(c.body.refresh_token);
    const { payload } = await jwtVerify(session.access_token, key);
    const live = await sql("select token from auth.refresh_tokens where session_id = $1 and not revoked", [payload.session_id]);
    expect(live).toEqual([{ token: c.body.refresh_token }]);
  });

  it("revokes every token of the session when an old token is reused after the interval", async () => {
    const { session } = await signUp();
    const b = await refresh(session.refresh_token, strictServer);
    const c = await refresh(b.body.refresh_token, strictServer);
    expect(c.status).toBe(200);
    const reuse = await refresh(session.refresh_token, strictServer);
    expect(reuse.status).toBe(400);
    expect(reuse.body.code).toBe("refresh_token_already_used");
    const { payload } = await jwtVerify(session.access_token, key);
    const rows = await sql<{ revoked: boolean }>("select revoked from auth.refresh_tokens where session_id = $1", [payload.session_id]);
    expect(rows.length).toBe(3);
    expect(rows.every((r) => r.revoked)).toBe(true);
    const latest = await refresh(c.body.refresh_token, strictServer);
    expect(latest.status).toBe(400);
    expect(latest.body.code).toBe("refresh_token_already_used");
    const viaClient = await client(anonKey, strictServer).auth.refreshSession({ refresh_token: c.body.refresh_token });
    expect(viaClient.error).toMatchObject({ status: 400, code: "refresh_token_already_used" });
  });

  it("serves 5 parallel refreshes of one token without an error, all with the same child", async () => {
    for (const s of [server, strictServer]) {
      const { session } = await signUp();
      const results = await Promise.all(Array.from({ length: 5 }, () => refresh(session.refresh_token, s)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
      const next = await refresh(results[0].body.refresh_token, s);
      expect(next.status).toBe(200);
    }
  });

  it("rejects missing, malformed and unknown tokens", async () => {
    const missing = await api("/token?grant_type=refresh_token", { method: "POST", body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "refresh_token required" });
    expect((await refresh("short")).body.code).toBe("validation_failed");
    expect((await refresh("ABCDEFGHIJKL")).body.code).toBe("validation_failed");
    const unknown = await refresh("aaaaaaaaaaaa");
    expect(unknown).toMatchObject({ status: 400, body: { code: "refresh_token_not_found" } });
    const grant = await api("/token?grant_type=magic", { method: "POST", body: {} });
    expect(grant).toMatchObject({ status: 400, body: { code: "invalid_credentials", message: "unsupported_grant_type" } });
  });
});

describe("sign-out", () => {
  it("ends the session: GET /user with the old token is 403 session_not_found", async () => {
    const { email } = await signUp();
    const { client: c, session } = await signIn(email);
    expect((await c.auth.signOut()).error).toBeNull();
    expect((await c.auth.getSession()).data.session).toBeNull();
    const res = await api("/user", { token: session.access_token });
    expect(res).toMatchObject({ status: 403, body: { code: "session_not_found" } });
    expect((await refresh(session.refresh_token)).body.code).toBe("refresh_token_not_found");
    const again = await api("/logout", { method: "POST", token: session.access_token });
    expect(again.status).toBe(403);
  });

  it("honours scope local, others and global", async () => {
    const { email, session: s0 } = await signUp();
    const s1 = (await signIn(email)).session;
    const s2 = (await signIn(email)).session;
    const s3 = (await signIn(email)).session;
    const alive = async (s: Session) => (await api("/user", { token: s.access_token })).status === 200;

    expect((await api("/logout?scope=local", { method: "POST", token: s1.access_token })).status).toBe(204);
    expect([await alive(s0), await alive(s1), await alive(s2), await alive(s3)]).toEqual([true, false, true, true]);

    expect((await api("/logout?scope=others", { method: "POST", token: s2.access_token })).status).toBe(204);
    expect([await alive(s0), await alive(s2), await alive(s3)]).toEqual([false, true, false]);

    const s4 = (await signIn(email)).session;
    expect((await api("/logout?scope=global", { method: "POST", token: s4.access_token })).status).toBe(204);
    expect([await alive(s2), await alive(s4)]).toEqual([false, false]);

    const bad = await api("/logout?scope=everything", { method: "POST", token: s0.access_token });
    expect(bad).toMatchObject({ status: 400, body: { code: "validation_failed" } });
  });
});

describe("updateUser", () => {
  it("changing the password ends the user's other sessions only", async () => {
    const { email } = await signUp();
    const one = await signIn(email);
    const two = await signIn(email);
    const { data, error } = await one.client.auth.updateUser({ password: "another-pass-2" });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect((await api("/user", { token: two.session.access_token })).body.code).toBe("session_not_found");
    expect((await refresh(two.session.refresh_token)).body.code).toBe("refresh_token_not_found");
    expect((await one.client.auth.getUser()).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe("invalid_credentials");
    expect((await client().auth.signInWithPassword({ email, password: "another-pass-2" })).error).toBeNull();

    const same = await one.client.auth.updateUser({ password: "another-pass-2" });
    expect(same.error).toMatchObject({ status: 422, code: "same_password" });
    const weak = await one.client.auth.updateUser({ password: "x" });
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password" });
  });

  it("merges data into user_metadata (null removes a key) and refuses app_metadata", async () => {
    const { email, session } = await signUp(undefined, { a: 1, b: 2 });
    const { client: c } = await signIn(email);
    const { data } = await c.auth.updateUser({ data: { a: null, c: 3 } });
    expect(data.user?.user_metadata).toEqual({ b: 2, c: 3, email_verified: true });
    const res = await api("/user", { method: "PUT", token: session.access_token, body: { app_metadata: { role: "x" } } });
    expect(res).toMatchObject({ status: 403, body: { code: "not_admin" } });
  });

  it("applies an email change at once and refuses a taken one", async () => {
    const { email: taken } = await signUp();
    const { email } = await signUp();
    const { client: c } = await signIn(email);
    const clash = await c.auth.updateUser({ email: taken });
    expect(clash.error).toMatchObject({ status: 422, code: "email_exists" });
    const next = newEmail();
    const { data, error } = await c.auth.updateUser({ email: next.toUpperCase() });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(next);
    expect(data.user?.identities?.[0].identity_data?.email).toBe(next);
    expect((await client().auth.signInWithPassword({ email: next, password: PASSWORD })).error).toBeNull();
  });
});

describe("admin API", () => {
  it("creates, reads, updates, lists and deletes users with the service key", async () => {
    const admin = client(serviceKey).auth.admin;
    const email = newEmail();
    const created = await admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { name: "Grace" },
      app_metadata: { tenant: "t1" },
    });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    expect(user).toMatchObject({
      email,
      role: "authenticated",
      app_metadata: { provider: "email", providers: ["email"], tenant: "t1" },
      user_metadata: { name: "Grace", email_verified: true },
    });
    expect(user.identities).toHaveLength(1);
    const dup = await admin.createUser({ email, password: PASSWORD });
    expect(dup.error).toMatchObject({ status: 422, code: "email_exists" });

    const { session } = await signIn(email);
    const { payload } = await jwtVerify(session.access_token, key);
    expect(payload.app_metadata).toEqual({ provider: "email", providers: ["email"], tenant: "t1" });

    expect((await admin.getUserById(user.id)).data.user?.email).toBe(email);
    const updated = await admin.updateUserById(user.id, { user_metadata: { name: "G." }, app_metadata: { tenant: "t2" } });
    expect(updated.data.user).toMatchObject({ user_metadata: { name: "G.", email_verified: true }, app_metadata: { tenant: "t2" } });

    const list = await admin.listUsers();
    expect(list.error).toBeNull();
    expect(list.data.users.some((u) => u.id === user.id)).toBe(true);
    const raw = await api("/admin/users?page=&per_page=", { token: serviceKey });
    const total = Number(raw.headers.get("x-total-count"));
    expect(total).toBeGreaterThanOrEqual(list.data.users.length);
    expect(raw.headers.get("link")).toContain('rel="last"');
    expect(raw.body.aud).toBe("authenticated");
    expect((list.data as unknown as { total: number }).total).toBe(total);
    const paged = await admin.listUsers({ page: 1, perPage: 1 });
    expect(paged.data.users).toHaveLength(1);
    expect((paged.data as unknown as { nextPage: number | null }).nextPage).toBe(total > 1 ? 2 : null);
    expect((await api("/admin/users?page=x", { token: serviceKey })).body.code).toBe("validation_failed");

    const deleted = await admin.deleteUser(user.id);
    expect(deleted.error).toBeNull();
    const left = await sql<{ n: string }>(
      `select (select count(*) from auth.sessions where user_id = $1)
            + (select count(*) from auth.identities where user_id = $1)
            + (select count(*) from auth.refresh_tokens where user_id = $1::text)
            + (select count(*) from auth.users where id = $1) as n`,
      [user.id],
    );
    expect(Number(left[0].n)).toBe(0);
    expect((await admin.getUserById(user.id)).error).toMatchObject({ status: 404, code: "user_not_found" });
    expect((await admin.deleteUser(user.id)).error).toMatchObject({ status: 404, code: "user_not_found" });
    expect((await api("/user", { token: session.access_token })).body.code).toBe("user_not_found");
  });

  it("refuses the anon key and user tokens with 403 not_admin", async () => {
    const anonAdmin = client(anonKey).auth.admin;
    expect((await anonAdmin.listUsers()).error).toMatchObject({ status: 403, code: "not_admin" });
    expect((await anonAdmin.createUser({ email: newEmail(), password: PASSWORD })).error).toMatchObject({ status: 403, code: "not_admin" });
    const { session } = await signUp();
    expect((await api("/admin/users", { token: session.access_token })).body.code).toBe("not_admin");
    const adminToken = await sign({ role: "supabase_admin", exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await api("/admin/users?page=1&per_page=1", { token: adminToken })).status).toBe(200);
  });
});

describe("small endpoints", () => {
  it("serves /settings, /health and /recover", async () => {
    expect((await api("/settings")).body).toEqual({
      external: { email: true }, disable_signup: false, mailer_autoconfirm: true, phone_autoconfirm: false,
    });
    expect((await api("/health")).status).toBe(200);
    const { email } = await signUp();
    expect(await client().auth.resetPasswordForEmail(email)).toEqual({ data: {}, error: null });
    expect((await api("/nope")).status).toBe(404);
  });
});
