/**
 * Shared helpers of the engine tests. They run against the local stack's database (whose own engine is
 * running), and isolate themselves from the seeded rules and from each other with a business unit of their
 * own that has its own earning and expiry rule sets: rules published for it apply to its transactions only.
 */
import type pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startEngine, type EngineOptions, type RunningEngine } from "../../engine/worker.ts";
import { databaseUrl, superuser } from "../db/stack-env.ts";

export const run = Date.now().toString(36);
let counter = 0;
/** A short unique name for this test run (business unit codes allow 32 characters). */
export const uniqueName = (prefix: string) => `${prefix}-${run}-${(counter++).toString(36)}`;

/** An extra engine for a test (no crons, quiet unless it errs). */
export function testEngine(options: Partial<EngineOptions> = {}): Promise<RunningEngine> {
  return startEngine({ databaseUrl: databaseUrl(), crontab: "", sweepIntervalMs: 0, log: (level, line) => {
    if (level === "error") console.error(`test engine: ${line}`);
  }, ...options });
}

/**
 * For the enclosing file or describe: a superuser connection (handed to `onConnected`) and an extra engine
 * of its own (the stack's engine runs too; several engines are safe); afterwards the test units are retired.
 */
export function withTestEngine(onConnected: (db: pg.Client) => void) {
  let db: pg.Client | undefined;
  let engine: RunningEngine | undefined;
  beforeAll(async () => {
    db = await superuser();
    onConnected(db);
    engine = await testEngine();
  });
  afterAll(async () => {
    await engine?.stop();
    if (db) await retireTestUnits(db);
    await db?.end();
  });
}

const units: string[] = [];

/** Deactivates the units this file created: the engine stops loading their rules (call in afterAll). */
export async function retireTestUnits(db: pg.Client) {
  if (units.length) await db.query("update business_units set active = false where id = any($1::uuid[])", [units.splice(0)]);
}

/** A business unit with its own earning and expiry rule sets (so only rules published for it apply). */
export async function testUnit(db: pg.Client, options: { kind?: string; earning?: string; expiry?: string } = {}): Promise<string> {
  const code = uniqueName("rt");
  const { rows } = await db.query(
    "insert into business_units (code, name, kind) values ($1, $2, $3) returning id",
    [code, `规则测试 ${code}`, options.kind ?? "mall"],
  );
  const id = rows[0].id as string;
  units.push(id);
  await db.query(
    `insert into rule_sets (kind, business_unit_id, combination) values ('earning', $1, $2), ('expiry', $1, $3)`,
    [id, options.earning ?? "sum", options.expiry ?? "first"],
  );
  return id;
}

export interface TestRule {
  key: string;
  kind?: string;
  unit?: string | null;
  logic: unknown;
  lot_kind?: string | null;
  priority?: number;
  active_from?: string | null;
  active_to?: string | null;
}

/** Adds the next draft version of a rule and publishes it (as the superuser: a privileged caller). */
export async function publish(db: pg.Client, rule: TestRule): Promise<{ id: string; version: number; published_at: Date }> {
  const { rows } = await db.query(
    `insert into rules (key, version, kind, business_unit_id, name, logic, lot_kind, priority, active_from, active_to)
     select $1, coalesce((select max(version) from rules where key = $1), 0) + 1, $2, $3, $1, $4, $5, $6, $7, $8
     returning version`,
    [rule.key, rule.kind ?? "earning", rule.unit ?? null, JSON.stringify(rule.logic), rule.lot_kind ?? null, rule.priority ?? 100,
      rule.active_from ?? null, rule.active_to ?? null],
  );
  const published = await db.query("select id, version, published_at from publish_rule($1, $2)", [rule.key, rows[0].version]);
  return published.rows[0];
}

/** `count` new active members of a tier; returns their ids. */
export async function newMembers(db: pg.Client, count: number, tier = "standard", extra: { birthday?: string | null } = {}): Promise<string[]> {
  const base = Math.floor(Math.random() * 900_000_000);
  const { rows } = await db.query(
    `insert into members (name, phone, tier_id, birthday)
     select '规则测试' || g, '16' || lpad(((($1::bigint + g) % 1000000000))::text, 9, '0'),
            (select id from tiers where code = $3), $4::date
     from generate_series(1, $2) g
     on conflict (phone) do nothing
     returning id`,
    [base, count, tier, extra.birthday ?? null],
  );
  return rows.map((r) => r.id as string);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Waits until every transaction has its transaction_earnings row; returns them by transaction id. */
export async function waitEarned(db: pg.Client, ids: string[], timeoutMs = 30_000) {
  return waitFor(`${ids.length} transaction(s) to be evaluated`, async () => {
    const { rows } = await db.query(
      "select transaction_id, points, outcome, lots, rule_versions, error from transaction_earnings where transaction_id = any($1::uuid[])",
      [ids],
    );
    return rows.length === ids.length ? new Map(rows.map((r) => [r.transaction_id as string, r])) : undefined;
  }, timeoutMs);
}

/** Inserts one transaction directly (as a channel integration would); returns its id. */
export async function insertTransaction(db: pg.Client, member: string, unit: string, amount: number, occurredAt?: Date): Promise<string> {
  const { rows } = await db.query(
    `insert into transactions (business_unit_id, order_no, member_id, amount, occurred_at)
     values ($1, $2, $3, $4, coalesce($5, now())) returning id`,
    [unit, uniqueName("o"), member, amount, occurredAt ?? null],
  );
  return rows[0].id as string;
}

/** balance = sum of ledger entries = sum of open lots, for some members. */
export async function books(db: pg.Client, members: string[]) {
  const { rows } = await db.query(
    `select count(*)::int as members,
            count(*) filter (where b.balance <> coalesce(e.sum, 0) or b.balance <> coalesce(l.sum, 0))::int as inconsistent
     from point_balances b
     left join (select member_id, sum(points) as sum from ledger_entries where member_id = any($1::uuid[]) group by 1) e using (member_id)
     left join (select member_id, sum(remaining_points) as sum from point_lots where member_id = any($1::uuid[]) group by 1) l using (member_id)
     where b.member_id = any($1::uuid[])`,
    [members],
  );
  return rows[0] as { members: number; inconsistent: number };
}
