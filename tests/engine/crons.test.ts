/**
 * The engine's scheduled jobs, run as jobs through graphile-worker: expiry reminders into the outbox
 * (7/3/1 days before, idempotent), the expiry run (also on demand through request_expiry_run), tier review,
 * automatic tagging, the rollup fold and the audit chain seal.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { demoEmail, signedIn } from "../db/stack-env.ts";
import { insertTransaction, newMembers, sleep, testUnit, uniqueName, waitFor, withTestEngine } from "./helpers.ts";

let db: pg.Client;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

withTestEngine((client) => (db = client));

/** Queues a job and waits for its engine_runs row (matched by a marker in the payload). */
async function runJob(task: string, payload: Record<string, unknown> = {}) {
  const marker = uniqueName("job");
  await db.query("select graphile_worker.add_job($1, $2::json, job_key => $3)", [task, JSON.stringify({ ...payload, marker }), marker]);
  return waitFor(`${task} to run`, async () => {
    const { rows } = await db.query("select ok, result, error from engine_runs where job = $1 and payload ->> 'marker' = $2", [task, marker]);
    return rows[0];
  }, 60_000, 100);
}

async function earn(member: string, unit: string, points: number, expiresAt: Date) {
  const { rows } = await db.query("select earn_points($1, $2, $3, $4, 'shopping', $5) as r", [
    member, unit, points, uniqueName("k"), expiresAt,
  ]);
  return Number(rows[0].r.lot_id);
}

describe("expiry reminders", () => {
  it("queue one outbox row per lot for the reminder due (7, 3, 1 days before), and a rerun adds nothing", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const now = Date.now();
    const lots = {
      d7: await earn(member, unit, 70, new Date(now + 7 * DAY - HOUR)),
      d3: await earn(member, unit, 30, new Date(now + 3 * DAY - HOUR)),
      d1: await earn(member, unit, 10, new Date(now + DAY - HOUR)),
      d5: await earn(member, unit, 50, new Date(now + 5 * DAY - HOUR)), // within 7 days: the 7-day reminder
      d20: await earn(member, unit, 200, new Date(now + 20 * DAY)), // too early for any reminder
    };
    const first = await runJob("send_reminders", { member_ids: [member] });
    expect(first).toMatchObject({ ok: true, result: { lots: 5, queued: 4 } });
    const rows = async () =>
      (await db.query(
        `select template, channel, dedupe_key, (payload ->> 'lot_id')::int as lot, (payload ->> 'days_before')::int as days,
                (payload ->> 'points')::int as points
         from notifications_outbox where member_id = $1 order by lot`,
        [member],
      )).rows;
    const expected = [
      { lot: lots.d7, days: 7, points: 70 },
      { lot: lots.d3, days: 3, points: 30 },
      { lot: lots.d1, days: 1, points: 10 },
      { lot: lots.d5, days: 7, points: 50 },
    ].sort((a, b) => a.lot - b.lot).map((r) => ({
      ...r, template: "points_expiring", channel: "sms", dedupe_key: `${r.lot}:${r.days}`,
    }));
    expect(await rows()).toEqual(expected);

    const again = await runJob("send_reminders", { member_ids: [member] });
    expect(again).toMatchObject({ ok: true, result: { lots: 5, queued: 0 } });
    expect(await rows()).toEqual(expected);
  });
});

describe("expiry run", () => {
  it("request_expiry_run (admins only) queues the expiry job, which expires the due lots", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const lot = await earn(member, unit, 40, new Date(Date.now() + 1500));
    await earn(member, unit, 60, new Date(Date.now() + 30 * DAY));
    await sleep(2000);

    const staff = await signedIn(demoEmail("staff"));
    const refused = await staff.client.rpc("request_expiry_run");
    expect(refused.error?.code).toBe("42501");

    const since: Date = (await db.query("select now() as t")).rows[0].t;
    const admin = await signedIn(demoEmail("admin"));
    const { data, error } = await admin.client.rpc("request_expiry_run");
    expect(error).toBeNull();
    expect(data.job_id).toBeGreaterThan(0);
    const runRow = await waitFor("the expiry run", async () =>
      (await db.query("select ok, result from engine_runs where job = 'expire_lots' and started_at >= $1", [since])).rows[0], 60_000, 100);
    expect(runRow.ok).toBe(true);
    // the run reports lots and points (other due lots of the shared database may be among them)
    expect(runRow.result.expired).toBeGreaterThanOrEqual(1);
    expect(runRow.result.points).toBeGreaterThanOrEqual(40);
    const state = (await db.query(
      `select l.remaining_points, l.expired_points, b.balance::int as balance
       from point_lots l join point_balances b on b.member_id = l.member_id where l.id = $1`, [lot])).rows[0];
    expect(state).toEqual({ remaining_points: 0, expired_points: 40, balance: 60 });
  });
});

