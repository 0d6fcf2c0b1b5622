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

function count(name: string, fallback: number) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} must be a positive whole number`);
  return value;
}

function list(raw: string | undefined) {
  const items = (raw ?? "").split(",").map((item) => item.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** The Supabase CLI's documented demo secret: fine for a local stack, never for production. */
export const DEFAULT_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

export const config = {
  host: "127.0.0.1",
  gatewayPort: port("GATEWAY_PORT", 54321),
  dbPort: port("DB_PORT", 54322),
  restPort: port("REST_PORT", 54324),
  authPort: port("AUTH_PORT", 54325),
  appPort: port("APP_PORT", 54323),
  /** The local mail catcher (maildev): SMTP and its web inbox; the engine sends e-mail there unless SMTP_HOST is set. */
  mailSmtpPort: port("MAIL_SMTP_PORT", 54326),
  mailWebPort: port("MAIL_WEB_PORT", 54327),
  /** MAIL_CATCHER=false: start no mail catcher (the engine then needs SMTP_HOST to send e-mail). */
  mailCatcher: env.MAIL_CATCHER !== "false",
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
  /** Origins allowed to call the API from a browser (comma-separated); default: the app's own URL. */
  corsOrigins: list(env.CORS_ORIGINS),
  /** Largest request body, in bytes, the gateway passes on to PostgREST and to auth. */
  maxBody: { rest: count("MAX_BODY_REST", 10 * 1024 * 1024), auth: count("MAX_BODY_AUTH", 1024 * 1024) },
  /** Addresses of proxies in front of the gateway whose X-Forwarded-For is kept; none by default. */
  trustedProxies: list(env.TRUSTED_PROXIES) ?? [],
  /** Self-service sign-up (POST /auth/v1/signup): off unless GOTRUE_DISABLE_SIGNUP=false. */
  disableSignup: env.GOTRUE_DISABLE_SIGNUP !== "false",
  /** Confirm sign-ups at once; off, since an instant session tells which emails are free. */
  mailerAutoconfirm: env.GOTRUE_MAILER_AUTOCONFIRM === "true",
  /** Failed password sign-ins allowed per email and per client address within the window. */
  signInLimit: {
    perEmail: count("AUTH_SIGNIN_LIMIT_PER_EMAIL", 10),
    perIp: count("AUTH_SIGNIN_LIMIT_PER_IP", 30),
    windowSeconds: count("AUTH_SIGNIN_LIMIT_WINDOW_SECONDS", 300),
  },
};

if (config.jwtSecret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");

export const gatewayUrl = () => `http://${config.host}:${config.gatewayPort}`;
export const mailInboxUrl = () => `http://${config.host}:${config.mailWebPort}`;
export const appUrl = () => `http://${config.host}:${config.appPort}`;
/** The app's URL in both spellings of the loopback host, unless CORS_ORIGINS names the origins. */
export const corsOrigins = () =>
  config.corsOrigins ?? [appUrl(), `http://localhost:${config.appPort}`];
export const authIssuer = () => `${gatewayUrl()}/auth/v1`;

export const superuserUrl = (database = config.database) =>
  `postgres://${config.dbSuperuser}:${config.dbSuperPassword}@${config.host}:${config.dbPort}/${database}`;

/**
 * API keys are HS256 JWTs as `supabase start` prints them: iss, role, iat and a far exp, no aud
 * (PostgREST's jwt-aud and the auth server accept a token without aud, and refuse a foreign one).
 */
async function apiKey(role: "anon" | "service_role") {
  return new SignJWT({ iss: "supabase-demo", role })
    .setIssuedAt(1641769200)
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
