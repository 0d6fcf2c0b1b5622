/**
 * Local stack settings. Keys follow the Supabase CLI convention: one fixed, documented JWT secret
 * from which the anon and service-role API keys are derived, overridable through the environment.
 */
import { SignJWT } from "jose";
import path from "node:path";
import { ROOT } from "./root.ts";

export { ROOT };

const env = process.env;
const port = (name: string, fallback: number) => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a valid port number`);
  }
  return value;
};

/** The Supabase CLI's documented demo secret: fine for a local stack, never for production. */
export const DEFAULT_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

export const config = {
  host: "127.0.0.1",
  gatewayPort: port("GATEWAY_PORT", 54321),
  dbPort: port("DB_PORT", 54322),
  restPort: port("REST_PORT", 54324),
  authPort: port("AUTH_PORT", 54325),
  appPort: port("APP_PORT", 54323),
  dataDir: env.DATA_DIR ?? path.join(ROOT, ".local", "postgres"),
  /** Vite's dependency cache; the test stack keeps its own so two app servers never share one. */
  viteCacheDir: env.VITE_CACHE_DIR ?? path.join(ROOT, "node_modules", ".vite"),
  dbSuperuser: "postgres",
  dbSuperPassword: env.DB_PASSWORD ?? "postgres",
  /** Password of the role PostgREST logs in as; local only. */
  authenticatorPassword: env.AUTHENTICATOR_PASSWORD ?? "authenticator-local",
  /** Password of the role the local auth service logs in as; local only. */
  authAdminPassword: env.AUTH_ADMIN_PASSWORD ?? "auth-admin-local",
  database: "postgres",
  jwtSecret: env.JWT_SECRET ?? DEFAULT_JWT_SECRET,
  jwtExpiry: Number(env.JWT_EXPIRY ?? 3600),
};

if (config.jwtSecret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");

export const gatewayUrl = () => `http://${config.host}:${config.gatewayPort}`;
export const appUrl = () => `http://${config.host}:${config.appPort}`;
export const authIssuer = () => `${gatewayUrl()}/auth/v1`;

export const superuserUrl = (database = config.database) =>
  `postgres://${config.dbSuperuser}:${config.dbSuperPassword}@${config.host}:${config.dbPort}/${database}`;

/** API keys are HS256 JWTs with only a role claim, as `supabase start` prints them. */
async function apiKey(role: "anon" | "service_role") {
  return new SignJWT({ iss: "supabase-demo", role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setExpirationTime(1983812996)
    .sign(new TextEncoder().encode(config.jwtSecret));
}

export interface Keys {
  anonKey: string;
  serviceRoleKey: string;
}

export async function apiKeys(): Promise<Keys> {
  return {
    anonKey: env.ANON_KEY ?? (await apiKey("anon")),
    serviceRoleKey: env.SERVICE_ROLE_KEY ?? (await apiKey("service_role")),
  };
}