describe("tier review and tagging", () => {
  it("the tier review job runs review_tiers", async () => {
    const [member] = await newMembers(db, 1, "gold");
    await db.query("update members set growth_value = 2500, tier_reviewed_at = now() - interval '13 months' where id = $1", [member]);
    expect(await runJob("review_tiers")).toMatchObject({ ok: true });
    const { rows } = await db.query("select t.code from members m join tiers t on t.id = m.tier_id where m.id = $1", [member]);
    expect(rows[0].code).toBe("silver");
  });

  it("auto-tagging adds the tags the rules give, keeps manual tags, audits the change, and is idempotent", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    await db.query("update members set tags = '{手工标签}' where id = $1", [member]);
    await insertTransaction(db, member, unit, 12_000); // high-value: 10,000 yuan or more in a year
    const first = await runJob("auto_tag", { member_ids: [member] });
    expect(first).toMatchObject({ ok: true, result: { members: 1, changed: 1 } });
    const tags = async () => (await db.query("select tags from members where id = $1", [member])).rows[0].tags;
    expect(await tags()).toEqual(["手工标签", "高价值"]);
    expect((await db.query("select tags from member_auto_tags where member_id = $1", [member])).rows[0].tags).toEqual(["高价值"]);
    const audit = await db.query(
      // The change of tags (the engine may also be adding the purchase's growth to the same row meanwhile).
      "select reason, after -> 'tags' as tags from audit_log where table_name = 'members' and record_id = $1 " +
        "and before -> 'tags' is distinct from after -> 'tags' order by id desc limit 1", [member]);
    expect(audit.rows[0]).toEqual({ reason: "auto-tagging", tags: ["手工标签", "高价值"] });

    expect(await runJob("auto_tag", { member_ids: [member] })).toMatchObject({ ok: true, result: { members: 1, changed: 0 } });
    expect(await tags()).toEqual(["手工标签", "高价值"]);
  });
});

describe("approval deadlines", () => {
  it("run as the engine's job: a step past its SLA escalates to its escalation role, once", async () => {
    const unit = (await db.query("select id from business_units where code = 'hotel'")).rows[0].id as string;
    const [member] = await newMembers(db, 1);
    const { client } = await signedIn("hotel.staff@demo.test");
    const { data: request, error } = await client.rpc("submit_approval_request", {
      p_flow_key: "points-adjustment", p_business_unit_id: unit, p_idempotency_key: uniqueName("approval"),
      p_data: { member_id: member, points: 100, reason_category: "other", reason: "引擎升级测试" },
    });
    expect(error).toBeNull();
    await db.query("update approval_tasks set due_at = now() - interval '1 minute', reminder_at = now() - interval '2 minutes' where request_id = $1", [request.id]);
    expect(await runJob("approval_deadlines")).toMatchObject({ ok: true, result: { escalated: expect.any(Number) } });
    await runJob("approval_deadlines");
    const { rows } = await db.query("select approver_role, escalated_at is not null as escalated from approval_tasks where request_id = $1", [request.id]);
    expect(rows).toEqual([{ approver_role: "director", escalated: true }]);
    const events = (await db.query("select event from approval_events where request_id = $1 and event = 'escalated'", [request.id])).rows;
    expect(events).toHaveLength(1);
  });
});

describe("dashboard rollups", () => {
  it("the fold job moves the deltas into the rollups (private.fold_rollups)", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    await earn(member, unit, 40, new Date(Date.now() + 30 * DAY));
    const pending = async () => (await db.query("select count(*)::int as n from private.points_delta_rows where member_id = $1", [member])).rows[0].n;
    expect(await pending()).toBe(1);
    const run = await runJob("fold_rollups");
    expect(run).toMatchObject({ ok: true });
    expect(await pending()).toBe(0);
    const { rows } = await db.query("select coalesce(sum(points), 0)::int as p from private.open_points_by_expiry where lot_unit_id = $1", [unit]);
    expect(rows[0].p).toBeGreaterThanOrEqual(40);
  });
});

describe("audit chain sealing", () => {
  it("the audit_seal job links the committed unsealed audit rows into the chain (private.seal_audit_chain)", async () => {
    const { rows: written } = await db.query(
      "insert into audit_log (table_name, action, reason, after) values ('api_calls', 'EXPORT', 'engine-seal-test', '{}') returning id, chain_seq");
    expect(written[0].chain_seq).toBeNull();
    const run = await runJob("audit_seal");
    expect(run).toMatchObject({ ok: true });
    // Sealed now (by this job, or by another sealer that ran first: a second engine, npm run audit:verify).
    const { rows } = await db.query("select chain_seq from audit_log where id = $1", [written[0].id]);
    expect(rows[0].chain_seq).not.toBeNull();
    const { rows: unsealed } = await db.query("select count(*)::int as n from audit_log where chain_seq is null and id <= $1", [written[0].id]);
    expect(unsealed[0].n).toBe(0);
  });
});
