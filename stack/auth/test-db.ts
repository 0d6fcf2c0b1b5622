/**
 * Database for the auth tests: TEST_DATABASE_URL (a superuser URL, e.g. from the running stack) when
 * set, else a private embedded Postgres in .local/auth-dev on port 55500.
 */
import path from "node:path";
import pg from "pg";
import { ROOT } from "../root.ts";

export interface TestDatabase {
  superuserUrl: string;
  /** Same server, logged in as supabase_auth_admin like the auth service. */
  authUrl: string;
  jwtSecret: string;
  stop(): Promise<void>;
}

const DEV_ENV = { DATA_DIR: path.join(ROOT, ".local", "auth-dev"), DB_PORT: "55500" };

/** config.ts reads the environment once, at import: point it at the dev database for that moment only. */
async function loadStackModules(useDevEnv: boolean) {
  const saved = { DATA_DIR: process.env.DATA_DIR, DB_PORT: process.env.DB_PORT };
  if (useDevEnv) Object.assign(process.env, DEV_ENV);
  try {
    const [config, postgres, migrate] = await Promise.all([
      import("../config.ts"),
      import("../postgres.ts"),
      import("../migrate.ts"),
    ]);
    return { ...config, ...postgres, ...migrate };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const given = process.env.TEST_DATABASE_URL;
  const stack = await loadStackModules(!given);
  const superuserUrl = given ?? stack.superuserUrl();
  let stop = async () => {};
  if (!given && !(await canConnect(superuserUrl))) {
    const { pg: server } = await stack.startPostgres(() => {});
    stop = () => server.stop();
  }
  await withClient(superuserUrl, async (client) => {
    const { rows } = await client.query<{ ok: boolean }>("select to_regclass('auth.users') is not null as ok");
    if (!rows[0].ok || !given) await stack.bootstrap(client);
  });
  const authUrl = new URL(superuserUrl);
  authUrl.username = "supabase_auth_admin";
  authUrl.password = stack.config.authAdminPassword;
  return { superuserUrl, authUrl: authUrl.toString(), jwtSecret: stack.config.jwtSecret, stop };
}

export { withClient };
