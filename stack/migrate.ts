/**
 * Applies the local bootstrap, then supabase/migrations/*.sql in name order, recording each in
 * supabase_migrations.schema_migrations exactly as the Supabase CLI does, so a second start applies
 * only what is new. Seed runs after migrations when asked.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { config, ROOT } from "./config.ts";
import { prepareWorkerSchema } from "../engine/worker.ts";
import { seedApprovalFlows } from "./seed-approval-flows.ts";
import { seedDashboards } from "./seed-dashboards.ts";
import { seedDemoApprovals } from "./seed-demo-approvals.ts";
import { seedEntities, seedForms } from "./seed-config.ts";
import { replayDemoPurchases } from "./seed-demo-replay.ts";
import { seedRules } from "./seed-rules.ts";
import { seedNotificationTemplates } from "./seed-notification-templates.ts";
import { rebuildRollups } from "./rebuild-rollups.ts";
import { syncReport } from "./sync-definitions.ts";
import { syncRuleKinds } from "./sync-rule-kinds.ts";

const MIGRATIONS_DIR = path.join(ROOT, "supabase", "migrations");
const BOOTSTRAP = path.join(ROOT, "stack", "bootstrap", "supabase-local.sql");
const MIGRATION_NAME = /^(\d{14})_(.+)\.sql$/;

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

export function migrationFiles(): MigrationFile[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const m = MIGRATION_NAME.exec(f);
      if (!m) throw new Error(`Migration file ${f} must be named <14-digit timestamp>_<name>.sql`);
      return { version: m[1], name: m[2], file: path.join(MIGRATIONS_DIR, f) };
    });
}

/** Local-only roles, auth schema and helpers; idempotent. Sets the service roles' passwords. */
export async function bootstrap(client: pg.Client) {
  await client.query(fs.readFileSync(BOOTSTRAP, "utf8"));
  const lit = (s: string) => client.escapeLiteral(s);
  await client.query(`alter role authenticator with login password ${lit(config.authenticatorPassword)}`);
  await client.query(`alter role supabase_auth_admin with login password ${lit(config.authAdminPassword)}`);
}

/**
 * Refuses a database whose recorded migrations are not among the files of this checkout: its schema was
 * built by other migrations, and applying these on top would leave it half-migrated.
 */
export function assertKnownHistory(recorded: { version: string; name: string | null }[], files = migrationFiles()) {
  const names = new Map(files.map((m) => [m.version, m.name]));
  const unknown = recorded
    .filter((r) => !names.has(r.version) || (r.name !== null && names.get(r.version) !== r.name))
    .map((r) => (r.name === null ? r.version : `${r.version}_${r.name}`));
  if (unknown.length) {
    throw new Error(
      `this database was migrated with migrations that no longer exist (${unknown.slice(0, 3).join(", ")}` +
        `${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ""}). ` +
        "Recreate the local database: stop the stack, rm -rf .local/postgres, then npm start.",
    );
  }
}

/**
 * Applies pending migrations, each in its own transaction, then writes the rule kinds' policies from core
 * (the schema the code expects includes them). Returns the versions applied.
 */
export async function migrate(client: pg.Client, log: (line: string) => void = () => {}) {
  const recorded = (
    await client.query<{ version: string; name: string | null }>("select version, name from supabase_migrations.schema_migrations")
  ).rows;
  const files = migrationFiles();
  assertKnownHistory(recorded, files);
  const done = new Set(recorded.map((r) => r.version));
  const applied: string[] = [];
  for (const m of files) {
    if (done.has(m.version)) continue;
    const sql = fs.readFileSync(m.file, "utf8");
    log(`applying migration ${m.version}_${m.name}`);
    try {
      await client.query("begin");
      await client.query(sql);
      await client.query(
        "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)",
        [m.version, m.name, [sql]],
      );
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw new Error(`migration ${m.version}_${m.name} failed: ${(error as Error).message}`, { cause: error });
    }
    applied.push(m.version);
  }
  for (const line of await syncRuleKinds(client)) log(line);
  if (applied.length) await client.query("notify pgrst, 'reload schema'");
  return applied;
}

/**
 * Runs supabase/seed.sql once per database (remembered in a local marker table), then, in the same transaction, syncs
 * the rules of workflows/rules and replays the demo purchases with the growth those rules give (seed-demo-replay.ts).
 */
export async function seed(client: pg.Client, log: (line: string) => void = () => {}) {
  await client.query("create table if not exists supabase_migrations.seed_runs (ran_at timestamptz primary key default now())");
  const { rowCount } = await client.query("select 1 from supabase_migrations.seed_runs");
  if (rowCount) return false;
  log("seeding demo data");
  await client.query("begin");
  try {
    await client.query(fs.readFileSync(path.join(ROOT, "supabase", "seed.sql"), "utf8"));
    await seedRules(client);
    const replay = await replayDemoPurchases(client);
    log(`demo purchases replayed: ${replay.purchases} (growth ${replay.growth})`);
    await client.query("insert into supabase_migrations.seed_runs default values");
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw new Error(`seed failed: ${(error as Error).message}`, { cause: error });
  }
  return true;
}

/** Syncs the definitions kept as files (forms, entities, rules, approval flows, dashboards), logging each one that was not unchanged. */
export async function syncDefinitionFiles(client: pg.Client, log: (line: string) => void = () => {}) {
  const synced = [...(await seedForms(client)), ...(await seedEntities(client)), ...(await seedRules(client)), ...(await seedApprovalFlows(client)), ...(await seedDashboards(client))];
  for (const line of syncReport(synced)) log(line);
  return synced;
}

/** Bootstrap + migrate + seed one database, as `npm start` does. */
export async function prepareDatabase(url: string, opts: { seed: boolean; log?: (line: string) => void }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await bootstrap(client);
    const applied = await migrate(client, opts.log);
    await prepareWorkerSchema(url); // the engine's job queue, so the demo seed's transactions queue their earn jobs
    // Before the seed: the seed's benefit notices get a delivery per channel that has a template.
    for (const line of await seedNotificationTemplates(client)) opts.log?.(line);
    const seeded = opts.seed ? await seed(client, opts.log) : false;
    await syncDefinitionFiles(client, opts.log);
    if (seeded) {
      const requests = await seedDemoApprovals(client);
      opts.log?.(`demo approval requests: ${requests}`);
      // The seed dates tier changes after writing them; the dashboards' rollups are recomputed from the raw tables.
      opts.log?.(`dashboard rollups rebuilt: ${JSON.stringify(await rebuildRollups(client))}`);
    }
    return { applied, seeded };
  } finally {
    await client.end();
  }
}
