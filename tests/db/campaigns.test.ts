/**
 * Marketing campaigns against the real database: drafts refused with their reason and nothing
 * changed; only marketing (and admins) draft, a manager approves, nobody approves their own; assignment to arms and
 * the holdout is deterministic and honours the shares; the points multiplier gives treatment members a bonus lot with
 * their earning, never the holdout, within the budget even under parallel earnings; coupon grants once per member
 * when the job runs twice or in parallel, stopped by the budget; messages once per member; results equal plain SQL;
 * the cost goes to settlement once among the campaign's units, and the unit report shows the campaign's return.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAMPAIGN_LIMITS, CAMPAIGN_OFFER_KINDS, CAMPAIGN_STATUSES } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { outcome, roleSessions } from "./role-session.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let session: Awaited<ReturnType<typeof roleSessions>>;
const { key, newMember, units } = ledgerHelpers("campaigns", () => db);
const run = Date.now().toString(36);
let no = 0;
const uniqueKey = (label: string) => `t${run}-${label}-${++no}`;

const connect = (n: number) => Promise.all(Array.from({ length: n }, () => superuser()));
const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].count);

async function newMembers(n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await newMember());
  return ids;
}

/**
 * A published segment whose members are `members`: they carry a tag of their own that its condition asks for, so the
 * engine's refresh (queued by the publish) finds the same members this stores.
 */
async function segment(members: string[]) {
  const k = uniqueKey("seg");
  await db.query("update members set tags = array_append(tags, $1) where id = any ($2::uuid[])", [k, members]);
  await db.query("insert into segment_definitions (key, version, name, logic) values ($1, 1, '测试客群', $2)",
    [k, JSON.stringify({ has_tag: [{ var: "member.tags" }, k] })]);
  await db.query("select publish_segment($1, 1)", [k]);
  await db.query("select private.store_segment_members($1, 1, $2::uuid[], now())", [k, members]);
  return k;
}

const hour = 3600_000;
function campaignInput(segmentKey: string, overrides: Record<string, unknown> = {}) {
  return {
    key: uniqueKey("c"), name: "商场双倍积分", description: "测试活动", segment_key: segmentKey,
    business_unit_ids: [mall], starts_at: new Date(Date.now() - hour).toISOString(),
    ends_at: new Date(Date.now() + 7 * 24 * hour).toISOString(), offer: { kind: "points_multiplier", multiplier: 2 },
    arms: [{ key: "a", share: 100 }], holdout_percent: 0, budget_fen: 1_000_000, paying_unit_id: hotel,
    ...overrides,
  };
}

async function draft(input: Record<string, unknown>, who: "marketing" | "admin" = "marketing") {
  return (await session.commitAs(who, "select * from save_campaign($1)", [JSON.stringify(input)]))[0] as { id: string; key: string; status: string };
}

async function approveAll(requestId: string, who: "manager" | "director" = "manager") {
  for (;;) {
    const { rows } = await db.query("select id, approver_role from approval_tasks where request_id = $1 and status = 'pending'", [requestId]);
    if (!rows.length) return;
    await session.commitAs(rows[0].approver_role === "director" ? "director" : who, "select decide_approval_task($1, 'approve')", [rows[0].id]);
  }
}

/** Drafted by marketing, submitted, approved by the paying unit's manager (the hotel's). */
async function launch(input: Record<string, unknown>) {
  const c = await draft(input);
  const requestId = (await session.commitAs("marketing", "select submit_campaign($1, $2) as id", [c.id, key("submit")]))[0].id as string;
  await approveAll(requestId);
  const row = (await db.query("select * from campaigns where id = $1", [c.id])).rows[0];
  expect(row.status).toBe("approved");
  return row as { id: string; key: string; status: string; approval_request_id: string };
}

