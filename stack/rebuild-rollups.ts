/**
 * `npm run rollups:rebuild`: recomputes every dashboard rollup from the raw tables (private.rebuild_rollups)
 * in one REPEATABLE READ snapshot while the system runs; writers go on, folds skip until it commits.
 * Database: DATABASE_URL, else the local stack's (stack/config.ts).
 */
import pg from "pg";
import { superuserUrl } from "./config.ts";

/** Runs the rebuild on a connected client; returns what private.rebuild_rollups reports. */
export async function rebuildRollups(client: pg.Client, batch = 1_000_000): Promise<Record<string, unknown>> {
  // The session lock comes first, so no fold commits between the snapshot and the rebuild's reading of the deltas.
  await client.query("select pg_advisory_lock(private.rollup_lock_key())");
  try {
    await client.query("begin isolation level repeatable read");
    try {
      const { rows } = await client.query("select private.rebuild_rollups($1) as result", [batch]);
      await client.query("commit");
      return rows[0].result as Record<string, unknown>;
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  } finally {
    await client.query("select pg_advisory_unlock(private.rollup_lock_key())");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? superuserUrl() });
  await client.connect();
  try {
    console.log(`rollups rebuilt: ${JSON.stringify(await rebuildRollups(client))}`);
  } finally {
    await client.end();
  }
}
