/** Where the database tests find the running local stack (started by `npm test` or `npm start`). */
import { createClient } from "@supabase/supabase-js";
import pg from "pg";
import WebSocket from "ws";
import type { Role } from "../../core/enums/index.ts";
import { apiKeys, gatewayUrl, superuserUrl } from "../../stack/config.ts";

export const DEMO_PASSWORD = "demo123456";
export const demoEmail = (role: Role) => `${role}@demo.test`;

export const databaseUrl = () => process.env.TEST_DATABASE_URL ?? superuserUrl();
export const apiUrl = () => process.env.SUPABASE_URL ?? gatewayUrl();
export const keys = () => apiKeys();

export async function superuser() {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  return client;
}

// Node 20 has no global WebSocket; supabase-js builds its realtime client eagerly, so hand it `ws`.
const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as never },
};

export async function anonClient() {
  return createClient(apiUrl(), (await keys()).anonKey, clientOptions);
}

export async function serviceClient() {
  return createClient(apiUrl(), (await keys()).serviceRoleKey, clientOptions);
}

/** A supabase-js client signed in as a demo user, exactly as the browser app signs in. */
export async function signedIn(email: string, password = DEMO_PASSWORD) {
  const client = await anonClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
  return { client, session: data.session! };
}
