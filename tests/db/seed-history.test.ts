/**
 * The demo data tells one consistent story: seeded into a brand-new database of the same cluster, exactly as
 * `npm start` seeds it, and earned by a real engine, the history holds together (rules before purchases,
 * purchases after registration, tier history and growth value that follow from the purchases).
 */
import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type RunningEngine } from "../../engine/worker.ts";
import { prepareDatabase } from "../../stack/migrate.ts";
import { databaseUrl, superuser } from "./stack-env.ts";

describe("demo seed", () => {
  const name = `seed_check_${process.pid}_${Date.now()}`;
  let admin: pg.Client;
  let db: pg.Client;
  let engine: RunningEngine | undefined;
  /** Rows of a query that lists violations: expected to be none. */
  const violations = async (sql: string) => (await db.query(sql)).rows;

  beforeAll(async () => {
    admin = await superuser();
    await admin.query(`create database ${name}`);
    const url = new URL(databaseUrl());
    url.pathname = `/${name}`;
    await prepareDatabase(url.toString(), { seed: true });
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    engine = await startEngine({ databaseUrl: url.toString(), crontab: "", sweepIntervalMs: 0, log: () => {} });
    const started = Date.now();
    for (;;) {
      const { rows } = await db.query(
        "select count(*)::int as left from transactions t where not exists (select 1 from transaction_earnings e where e.transaction_id = t.id)");
      if (rows[0].left === 0) break;
      if (Date.now() - started > 120_000) throw new Error(`${rows[0].left} demo transactions never earned`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  afterAll(async () => {
    await engine?.stop();
    await db?.end();
    await admin?.query(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  it("members registered over the last two years, adults with a birthday before they registered", async () => {
    const { rows } = await db.query(`
      select count(*)::int as members, min(created_at) > now() - interval '25 months' as recent_start,
             max(created_at) <= now() as none_in_future, max(created_at) - min(created_at) > interval '20 months' as spread
      from members`);
    expect(rows[0]).toEqual({ members: 200, recent_start: true, none_in_future: true, spread: true });
    expect(await violations(`
      select member_no, birthday, created_at from members
      where birthday is null or age(created_at, birthday) not between interval '16 years' and interval '80 years'`)).toEqual([]);
  });

  /** The rules the workflows/rules files seed (each file lists its kind's rules). */
  const seededRuleCount = () =>
    fs.readdirSync("workflows/rules").filter((f) => f.endsWith(".json"))
      .reduce((n, f) => n + (JSON.parse(fs.readFileSync(`workflows/rules/${f}`, "utf8")) as { rules: unknown[] }).rules.length, 0);

  it("rules are published on the day the programme opened, before the first registration and purchase", async () => {
    const { rows } = await db.query(`
      select count(*)::int as rules,
             bool_and(r.published_at <= (select min(created_at) from members)) as before_members,
             bool_and(r.published_at > (select min(created_at) from members) - interval '1 day') as same_day,
             bool_and(r.published_at = date_trunc('day', r.published_at at time zone private.business_time_zone()) at time zone private.business_time_zone()) as at_midnight
      from rules r where r.status = 'published'`);
    expect(rows[0]).toEqual({ rules: seededRuleCount(), before_members: true, same_day: true, at_midnight: true });
  });

  it("every purchase happens between its member's registration and now, and earns by the rules of its time", async () => {
    expect(await violations(`
      select t.order_no, t.occurred_at, m.created_at from transactions t join members m on m.id = t.member_id
      where t.occurred_at < m.created_at or t.occurred_at > now()`)).toEqual([]);
    expect(await violations(`
      select l.id, l.earned_at, m.created_at from point_lots l join members m on m.id = l.member_id
      where l.earned_at < m.created_at`)).toEqual([]);
    // earned, pending in its return window, or expired for a purchase whose points would already have lapsed: never "no rule in force"
    expect(await violations(`
      select t.order_no, e.outcome from transactions t join transaction_earnings e on e.transaction_id = t.id
      where e.outcome <> 'earned' and not (e.outcome = 'expired' and t.occurred_at < now() - interval '365 days')
        -- pending (待入账) within the 7-day return window of the seeded hold rule (mall POS purchases)
        and not (e.outcome = 'held' and t.occurred_at > now() - interval '7 days')`)).toEqual([]);
  });

  it("tier history starts at registration and leads, change by change, to the current tier", async () => {
    expect(await violations(`
      with h as (
        select h.*, m.created_at as joined, m.tier_id as current_tier,
               row_number() over w as n, count(*) over (partition by h.member_id) as changes,
               lag(h.to_tier_id) over w as previous_to, lag(h.changed_at) over w as previous_at
        from tier_history h join members m on m.id = h.member_id
        window w as (partition by h.member_id order by h.changed_at, h.id))
      select h.member_id, h.n, h.reason from h
      where (h.n = 1 and (h.from_tier_id is not null or h.changed_at <> h.joined
                          or h.to_tier_id <> (select id from tiers order by rank limit 1)))
         or (h.n > 1 and (h.from_tier_id is distinct from h.previous_to or h.changed_at < h.previous_at))
         or (h.n = h.changes and h.to_tier_id <> h.current_tier)
         or h.changed_at > now()`)).toEqual([]);
    expect(await violations("select member_no from members m where not exists (select 1 from tier_history h where h.member_id = m.id)"))
      .toEqual([]);
  });

  it("growth value is the growth of the purchases since the last tier review, and the tier is at least the one it reaches", async () => {
    expect(await violations(`
      select m.member_no, m.growth_value, g.growth from members m
      cross join lateral (select coalesce(sum(t.growth_points), 0)::int as growth from transactions t
                          where t.member_id = m.id and t.occurred_at >= m.tier_reviewed_at) g
      where m.growth_value <> g.growth
         or m.tier_reviewed_at < m.created_at
         or m.tier_reviewed_at + interval '12 months' <= now()`)).toEqual([]);
    expect(await violations(`
      select m.member_no, cur.code, m.growth_value from members m join tiers cur on cur.id = m.tier_id
      where cur.rank < (select max(t.rank) from tiers t where t.growth_threshold <= m.growth_value)`)).toEqual([]);
    // the whole ladder is represented
    const { rows } = await db.query("select t.code from tiers t where not exists (select 1 from members m where m.tier_id = t.id)");
    expect(rows).toEqual([]);
  });

  it("leaves the automatic tags to the tagging rules", async () => {
    expect(await violations("select member_no, tags from members where tags && '{高价值,酒店常客,流失预警}'")).toEqual([]);
  });

  it("seeded rules and rule sets carry their English name and description", async () => {
    expect(await violations("select key from rules where name_en is null or description is null or description_en is null")).toEqual([]);
    expect(await violations("select kind from rule_sets where description is null or description_en is null")).toEqual([]);
  });

  it("demo approval requests wait for the hotel manager and the director; one is posted, one rejected", async () => {
    const { rows } = await db.query(
      `select r.status, t.approver_role, u.code as unit, (r.data ->> 'points')::int as points, r.failure_code
       from approval_requests r join business_units u on u.id = r.business_unit_id
       left join approval_tasks t on t.request_id = r.id and t.status = 'pending'
       order by r.requested_at`,
    );
    expect(rows).toEqual([
      { status: "pending", approver_role: "manager", unit: "hotel", points: 2000, failure_code: null },
      { status: "pending", approver_role: "manager", unit: "hotel", points: 800, failure_code: null },
      { status: "pending", approver_role: "director", unit: "mall", points: 1500, failure_code: null },
      { status: "approved", approver_role: null, unit: "mall", points: 600, failure_code: null },
      { status: "rejected", approver_role: null, unit: "hotel", points: 300, failure_code: null },
    ]);
    expect((await db.query("select points from ledger_entries where idempotency_key like 'approval:%'")).rows).toEqual([{ points: 600 }]);
  });
});
