/**
 * Dashboard metrics: each metric function equals a plain SQL query over the raw tables (read in one
 * snapshot), access per role through the API (group-wide readers, unit-scoped staff, anon nothing), and
 * bad parameters refused with a reason code.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSINESS_TIME_ZONE } from "../../core/metrics/index.ts";
import { fold, inSnapshot, rebuild } from "./dashboard-fixtures.ts";
import { anonClient, demoEmail, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let today: string;
const TZ = BUSINESS_TIME_ZONE;
const day = (column: string) => `(${column} at time zone '${TZ}')::date`;
const plus = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  db = await superuser();
  await rebuild(db);
  today = (await db.query(`select ${day("now()")}::text as d`)).rows[0].d;
});

afterAll(async () => {
  await db?.end();
});

/** The metric's rows and the raw query's rows, read in one snapshot. */
async function both(rpc: string, args: unknown[], raw: string, rawArgs: unknown[]) {
  return inSnapshot(db, async () => {
    const metric = (await db.query(`select * from ${rpc}($1, $2, $3, $4, $5, $6)`, args)).rows;
    const plain = (await db.query(raw, rawArgs)).rows;
    return { metric, plain };
  });
}

const MOVES = `ledger_lot_moves mv join ledger_entries e on e.id = mv.entry_id join point_lots l on l.id = mv.lot_id`;
const ISSUED = `sum(case e.kind when 'earn' then greatest(mv.points, 0) when 'reverse' then -greatest(-mv.points, 0) else 0 end)`;
const REDEEMED = `sum(case e.kind when 'redeem' then greatest(-mv.points, 0) when 'reverse' then -greatest(mv.points, 0) else 0 end)`;

