/**
 * Brings the definitions kept as files (schemas/forms, schemas/entities, schemas/dashboards, workflows/rules, workflows/approvals) into the database
 * through private.sync_definition_from_file, on every start: an absent key is created (version 1,
 * published), a file that changed publishes a new version, a key changed in the UI is left alone. A version
 * is never overwritten. The digest is the sha-256 of the version's columns as read from the file(s).
 */
import crypto from "node:crypto";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "./config.ts";

export type DefinitionKind = "form" | "entity" | "rule" | "approval_flow" | "dashboard";

/** What one definition's sync did: created | unchanged | published vN | kept (changed in the UI). */
export interface SyncedDefinition {
  /** e.g. rules/shopping-base */
  name: string;
  outcome: string;
  /** the file(s) it was read from, relative to the repository */
  from: string;
}

/** The sha-256 (hex) of a version's columns, as the database records it in file_digest. */
export const definitionDigest = (columns: Record<string, unknown>) =>
  crypto.createHash("sha256").update(JSON.stringify(columns)).digest("hex");

/**
 * Syncs one definition. `columns` are the version's columns (without key, version, status); `publishedAt`
 * dates version 1 when the key is created (later versions are published when they are made).
 */
export async function syncDefinition(
  client: pg.Client | pg.PoolClient,
  kind: DefinitionKind,
  key: string,
  columns: Record<string, unknown>,
  source: { name: string; file: string; publishedAt?: Date },
): Promise<SyncedDefinition> {
  const payload = source.publishedAt ? { ...columns, published_at: source.publishedAt.toISOString() } : columns;
  const { rows } = await client.query<{ outcome: string }>(
    "select private.sync_definition_from_file($1, $2, $3, $4) as outcome",
    [kind, key, definitionDigest(columns), JSON.stringify(payload)],
  );
  return { name: source.name, outcome: rows[0].outcome, from: path.relative(ROOT, source.file) };
}

/** One line per definition that was not unchanged, e.g. "rules/earning: published v3 from workflows/rules/earning.json". */
export function syncReport(synced: SyncedDefinition[]): string[] {
  return synced.filter((s) => s.outcome !== "unchanged").map((s) => `${s.name}: ${s.outcome} from ${s.from}`);
}
