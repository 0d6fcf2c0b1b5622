import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { config } from "../../stack/config.ts";
import { apiUrl, keys, signedIn, demoEmail } from "./stack-env.ts";

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
      headers: { origin: "http://localhost:5173", "access-control-request-headers": "apikey,authorization,prefer" },
    });
    expect(res.status).toBe(204);
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