describe("every metric equals a plain SQL query over the raw tables", () => {
  const ranges = () => [
    { from: plus(today, -120), to: today, grain: "month" },
    { from: plus(today, -40), to: plus(today, -3), grain: "week" },
    { from: plus(today, -10), to: today, grain: "day" },
  ];

  it("points_flow, redemption_rate, earn_redeem_by_tier", async () => {
    for (const r of ranges()) {
      const args = [r.from, r.to, r.grain, null, null, null];
      const flow = await both("metric_points_flow", args,
        `select date_trunc($3, ${day("e.occurred_at")})::date as period, l.business_unit_id as business_unit,
                ${ISSUED}::bigint::text as issued, ${REDEEMED}::bigint::text as redeemed,
                sum(case e.kind when 'expire' then -mv.points else 0 end)::bigint::text as expired
         from ${MOVES} where ${day("e.occurred_at")} between $1 and $2 group by 1, 2 order by 1, 2`, [r.from, r.to, r.grain]);
      expect(flow.metric).toEqual(flow.plain);
      const rate = await both("metric_redemption_rate", args,
        `select period, issued::text, redeemed::text, case when issued > 0 then round(redeemed::numeric / issued, 4)::text end as rate
         from (select date_trunc($3, ${day("e.occurred_at")})::date as period, ${ISSUED}::bigint as issued, ${REDEEMED}::bigint as redeemed
               from ${MOVES} where ${day("e.occurred_at")} between $1 and $2 group by 1) x order by 1`, [r.from, r.to, r.grain]);
      expect(rate.metric).toEqual(rate.plain);
      const tiers = await both("metric_earn_redeem_by_tier", args,
        `select t.code as tier, x.issued::text, x.redeemed::text
         from (select private.tier_at(e.member_id, e.created_at) as tier_id, ${ISSUED}::bigint as issued, ${REDEEMED}::bigint as redeemed
               from ${MOVES} where ${day("e.occurred_at")} between $1 and $2 group by 1) x
         join tiers t on t.id = x.tier_id order by t.rank`, [r.from, r.to]);
      expect(tiers.metric).toEqual(tiers.plain);
    }
    const all = await both("metric_points_flow", [plus(today, -365), today, "month", null, null, null], "select 1", []);
    expect(all.metric.length).toBeGreaterThan(0);
  });

  it("points_flow with unit, tier and lot kind filters", async () => {
    const hotel = (await db.query("select id from business_units where code = 'hotel'")).rows[0].id;
    const args = [plus(today, -200), today, "month", [hotel], ["standard", "silver"], ["shopping"]];
    const flow = await both("metric_points_flow", args,
      `select date_trunc('month', ${day("e.occurred_at")})::date as period, l.business_unit_id as business_unit,
              ${ISSUED}::bigint::text as issued, ${REDEEMED}::bigint::text as redeemed,
              sum(case e.kind when 'expire' then -mv.points else 0 end)::bigint::text as expired
       from ${MOVES}
       where ${day("e.occurred_at")} between $1 and $2 and l.business_unit_id = $3 and l.kind = 'shopping'
         and private.tier_at(e.member_id, e.created_at) in (select id from tiers where code in ('standard', 'silver'))
       group by 1, 2 order by 1, 2`, [plus(today, -200), today, hotel]);
    expect(flow.metric).toEqual(flow.plain);
    expect(flow.metric.every((row) => row.business_unit === hotel)).toBe(true);
  });

  it("points_outstanding and report_liability at the end of a day", async () => {
    for (const to of [today, plus(today, -30)]) {
      const out = await both("metric_points_outstanding", [null, to, "day", null, null, null],
        `select l.business_unit_id as business_unit, sum(mv.points)::bigint::text as points,
                round(sum(mv.points) * (select value from analytics_settings where key = 'point_value_yuan'), 2)::text as value_yuan
         from ${MOVES} where ${day("e.occurred_at")} <= $1 group by 1 order by 1`, [to]);
      expect(out.metric).toEqual(out.plain);
    }
    const liability = (await db.query("select * from report_liability($1)", [today])).rows;
    const outstanding = (await db.query("select * from metric_points_outstanding(null, $1)", [today])).rows;
    expect(liability).toEqual(outstanding);
    // Today's outstanding points are the open lots' remaining points.
    const open = (await db.query("select coalesce(sum(remaining_points), 0)::bigint::text as s from point_lots")).rows[0].s;
    expect(String(outstanding.reduce((sum, row) => sum + Number(row.points), 0))).toBe(open);
  });

  it("points_expiring", async () => {
    const r = await both("metric_points_expiring", [null, null, "day", null, null, null],
      `select h.horizon, (select coalesce(sum(remaining_points), 0) from point_lots
                          where remaining_points > 0 and ${day("expires_at")} <= $1::date + h.days)::bigint::text as points,
              (select count(distinct member_id) from point_lots
               where remaining_points > 0 and ${day("expires_at")} <= $1::date + h.days)::bigint::text as members
       from (values ('d7', 7, 1), ('d30', 30, 2), ('d90', 90, 3)) h(horizon, days, ord) order by h.ord`, [today]);
    expect(r.metric).toEqual(r.plain);
    expect(r.metric.map((row) => row.horizon)).toEqual(["d7", "d30", "d90"]);
  });

  it("tier_distribution and tier_movements", async () => {
    const dist = await both("metric_tier_distribution", [null, null, "day", null, null, null],
      `select t.code as tier, count(m.id)::text as members from tiers t left join members m on m.tier_id = t.id
       group by t.code, t.rank order by t.rank`, []);
    expect(dist.metric).toEqual(dist.plain);
    const moves = await both("metric_tier_movements", [plus(today, -400), today, "month", null, null, null],
      `select date_trunc('month', ${day("h.changed_at")})::date as period, case when t.rank > f.rank then 'up' else 'down' end as direction,
              count(*)::text as members
       from tier_history h join tiers f on f.id = h.from_tier_id join tiers t on t.id = h.to_tier_id
       where t.rank <> f.rank and ${day("h.changed_at")} between $1 and $2 group by 1, 2 order by 1, 2`, [plus(today, -400), today]);
    expect(moves.metric).toEqual(moves.plain);
    expect(moves.metric.length).toBeGreaterThan(0);
  });

  it("member_growth and repurchase_rate (distinct members over whole buckets)", async () => {
    for (const r of ranges()) {
      const buckets = `date_trunc($3, ${day("t.occurred_at")})::date between date_trunc($3, $1::date)::date and date_trunc($3, $2::date)::date`;
      const growth = await both("metric_member_growth", [r.from, r.to, r.grain, null, null, null],
        `with n as (select date_trunc($3, ${day("created_at")})::date as period, count(*) as members from members
                    where ${day("created_at")} between $1 and $2 group by 1),
              b as (select date_trunc($3, ${day("t.occurred_at")})::date as period, count(distinct t.member_id) as buyers
                    from transactions t where ${buckets} group by 1)
         select coalesce(n.period, b.period) as period, coalesce(n.members, 0)::text as new_members, coalesce(b.buyers, 0)::text as active_members
         from n full join b on b.period = n.period order by 1`, [r.from, r.to, r.grain]);
      expect(growth.metric).toEqual(growth.plain);
      const repurchase = await both("metric_repurchase_rate", [r.from, r.to, r.grain, null, null, null],
        `select period, count(*)::text as buyers, count(*) filter (where orders >= 2)::text as repeat_buyers,
                round(count(*) filter (where orders >= 2)::numeric / count(*), 4)::text as rate
         from (select date_trunc($3, ${day("t.occurred_at")})::date as period, t.member_id, count(*) as orders
               from transactions t where ${buckets} group by 1, 2) x group by 1 order by 1`, [r.from, r.to, r.grain]);
      expect(repurchase.metric).toEqual(repurchase.plain);
    }
  });

  it("member_growth for two units counts distinct members from the purchases of those units", async () => {
    const ids = (await db.query("select array_agg(id order by code) as ids from business_units where code in ('mall', 'hotel')")).rows[0].ids;
    const r = await both("metric_repurchase_rate", [plus(today, -90), today, "month", ids, null, null],
      `select period, count(*)::text as buyers, count(*) filter (where orders >= 2)::text as repeat_buyers,
              round(count(*) filter (where orders >= 2)::numeric / count(*), 4)::text as rate
       from (select date_trunc('month', ${day("t.occurred_at")})::date as period, t.member_id, count(*) as orders
             from transactions t where t.business_unit_id = any ($3)
               and date_trunc('month', ${day("t.occurred_at")})::date between date_trunc('month', $1::date)::date and date_trunc('month', $2::date)::date
             group by 1, 2) x group by 1 order by 1`, [plus(today, -90), today, ids]);
    expect(r.metric).toEqual(r.plain);
  });

  it("average_order_value and member_channels", async () => {
    for (const r of ranges()) {
      const aov = await both("metric_average_order_value", [r.from, r.to, r.grain, null, null, null],
        `select date_trunc($3, ${day("occurred_at")})::date as period, business_unit_id as business_unit, count(*)::text as orders,
                sum(amount)::text as sales_yuan, round(sum(amount) / count(*), 2)::text as aov_yuan
         from transactions where ${day("occurred_at")} between $1 and $2 group by 1, 2 order by 1, 2`, [r.from, r.to, r.grain]);
      expect(aov.metric).toEqual(aov.plain);
    }
    const channels = await both("metric_member_channels", [plus(today, -800), today, "day", null, null, null],
      `select channel, count(*)::text as members from (
         select distinct on (member_id) member_id, occurred_at, channel from transactions
         order by member_id, occurred_at, channel, business_unit_id::text) f
       where ${day("occurred_at")} between $1 and $2 group by 1 order by count(*) desc, 1`, [plus(today, -800), today]);
    expect(channels.metric).toEqual(channels.plain);
    expect(channels.metric.length).toBeGreaterThan(1);
  });

  it("stay equal after the deltas are folded", async () => {
    await fold(db);
    const r = await both("metric_points_flow", [plus(today, -60), today, "week", null, null, null],
      `select date_trunc('week', ${day("e.occurred_at")})::date as period, l.business_unit_id as business_unit,
              ${ISSUED}::bigint::text as issued, ${REDEEMED}::bigint::text as redeemed,
              sum(case e.kind when 'expire' then -mv.points else 0 end)::bigint::text as expired
       from ${MOVES} where ${day("e.occurred_at")} between $1 and $2 group by 1, 2 order by 1, 2`, [plus(today, -60), today]);
    expect(r.metric).toEqual(r.plain);
  });
});