/** A purchase at `unit` recorded and its earning posted (rules' points `points`) in one database transaction. */
async function earn(client: pg.Client, member: string, unit: string, amount: number, points: number, holdDays?: number) {
  await client.query("begin");
  try {
    const txn = (await client.query(
      "insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, $4) returning id",
      [unit, `cmp-${run}-${++no}-${Math.random().toString(36).slice(2, 8)}`, member, amount])).rows[0].id as string;
    await client.query("select private.post_earnings($1::jsonb)", [JSON.stringify([
      { transaction_id: txn, member_id: member, business_unit_id: unit, lots: [{ kind: "shopping", points, expires_at: null }],
        rule_versions: [], errors: [], reason: null, hold_days: holdDays }])]);
    await client.query("commit");
    return txn;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

const campaignPoints = async (campaignKey: string) =>
  Number((await db.query("select coalesce(sum(points), 0) as s from ledger_entries where idempotency_key like $1", [`%:campaign:${campaignKey}`])).rows[0].s);

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  session = await roleSessions(db);
  await db.query("select set_point_value_yuan(0.01)");
});
afterAll(async () => {
  await db?.query("update campaigns set status = 'cancelled', cancelled_at = now() where key like $1 and status in ('approved', 'running')", [`t${run}-%`]);
  await db?.end();
});

describe("campaign limits", () => {
  it("SQL states the limits, statuses and offer kinds core/enums does", async () => {
    const { rows } = await db.query("select private.campaign_limits() as l, private.campaign_statuses() as s, private.campaign_offer_kinds() as k");
    expect(rows[0].l).toEqual(CAMPAIGN_LIMITS);
    expect(rows[0].s).toEqual([...CAMPAIGN_STATUSES]);
    expect(rows[0].k).toEqual([...CAMPAIGN_OFFER_KINDS]);
  });
});

describe("drafts", () => {
  it("bad inputs are refused with their reason and change nothing", async () => {
    const seg = await segment(await newMembers(2));
    const before = await count("select count(*) from campaigns");
    const base = campaignInput(seg);
    const day = 24 * hour;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, key: "Bad Key" }, "campaign_key_invalid"],
      [{ ...base, name: "  " }, "campaign_name_invalid"],
      [{ ...base, name: "x".repeat(CAMPAIGN_LIMITS.max_name_length + 1) }, "campaign_name_invalid"],
      [{ ...base, segment_key: "no-such-segment" }, "campaign_segment_unknown"],
      [{ ...base, business_unit_ids: [] }, "campaign_units_invalid"],
      [{ ...base, business_unit_ids: ["00000000-0000-0000-0000-000000000000"] }, "campaign_units_invalid"],
      [{ ...base, paying_unit_id: null }, "campaign_paying_unit_invalid"],
      [{ ...base, ends_at: base.starts_at }, "campaign_period_invalid"],
      [{ ...base, ends_at: new Date(Date.now() + 400 * day).toISOString() }, "campaign_period_invalid"],
      [{ ...base, starts_at: new Date(Date.now() - 5 * day).toISOString() }, "campaign_period_invalid"],
      [{ ...base, starts_at: "infinity" }, "campaign_period_invalid"],
      [{ ...base, starts_at: "not a date" }, "campaign_invalid"],
      [{ ...base, holdout_percent: 51 }, "campaign_holdout_invalid"],
      [{ ...base, holdout_percent: -1 }, "campaign_holdout_invalid"],
      [{ ...base, budget_fen: 0 }, "campaign_budget_invalid"],
      [{ ...base, budget_fen: CAMPAIGN_LIMITS.max_budget_fen + 1 }, "campaign_budget_invalid"],
      [{ ...base, offer: { kind: "cashback" } }, "campaign_offer_invalid"],
      [{ ...base, offer: null }, "campaign_offer_invalid"],
      [{ ...base, offer: { kind: "points_multiplier", multiplier: 1 } }, "campaign_multiplier_invalid"],
      [{ ...base, offer: { kind: "points_multiplier", multiplier: 5.5 } }, "campaign_multiplier_invalid"],
      [{ ...base, offer: { kind: "points_multiplier", multiplier: "2" } }, "campaign_multiplier_invalid"],
      [{ ...base, offer: { kind: "benefit_grant", benefit_key: "no-such-benefit", uses: 1, unit_cost_fen: 100 } }, "campaign_benefit_unknown"],
      [{ ...base, offer: { kind: "message", message: "" } }, "campaign_message_invalid"],
      [{ ...base, offer: { kind: "message", message: "x".repeat(CAMPAIGN_LIMITS.max_message_length + 1) } }, "campaign_message_invalid"],
      [{ ...base, arms: [{ key: "a", share: 60 }, { key: "b", share: 30 }] }, "campaign_arms_invalid"],
      [{ ...base, arms: [{ key: "b", share: 100 }] }, "campaign_arms_invalid"],
      [{ ...base, arms: [] }, "campaign_arms_invalid"],
      [{ ...base, arms: [1, 2, 3, 4, 5].map((i) => ({ key: "abcde"[i - 1], share: 20 })) }, "campaign_arms_invalid"],
      [{ ...base, arms: [{ key: "a", share: 50, multiplier: 9 }, { key: "b", share: 50 }] }, "campaign_arm_offer_invalid"],
      [{ ...base, arms: [{ key: "a", share: 50, message: "hi" }, { key: "b", share: 50 }] }, "campaign_arm_offer_invalid"],
    ];
    for (const [input, hint] of cases) {
      expect(outcome(await session.attempt("marketing", "select save_campaign($1)", [JSON.stringify(input)])), hint).toBe(hint);
    }
    for (const who of ["staff", "manager", "analyst", "finance"] as const) {
      expect(outcome(await session.attempt(who, "select save_campaign($1)", [JSON.stringify(base)])), who).toBe("campaign_drafters_only");
    }
    // A table write outside the functions is refused too.
    expect(outcome(await session.attempt("marketing", "insert into campaigns (key, name, segment_key, business_unit_ids, starts_at, ends_at, offer, budget_fen, paying_unit_id) values ('x1', 'x', $1, array[$2::uuid], now(), now() + interval '1 day', '{\"kind\":\"message\"}', 1, $2)", [seg, mall]))).toBe("42501");
    expect(await count("select count(*) from campaigns")).toBe(before);

    const saved = await draft(base);
    expect(saved).toMatchObject({ status: "draft", key: base.key });
    expect(outcome(await session.attempt("marketing", "select save_campaign($1)", [JSON.stringify(base)]))).toBe("campaign_key_taken");
    expect(outcome(await session.attempt("marketing", "select save_campaign($1)", [JSON.stringify({ ...base, id: saved.id, key: "other-key" })]))).toBe("campaign_key_fixed");
    const changed = await draft({ ...base, id: saved.id, name: "改名", offer: { kind: "points_multiplier", multiplier: 1.5 } });
    expect(changed).toMatchObject({ id: saved.id, name: "改名", offer: { kind: "points_multiplier", multiplier: 1.5 } });
  });
});

