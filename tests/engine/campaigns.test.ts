/**
 * Campaigns through the real engine: purchases recorded at a campaign's unit are earned by the engine's earn job
 * (batched, in parallel) and treatment members get the double-points bonus with their earning, the holdout never,
 * within the budget; the campaigns job (engine/jobs.ts runCampaigns) run three times at once grants a coupon once per
 * treatment member.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCampaigns } from "../../engine/jobs.ts";
import { roleSessions } from "../db/role-session.ts";
import { databaseUrl } from "../db/stack-env.ts";
import { insertTransaction, newMembers, publish, testUnit, uniqueName, waitEarned, withTestEngine } from "./helpers.ts";

let db: pg.Client;
withTestEngine((client) => (db = client));
let pool: pg.Pool;
let session: Awaited<ReturnType<typeof roleSessions>>;
let hotel: string;
let unit: string;

const keyOf = (prefix: string) => uniqueName(prefix).toLowerCase().replace(/[^a-z0-9-]/g, "-");

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
  session = await roleSessions(db);
  hotel = (await db.query("select id from business_units where code = 'hotel'")).rows[0].id;
  unit = await testUnit(db);
  // one point a yuan at the test unit
  await publish(db, { key: keyOf("cmp-earn"), unit, logic: { floor: [{ var: "transaction.amount" }] } });
  await db.query("select set_point_value_yuan(0.01)");
});
afterAll(async () => {
  await db.query("update campaigns set status = 'cancelled', cancelled_at = now() where business_unit_ids && array[$1::uuid] and status in ('approved', 'running')", [unit]);
  await pool?.end();
});

async function segmentOf(members: string[]) {
  const k = keyOf("cmp-seg");
  await db.query("update members set tags = array_append(tags, $1) where id = any ($2::uuid[])", [k, members]);
  await db.query("insert into segment_definitions (key, version, name, logic) values ($1, 1, '引擎测试客群', $2)",
    [k, JSON.stringify({ has_tag: [{ var: "member.tags" }, k] })]);
  await db.query("select publish_segment($1, 1)", [k]);
  await db.query("select private.store_segment_members($1, 1, $2::uuid[], now())", [k, members]);
  return k;
}

async function launch(segmentKey: string, overrides: Record<string, unknown>) {
  const input = {
    key: keyOf("cmp"), name: "引擎测试活动", segment_key: segmentKey, business_unit_ids: [unit],
    starts_at: new Date(Date.now() - 3600_000).toISOString(), ends_at: new Date(Date.now() + 86_400_000).toISOString(),
    offer: { kind: "points_multiplier", multiplier: 2 }, holdout_percent: 0, budget_fen: 1_000_000, paying_unit_id: hotel,
    ...overrides,
  };
  const id = (await session.commitAs("marketing", "select (save_campaign($1)).id", [JSON.stringify(input)]))[0].id as string;
  const requestId = (await session.commitAs("marketing", "select submit_campaign($1, $2) as id", [id, keyOf("cmp-submit")]))[0].id;
  for (;;) {
    const { rows } = await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [requestId]);
    if (!rows.length) break;
    await session.commitAs("manager", "select decide_approval_task($1, 'approve')", [rows[0].id]);
  }
  return (await db.query("select * from campaigns where id = $1", [id])).rows[0] as { id: string; key: string; status: string };
}

describe("the earn job with a double-points campaign", () => {
  it("gives treatment members their points again as a bonus, never the holdout, and stops at the budget", async () => {
    const members = await newMembers(db, 24);
    const c = await launch(await segmentOf(members), { holdout_percent: 25, budget_fen: 1500 });
    expect(c.status).toBe("approved");
    const arms = new Map((await db.query("select member_id, arm from campaign_members where campaign_id = $1", [c.id])).rows
      .map((r) => [r.member_id as string, r.arm as string]));
    // 24 purchases of 100 yuan in a row (the engine earns them in batches and in parallel): 100 points each, a
    // 100-point bonus (100 fen) per treatment member until 1,500 fen
    const txns: string[] = [];
    for (const m of members) txns.push(await insertTransaction(db, m, unit, 100));
    const earned = await waitEarned(db, txns, 60_000);
    for (const t of txns) expect(earned.get(t)).toMatchObject({ points: 100, outcome: "earned" });
    const bonus = (await db.query(
      "select member_id, points from ledger_entries where idempotency_key like $1", [`%:campaign:${c.key}`])).rows;
    for (const b of bonus) expect(arms.get(b.member_id)).not.toBe("holdout");
    const treatment = [...arms.values()].filter((a) => a !== "holdout").length;
    const total = bonus.reduce((s, b) => s + Number(b.points), 0);
    expect(total).toBe(Math.min(treatment * 100, 1500));
    const row = (await db.query("select spent_fen, spent_points from campaigns where id = $1", [c.id])).rows[0];
    expect(Number(row.spent_points)).toBe(total);
    expect(Number(row.spent_fen)).toBeLessThanOrEqual(1500);
  });
});

describe("the campaigns job", () => {
  it("run three times at once, grants the coupon once per treatment member", async () => {
    const members = await newMembers(db, 15);
    const couponKey = keyOf("cmp-coupon");
    await db.query(
      `insert into benefit_definitions (key, version, status, name, kind, value, uses_per_period, period, validity_days, issuing_unit_id, accepting_unit_codes)
       values ($1, 1, 'published', '引擎活动券', 'coupon', 300, 1, 'once', 31, $2, '{mall}')`, [couponKey, hotel]);
    const c = await launch(await segmentOf(members), { offer: { kind: "benefit_grant", benefit_key: couponKey, uses: 1 }, holdout_percent: 20 });
    const env = { pool };
    const runs = await Promise.all([runCampaigns(env), runCampaigns(env), runCampaigns(env)]);
    await runCampaigns(env);
    expect(runs.reduce((s, r) => s + r.given, 0)).toBeGreaterThan(0);
    const treatment = Number((await db.query("select count(*) from campaign_members where campaign_id = $1 and arm <> 'holdout'", [c.id])).rows[0].count);
    const grants = (await db.query("select member_id from benefit_grants where definition_key = $1", [couponKey])).rows;
    expect(grants).toHaveLength(treatment);
    expect(new Set(grants.map((g) => g.member_id)).size).toBe(treatment);
    expect(Number((await db.query("select spent_fen from campaigns where id = $1", [c.id])).rows[0].spent_fen)).toBe(treatment * 300);
  });
});
