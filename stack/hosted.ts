/**
 * Hosted mode: SUPABASE_URL and SUPABASE_ANON_KEY point at a Supabase project. Nothing local starts;
 * with DATABASE_URL set, pending migrations are applied first (the same files `supabase db push` applies) and
 * the definitions kept as files are synced (on that connection: it is privileged, like the service role).
 */
import pg from "pg";
import { startAppServer } from "./app-server.ts";
import { config } from "./config.ts";
import { migrate, syncDefinitionFiles } from "./migrate.ts";

export async function startHosted(options: { verbose: boolean }) {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query("create schema if not exists supabase_migrations");
      await client.query(
        "create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text)",
      );
      const applied = await migrate(client, console.log);
      console.log(applied.length ? `applied ${applied.length} migration(s)` : "hosted database up to date");
      const synced = await syncDefinitionFiles(client, console.log);
      console.log(`${synced.length} definition(s) from files checked`);
    } finally {
      await client.end();
    }
  } else {
    console.log("DATABASE_URL not set: skipping migrations (run `supabase db push` yourself)");
  }
  await startAppServer(options.verbose);
  console.log(`App: http://${config.host}:${config.appPort} → ${process.env.SUPABASE_URL}`);
}