describe("launch through approval", () => {
  it("marketing drafts and submits, the paying unit's manager approves, nobody approves their own", async () => {
    const members = await newMembers(3);
    const seg = await segment(members);
    const input = campaignInput(seg);
    // Staff and managers cannot submit; an empty segment is refused.
    const c = await draft(input);
    expect(outcome(await session.attempt("staff", "select submit_campaign($1, $2)", [c.id, key("s")]))).toBe("campaign_drafters_only");
    const empty = await draft(campaignInput(await segment([])));
    expect(outcome(await session.attempt("marketing", "select submit_campaign($1, $2)", [empty.id, key("s")]))).toBe("campaign_segment_size");
    expect(outcome(await session.attempt("marketing", "select submit_campaign($1, $2)", [c.id, "short"]))).toBe("idempotency_key_invalid");

    const k = key("submit");
    const requestId = (await session.commitAs("marketing", "select submit_campaign($1, $2) as id", [c.id, k]))[0].id;
    // a repeat of the key returns the same request
    expect((await session.commitAs("marketing", "select submit_campaign($1, $2) as id", [c.id, k]))[0].id).toBe(requestId);
    const request = (await db.query("select * from approval_requests where id = $1", [requestId])).rows[0];
    expect(request).toMatchObject({ action: "campaign_launch", business_unit_id: hotel, status: "pending" });
    expect(request.data).toMatchObject({ campaign_id: c.id, key: input.key, member_count: 3, budget_fen: input.budget_fen });
    expect((await db.query("select status from campaigns where id = $1", [c.id])).rows[0].status).toBe("pending");
    // pending: no change, no cancel, nobody assigned
    expect(outcome(await session.attempt("marketing", "select save_campaign($1)", [JSON.stringify({ ...input, id: c.id })]))).toBe("campaign_not_draft");
    expect(outcome(await session.attempt("marketing", "select cancel_campaign($1, '不做了')", [c.id]))).toBe("campaign_pending_withdraw_first");
    expect(await count("select count(*) from campaign_members where campaign_id = $1", [c.id])).toBe(0);

    await approveAll(requestId);
    const done = (await db.query("select status, members_assigned from campaigns where id = $1", [c.id])).rows[0];
    expect(done).toEqual({ status: "approved", members_assigned: 3 });
    expect((await db.query("select status from approval_requests where id = $1", [requestId])).rows[0].status).toBe("approved");
    expect(await count("select count(*) from campaign_members where campaign_id = $1", [c.id])).toBe(3);
    // the runner again assigns nobody twice
    await db.query("select private.run_campaign_launch(r) from approval_requests r where r.id = $1", [requestId]);
    expect(await count("select count(*) from campaign_members where campaign_id = $1", [c.id])).toBe(3);

    // An administrator may draft and submit, but not approve their own request.
    const own = await draft(campaignInput(seg), "admin");
    const ownRequest = (await session.commitAs("admin", "select submit_campaign($1, $2) as id", [own.id, key("own")]))[0].id;
    const task = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [ownRequest])).rows[0].id;
    expect(outcome(await session.attempt("admin", "select decide_approval_task($1, 'approve')", [task]))).toBe("approval_self");
    // A rejection makes it rejected, editable again (back to draft).
    await session.commitAs("manager", "select decide_approval_task($1, 'reject', '预算过高')", [task]);
    expect((await db.query("select status from campaigns where id = $1", [own.id])).rows[0].status).toBe("rejected");
    const again = await draft({ ...campaignInput(seg), key: own.key, id: own.id }, "admin");
    expect(again.status).toBe("draft");

    // Cancelling an approved campaign, twice, with a reason.
    expect(outcome(await session.attempt("marketing", "select cancel_campaign($1, ' ')", [c.id]))).toBe("reason_required");
    const cancelled = (await session.commitAs("marketing", "select * from cancel_campaign($1, '客群有误')", [c.id]))[0];
    expect(cancelled).toMatchObject({ status: "cancelled", cancel_reason: "客群有误" });
    expect((await session.commitAs("director", "select * from cancel_campaign($1, '客群有误')", [c.id]))[0].status).toBe("cancelled");
  });

  it("assignment is deterministic: the same hash as a plain md5, holdout and arm shares honoured", async () => {
    const members = await newMembers(300);
    const seg = await segment(members);
    const c = await launch(campaignInput(seg, { holdout_percent: 20, arms: [{ key: "a", share: 70 }, { key: "b", share: 30, multiplier: 3 }] }));
    const assigned = new Map((await db.query("select member_id, arm from campaign_members where campaign_id = $1", [c.id])).rows
      .map((r) => [r.member_id as string, r.arm as string]));
    expect(assigned.size).toBe(300);
    const bucket = (s: string) => Number(BigInt(`0x${createHash("md5").update(s).digest("hex").slice(0, 8)}`) % 100n);
    const counts: Record<string, number> = { a: 0, b: 0, holdout: 0 };
    for (const m of members) {
      const expected = bucket(`${c.key}:holdout:${m}`) < 20 ? "holdout" : bucket(`${c.key}:arm:${m}`) < 70 ? "a" : "b";
      expect(assigned.get(m), m).toBe(expected);
      counts[expected]++;
    }
    // 300 draws: well within these bounds unless the split is wrong
    expect(counts.holdout).toBeGreaterThan(30);
    expect(counts.holdout).toBeLessThan(90);
    expect(counts.a).toBeGreaterThan(counts.b);
    expect(counts.b).toBeGreaterThan(30);
    // the same function in SQL, called again, gives the same arms
    expect(await count(
      "select count(*) from campaign_members cm join campaigns c on c.id = cm.campaign_id where c.id = $1 and cm.arm <> private.campaign_arm(c.key, cm.member_id, c.holdout_percent, c.arms)",
      [c.id])).toBe(0);
  });
});

