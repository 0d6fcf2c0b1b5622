/**
 * The approval flows in workflows/approvals (one JSON file per flow), synced into Supabase on every start
 * like the other definitions (stack/sync-definitions.ts).
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "./config.ts";
import { syncDefinition, type SyncedDefinition } from "./sync-definitions.ts";

const FLOWS = path.join(ROOT, "workflows", "approvals");

export async function seedApprovalFlows(client: pg.Client | pg.PoolClient): Promise<SyncedDefinition[]> {
  const synced: SyncedDefinition[] = [];
  for (const file of fs.readdirSync(FLOWS).filter((f) => f.endsWith(".json")).sort()) {
    const { key, ...columns } = JSON.parse(fs.readFileSync(path.join(FLOWS, file), "utf8")) as { key: string } & Record<string, unknown>;
    if (`${key}.json` !== file) throw new Error(`workflows/approvals/${file} must hold the flow whose key is ${file.replace(/\.json$/, "")}, not ${key}`);
    synced.push(await syncDefinition(client, "approval_flow", key, columns, { name: `approvals/${key}`, file: path.join(FLOWS, file) }));
  }
  return synced;
}
