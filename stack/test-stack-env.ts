/** Ports and data folder of the stack `npm test` runs on: apart from the `npm start` demo stack. */
import path from "node:path";
import { ROOT } from "./root.ts";
const DEFAULT_PORT_BASE = 55420;

export function testStackEnv(env: NodeJS.ProcessEnv = process.env) {
  const raw = env.TEST_PORT_BASE ?? String(DEFAULT_PORT_BASE);
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base > 60000) {
    throw new Error(`TEST_PORT_BASE=${raw} must be a whole number between 1024 and 60000`);
  }
  // Another port base gets its own folders, so two runs in one checkout never share a database.
  const suffix = base === DEFAULT_PORT_BASE ? "" : `-${base}`;
  return {
    GATEWAY_PORT: String(base + 1),
    DB_PORT: String(base + 2),
    APP_PORT: String(base + 3),
    REST_PORT: String(base + 4),
    AUTH_PORT: String(base + 5),
    MAIL_SMTP_PORT: String(base + 6),
    MAIL_WEB_PORT: String(base + 7),
    // Retries of failed deliveries come back after 1 s, 2 s, 4 s... in tests (30 s, 60 s... by default).
    NOTIFY_RETRY_BASE_SECONDS: "1",
    // Every engine of a test run (the stack's and the tests' own) sends e-mail to the test stack's mail catcher.
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(base + 6),
    SMTP_SECURE: "false",
    // Every engine of a test run (the stack's and the tests' own) may deliver webhooks to the tests' loopback receivers.
    WEBHOOK_ALLOW_PRIVATE: "true",
    DATA_DIR: path.join(ROOT, ".local", `test-postgres${suffix}`),
    VITE_CACHE_DIR: path.join(ROOT, "node_modules", `.vite-test${suffix}`),
  };
}
