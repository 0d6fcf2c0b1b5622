/**
 * Rules kept as files reach the engine: a changed copy of workflows/rules/earning.json, synced again,
 * publishes a new version of the changed rule only, and the engine earns the next transaction by it. Runs
 * on a database of its own in the stack's cluster, since the rules it publishes apply group-wide.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEngine } from "../../engine/worker.ts";
import { prepareWorkerSchema } from "../../engine/worker.ts";
import { bootstrap, migrate } from "../../stack/migrate.ts";
import { RULES_DIR, seedRules } from "../../stack/seed-rules.ts";
import { syncReport } from "../../stack/sync-definitions.ts";
import { databaseUrl, superuser } from "../db/stack-env.ts";
import { insertTransaction, testEngine, waitEarned } from "./helpers.ts";

const name = `rules_sync_${process.pid}_${Date.now()}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-sync-"));
let admin: pg.Client;
let db: pg.Client;
let engine: RunningEngine | undefined;
let member: string;
let unit: string;

beforeAll(async () => {
  admin = await superuser();
  await admin.query(`create database ${name}`);
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await bootstrap(db);
  await migrate(db);
  await prepareWorkerSchema(url.toString());
  await db.query(`insert into tiers (code, name, rank, growth_threshold) values
    ('standard', '普卡', 0, 0), ('silver', '银卡', 1, 2000), ('gold', '金卡', 2, 10000), ('diamond', '钻石卡', 3, 50000)`);
  unit = (await db.query("insert into business_units (code, name, kind) values ('mall', '购物中心', 'mall') returning id")).rows[0].id;
  member = (await db.query("insert into members (name, phone) values ('同步测试', '13900000001') returning id")).rows[0].id;
  for (const file of fs.readdirSync(RULES_DIR)) fs.copyFileSync(path.join(RULES_DIR, file), path.join(dir, file));
  engine = await testEngine({ databaseUrl: url.toString() });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await db?.end();
  await admin?.query(`drop database if exists ${name} with (force)`);
  await admin?.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Changes the logic of one rule in the copy of earning.json. */
function editEarningRule(key: string, logic: unknown) {
  const file = path.join(dir, "earning.json");
  const set = JSON.parse(fs.readFileSync(file, "utf8"));
  set.rules.find((r: { key: string }) => r.key === key).logic = logic;
  fs.writeFileSync(file, JSON.stringify(set, null, 2));
}

async function earnedFor(amount: number) {
  const id = await insertTransaction(db, member, unit, amount);
  return (await waitEarned(db, [id])).get(id);
}

describe("rules synced from workflows/rules", () => {
  it("are created once, then unchanged", async () => {
    const first = await seedRules(db, dir);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((s) => s.outcome === "created")).toBe(true);
    expect(syncReport(first)).toContain(`rules/shopping-base: created from ${path.relative(path.resolve("."), path.join(dir, "earning.json"))}`);
    expect((await seedRules(db, dir)).every((s) => s.outcome === "unchanged")).toBe(true);
    // earned, or held for the return window when the seeded hold rule applies to the unit: the points are the rule's either way
    const earned = await earnedFor(100);
    expect(earned).toMatchObject({ points: 100 });
    expect(["earned", "held"]).toContain(earned.outcome);
  });

  it("an edited file publishes a new version of the rule it changes, and the engine earns by it", async () => {
    editEarningRule("shopping-base", { floor: [{ "*": [{ var: "transaction.amount" }, 3] }] });
    const synced = await seedRules(db, dir);
    expect(synced.filter((s) => s.outcome !== "unchanged").map((s) => [s.name, s.outcome])).toEqual([["rules/shopping-base", "published v2"]]);

    const { rows } = await db.query(
      "select version, status, origin, published_at, superseded_at from rules where key = 'shopping-base' order by version");
    expect(rows.map((r) => [r.version, r.status, r.origin])).toEqual([[1, "archived", "file"], [2, "published", "file"]]);
    expect(rows[0].superseded_at).toEqual(rows[1].published_at);

    const earned = await earnedFor(100);
    expect(earned).toMatchObject({ points: 300 });
    expect(["earned", "held"]).toContain(earned.outcome);
    expect(earned.rule_versions).toContainEqual(expect.objectContaining({ key: "shopping-base", version: 2 }));
  });

  it("the published version stays as it was", async () => {
    await expect(db.query(`update rules set logic = '1' where key = 'shopping-base' and version = 2`)).rejects.toThrow(
      /create a new version instead of editing it/,
    );
    await expect(db.query("delete from rules where key = 'shopping-base'")).rejects.toThrow(/stays as history/);
  });
});