describe("access through the API", () => {
  let units: Record<string, string>;
  const range = () => ({ p_from: plus(today, -365), p_to: today, p_grain: "month" });
  beforeAll(async () => {
    units = Object.fromEntries((await db.query("select code, id from business_units")).rows.map((r) => [r.code, r.id]));
  });

  it("analysts and directors read every unit", async () => {
    for (const email of [demoEmail("analyst"), demoEmail("director"), demoEmail("admin")]) {
      const { client } = await signedIn(email);
      const { data, error } = await client.rpc("metric_points_flow", range());
      expect(error).toBeNull();
      expect(new Set((data as { business_unit: string }[]).map((r) => r.business_unit)).size).toBeGreaterThan(1);
    }
  });

  it("hotel staff read only the hotel, and a filter naming another unit is refused", async () => {
    const { client } = await signedIn("hotel.staff@demo.test");
    const own = await client.rpc("metric_points_flow", range());
    expect(own.error).toBeNull();
    expect((own.data as { business_unit: string }[]).length).toBeGreaterThan(0);
    expect(new Set((own.data as { business_unit: string }[]).map((r) => r.business_unit))).toEqual(new Set([units.hotel]));
    const aov = await client.rpc("metric_average_order_value", range());
    expect(new Set((aov.data as { business_unit: string }[]).map((r) => r.business_unit))).toEqual(new Set([units.hotel]));
    const other = await client.rpc("metric_points_flow", { ...range(), p_business_units: [units.mall] });
    expect(other.error).toMatchObject({ code: "42501", hint: "dashboard_unit_out_of_scope" });
    const drill = await client.rpc("drill_points_flow", { ...range(), p_limit: 5 });
    expect(drill.error).toBeNull();
    expect((drill.data as { issuing_unit: string }[]).every((r) => r.issuing_unit === units.hotel)).toBe(true);
  });

  it("anon reads nothing", async () => {
    const anon = await anonClient();
    for (const rpc of ["metric_points_flow", "metric_tier_distribution", "drill_points_flow", "report_consumption", "report_liability"]) {
      const { data, error } = await anon.rpc(rpc, {});
      expect(data).toBeNull();
      expect(error?.code).toMatch(/^(42501|PGRST202)$/);
    }
  });

  it("drill-downs and the consumption report name members by number and name, never phone or e-mail", async () => {
    const { client } = await signedIn(demoEmail("analyst"));
    const drill = await client.rpc("drill_average_order_value", { ...range(), p_limit: 3 });
    expect(drill.error).toBeNull();
    const rows = drill.data as Record<string, unknown>[];
    expect(rows.length).toBe(3);
    expect(rows[0]).toMatchObject({ member_no: expect.stringMatching(/^M\d+$/), total_count: expect.any(Number) });
    expect(Object.keys(rows[0]).some((k) => /phone|email|birthday/.test(k))).toBe(false);
    const report = await client.rpc("report_consumption", { p_from: plus(today, -30), p_to: today, p_limit: 2 });
    expect(report.error).toBeNull();
    expect(report.data.rows).toHaveLength(2);
    expect(JSON.stringify(report.data)).not.toMatch(/phone|email|1[3-9]\d{9}/);
    const totals = (await db.query(
      `select count(*)::int as n, sum(amount)::float as amount from transactions where ${day("occurred_at")} between $1 and $2`,
      [plus(today, -30), today])).rows[0];
    expect({ n: report.data.total_orders, amount: report.data.total_amount }).toEqual({ n: totals.n, amount: totals.amount });
  });

  it("bad parameters are refused with a reason code", async () => {
    const { client } = await signedIn(demoEmail("analyst"));
    const cases: [Record<string, unknown>, string][] = [
      [{ p_from: today, p_to: plus(today, -1) }, "metric_range_inverted"],
      [{ p_from: plus(today, -1200), p_to: today }, "metric_range_too_long"],
      [{ p_grain: "year" }, "metric_grain_unknown"],
      [{ p_tiers: ["platinum-x"] }, "metric_tier_unknown"],
      [{ p_lot_kinds: ["gift"] }, "metric_lot_kind_unknown"],
      [{ p_from: "1990-01-01", p_to: "1990-02-01" }, "metric_date_out_of_range"],
    ];
    for (const [args, hint] of cases) {
      const { error } = await client.rpc("metric_points_flow", args);
      expect(error, hint).toMatchObject({ code: "22023", hint });
    }
    const notArray = await client.rpc("metric_points_flow", { p_business_units: "hotel" });
    expect(notArray.error?.code).toBe("22P02");
    const page = await client.rpc("drill_points_flow", { p_limit: 5000 });
    expect(page.error).toMatchObject({ code: "22023", hint: "drill_page_invalid" });
  });
});