describe("points multiplier", () => {
  it("treatment members get (multiplier - 1) × their points as a bonus lot at the campaign's units only; the holdout never", async () => {
    const members = await newMembers(40);
    const seg = await segment(members);
    const c = await launch(campaignInput(seg, { holdout_percent: 50, arms: [{ key: "a", share: 50 }, { key: "b", share: 50, multiplier: 3 }] }));
    const arms = new Map((await db.query("select member_id, arm from campaign_members where campaign_id = $1", [c.id])).rows
      .map((r) => [r.member_id as string, r.arm as string]));
    for (const m of members) await earn(db, m, mall, 100, 100);
    // at the hotel (not a campaign unit): nothing
    await earn(db, members[0], hotel, 100, 100);
    const bonus = new Map((await db.query(
      "select member_id, sum(points)::int as points from ledger_entries where idempotency_key like $1 group by 1", [`%:campaign:${c.key}`])).rows
      .map((r) => [r.member_id as string, r.points as number]));
    let total = 0;
    for (const m of members) {
      const arm = arms.get(m);
      const expected = arm === "holdout" ? undefined : arm === "a" ? 100 : 200;
      expect(bonus.get(m), `${m} in ${arm}`).toBe(expected);
      total += expected ?? 0;
    }
    expect(arms.size).toBe(40);
    expect([...arms.values()].filter((a) => a === "holdout").length).toBeGreaterThan(0);
    // the bonus lots are campaign lots issued by the paying unit; the counters equal the offers given
    expect(await count("select count(*) from point_lots l join ledger_entries e on e.id = l.earn_entry_id where e.idempotency_key like $1 and (l.kind <> 'campaign' or l.business_unit_id <> $2)",
      [`%:campaign:${c.key}`, hotel])).toBe(0);
    expect(await count("select count(*) from point_lots l join ledger_entries e on e.id = l.earn_entry_id where e.idempotency_key like $1", [`%:campaign:${c.key}`]))
      .toBe([...arms.values()].filter((a) => a !== "holdout").length);
    const row = (await db.query("select spent_points, spent_fen from campaigns where id = $1", [c.id])).rows[0];
    expect(Number(row.spent_points)).toBe(total);
    expect(Number(row.spent_fen)).toBe(total); // 0.01 yuan a point
    expect(await count("select count(*) from campaign_offers_given g join campaign_members cm using (campaign_id, member_id) where g.campaign_id = $1 and cm.arm = 'holdout'", [c.id])).toBe(0);

    // Results equal plain SQL over the same data.
    const results = (await session.commitAs("analyst", "select campaign_results($1) as r", [c.id]))[0].r;
    const plain = (await db.query(
      `with m as (select member_id, arm from campaign_members where campaign_id = $1),
            t as (select m.arm, t.member_id, round(t.amount * 100)::bigint fen from transactions t join m using (member_id)
                  join campaigns c on c.id = $1 where t.business_unit_id = any (c.business_unit_ids) and t.occurred_at >= c.starts_at and t.occurred_at < c.ends_at)
       select (select count(*) from m where arm <> 'holdout')::int as treat, (select count(*) from m where arm = 'holdout')::int as hold,
              (select count(distinct member_id) from t where arm <> 'holdout')::int as uptake,
              (select coalesce(sum(fen), 0) from t where arm <> 'holdout')::bigint as treat_spend,
              (select coalesce(sum(fen), 0) from t where arm = 'holdout')::bigint as hold_spend,
              (select coalesce(sum(cost_fen), 0) from campaign_offers_given where campaign_id = $1)::bigint as cost,
              (select coalesce(sum(points), 0) from campaign_offers_given where campaign_id = $1)::bigint as points`, [c.id])).rows[0];
    const treatSpend = Number(plain.treat_spend);
    const holdSpend = Number(plain.hold_spend);
    expect(results).toMatchObject({
      treatment_members: plain.treat, holdout_members: plain.hold, reach: plain.treat, uptake: plain.uptake,
      cost_fen: Number(plain.cost), cost_points: Number(plain.points), budget_fen: 1_000_000,
      incremental_spend_fen: Math.round((treatSpend / plain.treat - holdSpend / plain.hold) * plain.treat),
    });
    expect(results.uptake_rate).toBeCloseTo(plain.uptake / plain.treat, 4);
    expect(results.arms.map((a: { arm: string }) => a.arm)).toEqual(["a", "b", "holdout"]);
    expect(results.arms.reduce((s: number, a: { spend_fen: number }) => s + Number(a.spend_fen), 0)).toBe(treatSpend + holdSpend);
    expect(results.by_day.reduce((s: number, d: { spend_fen: number }) => s + Number(d.spend_fen), 0)).toBe(treatSpend);
    expect(results.by_unit.find((u: { business_unit_id: string }) => u.business_unit_id === mall).spend_fen).toBe(treatSpend);
    // Staff may not read results.
    expect(outcome(await session.attempt("staff", "select campaign_results($1)", [c.id]))).toBe("campaign_results_denied");
  });

  it("the budget caps the bonus under 20 parallel earnings: never overspent, the last bonus partial", async () => {
    const members = await newMembers(20);
    const seg = await segment(members);
    // 100 points a purchase, doubled: a 100-point bonus costs 100 fen; 1,050 fen pays 10 bonuses and 50 points
    const c = await launch(campaignInput(seg, { budget_fen: 1050 }));
    const clients = await connect(20);
    try {
      await Promise.all(clients.map((client, i) => earn(client, members[i], mall, 50, 100)));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    const row = (await db.query("select spent_points, spent_fen, budget_fen from campaigns where id = $1", [c.id])).rows[0];
    expect(Number(row.spent_fen)).toBe(1050);
    expect(Number(row.spent_points)).toBe(1050);
    expect(await campaignPoints(c.key)).toBe(1050);
    expect(await count("select count(*) from campaign_offers_given where campaign_id = $1", [c.id])).toBe(11);
    // every earning stood: 20 × 100 points of the rules
    expect(await count("select count(*) from transaction_earnings e join transactions t on t.id = e.transaction_id where t.member_id = any ($1) and e.points = 100", [members])).toBe(20);
  });
});

describe("points multiplier on held points", () => {
  it("a bonus on a purchase held for its return window is held with it, cancelled by a return, released with it", async () => {
    const [returned, kept] = await newMembers(2);
    const c = await launch(campaignInput(await segment([returned, kept])));
    const pending = async (txn: string) => (await db.query(
      "select kind, points, business_unit_id, status, release_at from pending_points where transaction_id = $1 order by id", [txn])).rows;

    const first = await earn(db, returned, mall, 100, 100, 7);
    const rows = await pending(first);
    expect(rows.map((r) => [r.kind, r.points, r.business_unit_id, r.status])).toEqual([["shopping", 100, mall, "held"], ["campaign", 100, hotel, "held"]]);
    expect(rows[1].release_at).toEqual(rows[0].release_at);
    expect(await campaignPoints(c.key)).toBe(0); // nothing in the ledger yet
    expect(Number((await db.query("select spent_points from campaigns where id = $1", [c.id])).rows[0].spent_points)).toBe(100);
    await session.commitAs("staff", "select return_transaction($1, '顾客退货')", [first]);
    expect((await pending(first)).map((r) => r.status)).toEqual(["cancelled", "cancelled"]);

    const second = await earn(db, kept, mall, 100, 100, 7);
    // The window ends (release_at moved to just after the purchase, the guard trigger off for this change only).
    const other = await superuser();
    try {
      await other.query("begin");
      await other.query("set local session_replication_role = replica");
      await other.query("update pending_points set release_at = earned_at + interval '1 millisecond' where transaction_id = $1", [second]);
      await other.query("commit");
    } finally {
      await other.end();
    }
    await db.query("select private.release_pending_points(now())");
    expect((await pending(second)).map((r) => r.status)).toEqual(["released", "released"]);
    expect(await campaignPoints(c.key)).toBe(100);
  });
});

describe("grants and messages by the job", () => {
  async function coupon(value: number) {
    const k = uniqueKey("coupon");
    await db.query(
      `insert into benefit_definitions (key, version, status, name, kind, value, uses_per_period, period, validity_days, issuing_unit_id, accepting_unit_codes)
       values ($1, 1, 'published', '活动券', 'coupon', $2, 1, 'once', 31, $3, '{mall}')`, [k, value, mall]);
    return k;
  }
  const runJob = async (client: pg.Client = db) => (await client.query("select private.run_campaigns(now()) as r")).rows[0].r;

  it("a coupon is granted once per treatment member when the job runs twice and five times in parallel; the budget stops grants", async () => {
    const members = await newMembers(12);
    const seg = await segment(members);
    const couponKey = await coupon(500);
    // 500 fen a coupon, 3,500 fen: seven coupons
    const c = await launch(campaignInput(seg, { offer: { kind: "benefit_grant", benefit_key: couponKey, uses: 1 }, budget_fen: 3500 }));
    const grants = () => count("select count(*) from benefit_grants where definition_key = $1", [couponKey]);
    expect(await grants()).toBe(0);
    await runJob();
    await runJob();
    const clients = await connect(5);
    try {
      await Promise.all(clients.map((client) => runJob(client)));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    expect(await grants()).toBe(7);
    expect(await count("select count(*) from (select member_id from benefit_grants where definition_key = $1 group by 1 having count(*) > 1) x", [couponKey])).toBe(0);
    const row = (await db.query("select status, spent_fen from campaigns where id = $1", [c.id])).rows[0];
    expect(row).toMatchObject({ status: "running" });
    expect(Number(row.spent_fen)).toBe(3500);
    expect(await count("select count(*) from benefit_grants where definition_key = $1 and (source <> 'campaign' or source_ref <> $2)", [couponKey, `campaign:${c.key}`])).toBe(0);
  });

  it("with enough budget every treatment member gets one coupon, the holdout none, even with parallel jobs", async () => {
    const members = await newMembers(30);
    const seg = await segment(members);
    const couponKey = await coupon(100);
    const c = await launch(campaignInput(seg, { offer: { kind: "benefit_grant", benefit_key: couponKey, uses: 1 }, holdout_percent: 30 }));
    const clients = await connect(4);
    try {
      await Promise.all(clients.map((client) => runJob(client)));
      await Promise.all(clients.map((client) => runJob(client)));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    const treatment = await count("select count(*) from campaign_members where campaign_id = $1 and arm <> 'holdout'", [c.id]);
    expect(treatment).toBeLessThan(30);
    expect(await count("select count(*) from benefit_grants where definition_key = $1", [couponKey])).toBe(treatment);
    expect(await count("select count(*) from benefit_grants g join campaign_members cm on cm.member_id = g.member_id and cm.campaign_id = $1 where g.definition_key = $2 and cm.arm = 'holdout'", [c.id, couponKey])).toBe(0);
    expect(Number((await db.query("select spent_fen from campaigns where id = $1", [c.id])).rows[0].spent_fen)).toBe(treatment * 100);
  });

  it("a message campaign queues one notice per treatment member, its arm's wording, once", async () => {
    const members = await newMembers(10);
    const seg = await segment(members);
    const c = await launch(campaignInput(seg, {
      offer: { kind: "message", message: "本周商场消费享好礼" }, holdout_percent: 20,
      arms: [{ key: "a", share: 50 }, { key: "b", share: 50, message: "本周商场消费满额送券" }],
    }));
    await runJob();
    await runJob();
    const rows = (await db.query(
      "select o.member_id, o.payload ->> 'message' as message, cm.arm from notifications_outbox o join campaign_members cm on cm.member_id = o.member_id and cm.campaign_id = $1 where o.template = 'campaign_offer' and o.dedupe_key = $2",
      [c.id, `campaign:${c.key}`])).rows;
    const treatment = await count("select count(*) from campaign_members where campaign_id = $1 and arm <> 'holdout'", [c.id]);
    expect(rows).toHaveLength(treatment);
    for (const r of rows) expect(r.message).toBe(r.arm === "b" ? "本周商场消费满额送券" : "本周商场消费享好礼");
  });
});

describe("cost and return in settlement", () => {
  it("at the end the spent cost is shared once among the campaign's units, and the unit report shows its return", async () => {
    const members = await newMembers(16);
    const seg = await segment(members);
    const c = await launch(campaignInput(seg, { business_unit_ids: [mall, hotel], holdout_percent: 25 }));
    for (const m of members) await earn(db, m, mall, 200, 100);
    const spent = Number((await db.query("select spent_fen from campaigns where id = $1", [c.id])).rows[0].spent_fen);
    expect(spent).toBeGreaterThan(0);
    // finance may not settle a running campaign
    expect(outcome(await session.attempt("finance", "select settle_campaign_cost($1)", [c.id]))).toBe("campaign_not_ended");
    await db.query("update campaigns set ends_at = now() where id = $1", [c.id]);
    const first = (await db.query("select private.run_campaigns(now()) as r")).rows[0].r;
    expect(first.ended).toBeGreaterThanOrEqual(1);
    const row = (await db.query("select status, cost_posted_at, cost_event_ref from campaigns where id = $1", [c.id])).rows[0];
    expect(row.status).toBe("ended");
    expect(row.cost_posted_at).not.toBeNull();
    const entries = (await db.query("select business_unit_id, counterparty_unit_id, amount_fen from settlement_entries where event_kind = 'campaign_cost' and event_ref = $1", [row.cost_event_ref])).rows;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.reduce((s, e) => s + Number(e.amount_fen), 0)).toBe(0);
    for (const e of entries) expect([mall, hotel]).toContain(e.business_unit_id);
    // the hotel paid; the mall's share is what it pays the hotel, at most the whole cost
    const mallShare = -entries.filter((e) => e.business_unit_id === mall).reduce((s, e) => s + Number(e.amount_fen), 0);
    expect(mallShare).toBeGreaterThan(0);
    expect(mallShare).toBeLessThanOrEqual(spent);
    // once: the job and finance again post nothing more
    await db.query("select private.run_campaigns(now())");
    expect((await session.commitAs("finance", "select settle_campaign_cost($1) as r", [c.id]))[0].r).toMatchObject({ duplicate: true });
    expect(await count("select count(*) from settlement_entries where event_kind = 'campaign_cost' and details ->> 'campaign' = $1", [c.key])).toBe(entries.length);

    // The mall's report: this campaign's return = its treatment members' spend at the mall this month.
    const period = (await db.query("select date_trunc('month', now() at time zone 'Asia/Shanghai')::date::text as p")).rows[0].p;
    const report = (await session.commitAs("finance", "select settlement_unit_report($1, $2) as r", [period, mall]))[0].r;
    const ret = report.campaign_return.find((x: { campaign_key: string }) => x.campaign_key === c.key);
    const plain = (await db.query(
      `select coalesce(sum(round(t.amount * 100)) filter (where cm.arm <> 'holdout'), 0)::bigint as treat,
              coalesce(sum(round(t.amount * 100)) filter (where cm.arm = 'holdout'), 0)::bigint as hold,
              (select count(*) from campaign_members where campaign_id = $1 and arm <> 'holdout')::int as nt,
              (select count(*) from campaign_members where campaign_id = $1 and arm = 'holdout')::int as nh
       from campaign_members cm join transactions t on t.member_id = cm.member_id and t.business_unit_id = $2
       join campaigns c on c.id = cm.campaign_id where cm.campaign_id = $1 and t.occurred_at >= c.starts_at and t.occurred_at < c.ends_at`,
      [c.id, mall])).rows[0];
    expect(ret.spend_fen).toBe(Number(plain.treat));
    expect(ret.incremental_spend_fen).toBe(Math.round((Number(plain.treat) / plain.nt - Number(plain.hold) / plain.nh) * plain.nt));
    // the dashboard metric counts the campaign's uptake at the mall today
    const metric = (await session.commitAs("analyst", "select sum(uptake)::int as uptake from metric_campaign_uptake(null, null, 'day', array[$1::uuid])", [mall]))[0];
    expect(metric.uptake).toBeGreaterThanOrEqual(plain.nt);
  });
});
