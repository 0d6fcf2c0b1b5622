/**
 * The standard dashboards in schemas/dashboards (one JSON file per dashboard, named by its key: the version's
 * columns, `visibility` and `definition`), synced into Supabase on every start like the other definitions
 * (stack/sync-definitions.ts). Seeded dashboards have no owner.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "./config.ts";
import { syncDefinition, type SyncedDefinition } from "./sync-definitions.ts";

const DASHBOARDS = path.join(ROOT, "schemas", "dashboards");

export async function seedDashboards(client: pg.Client | pg.PoolClient): Promise<SyncedDefinition[]> {
  const synced: SyncedDefinition[] = [];
  for (const file of fs.readdirSync(DASHBOARDS).filter((f) => f.endsWith(".json")).sort()) {
    const key = file.replace(/\.json$/, "");
    const { visibility, definition } = JSON.parse(fs.readFileSync(path.join(DASHBOARDS, file), "utf8")) as { visibility: string; definition: unknown };
    synced.push(await syncDefinition(client, "dashboard", key, { visibility, definition }, { name: `dashboards/${key}`, file: path.join(DASHBOARDS, file) }));
  }
  return synced;
}
