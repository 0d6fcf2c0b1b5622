/**
 * Settlement between business units against the real database: the registry in core/enums equals SQL's; a
 * redemption of points another unit issued writes a mirrored pair by the settlement rules in the same transaction
 * (same-unit redemptions write nothing), a reversal negates it; benefit and coupon uses at another unit; joint
 * campaign costs; statements equal the sum of their entries; decisions, closing and what a closed period refuses;
 * every bad input refused with its hint and nothing changed; who reads and decides what.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTLEMENT_EVENT_KINDS, SETTLEMENT_LIMITS } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
let office: string;
const users: Record<string, string> = {};
const { key, newMember, units } = ledgerHelpers("settlement", () => db);

type Result = { ok: true; rows: Record<string, unknown>[] } | { ok: false; error: pg.DatabaseError };

/** One statement as a demo user (the way PostgREST runs it), committed when it succeeds. */
async function as(email: string, sql: string, params: unknown[] = []): Promise<Result> {
  await db.query("begin");
  try {
    const claims = { sub: users[email], role: "authenticated", email };
    await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    await db.query("set local role authenticated");
    const { rows } = await db.query(sql, params);
    await db.query("commit");
    return { ok: true, rows };
  } catch (error) {
    await db.query("rollback");
    return { ok: false, error: error as pg.DatabaseError };
  }
}
async function ok(r: Promise<Result>) {
  const x = await r;
  if (!x.ok) throw new Error(`expected success, got ${x.error.hint ?? x.error.code}: ${x.error.message}`);
  return x.rows;
}
async function hint(r: Promise<Result>) {
  const x = await r;
  if (x.ok) throw new Error(`expected a refusal, got ${JSON.stringify(x.rows)}`);
  return x.error.hint ?? x.error.code;
}

const FINANCE = "finance@demo.test";
const MALL_FINANCE = "mall.finance@demo.test";
const HOTEL_MANAGER = "manager@demo.test";
const MALL_MANAGER = "mall.manager@demo.test";
const STAFF = "staff@demo.test";
const ANALYST = "analyst@demo.test";

const entriesOf = async (kind: string, ref: string) =>
  (await db.query("select * from settlement_entries where event_kind = $1 and event_ref = $2 order by id", [kind, ref])).rows;
const monthStart = async (offsetMonths: number) =>
  (await db.query(
    "select (date_trunc('month', (now() at time zone 'Asia/Shanghai')) + make_interval(months => $1))::date::text as p",
    [offsetMonths],
  )).rows[0].p as string;
const pointFen = async () => Number((await db.query("select private.point_value_yuan() * 100 as v")).rows[0].v);
/** Everything that a refusal must leave as it was. */
const counts = async () =>
  (await db.query(
    `select (select count(*) from settlement_entries)::int as entries, (select count(*) from settlement_statement_decisions)::int as decisions,
            (select count(*) from settlement_periods where status = 'closed')::int as closed`,
  )).rows[0];

/** A member holding `points` earned at `unit`. */
async function memberWith(unit: string, points: number) {
  const m = await newMember();
  await db.query("select earn_points($1, $2, $3, $4)", [m, unit, points, key("earn")]);
  return m;
}
const redeem = async (member: string, unit: string, points: number, k = key("redeem")) =>
  (await db.query("select redeem_points($1, $2, $3, $4) as r", [member, unit, points, k])).rows[0].r as { entry_id: number; duplicate: boolean };

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  office = (await db.query("select id from business_units where code = 'office'")).rows[0].id;
  const { rows } = await db.query("select user_id, email from staff_profiles");
  for (const r of rows) users[r.email] = r.user_id;
});
afterAll(async () => {
  await db?.end();
});

describe("registry", () => {
  it("event kinds and limits in SQL are those of core/enums; the settlement rule kind is registered", async () => {
    const { rows } = await db.query("select private.settlement_event_kinds() as kinds, private.settlement_limits() as limits");
    expect(rows[0].kinds).toEqual([...SETTLEMENT_EVENT_KINDS]);
    expect(rows[0].limits).toEqual({ ...SETTLEMENT_LIMITS });
    const kind = (await db.query("select * from rule_kinds where kind = 'settlement'")).rows[0];
    expect(kind).toMatchObject({ combinations: ["first"], unit_scoped: false, uses_lot_kind: false });
    const seeded = (await db.query("select key from rules where kind = 'settlement' and status = 'published' order by key")).rows.map((r) => r.key);
    expect(seeded).toContain("settle-points-redeemed");
  });
});

describe("redemptions", () => {
  it("points the hotel issued, redeemed at the mall: the hotel pays the mall their value, in the same transaction; the pair sums to zero", async () => {
    const m = await memberWith(hotel, 1000);
    const r = await redeem(m, mall, 400);
    const rows = await entriesOf("points_redeem", String(r.entry_id));
    const value = Math.round(400 * (await pointFen()));
    expect(rows.map((x) => [x.business_unit_id, x.counterparty_unit_id, Number(x.amount_fen)])).toEqual([
      [mall, hotel, value],
      [hotel, mall, -value],
    ]);
    expect(rows[0].rule_key).toBe("settle-points-redeemed");
    expect(rows[0].period).toBeTruthy();
    // the same key again posts nothing more
    const again = await redeem(m, mall, 400, (await db.query("select idempotency_key from ledger_entries where id = $1", [r.entry_id])).rows[0].idempotency_key);
    expect(again.duplicate).toBe(true);
    expect(await entriesOf("points_redeem", String(r.entry_id))).toHaveLength(2);
  });

  it("at the hotel the rule pays 1.1 times the value; lots of two issuers make one pair each; the redeeming unit's own lots nothing", async () => {
    const m = await memberWith(mall, 300);
    await db.query("select earn_points($1, $2, 200, $3)", [m, office, key("earn")]);
    await db.query("select earn_points($1, $2, 100, $3)", [m, hotel, key("earn")]);
    const r = await redeem(m, hotel, 600);
    const rows = await entriesOf("points_redeem", String(r.entry_id));
    const fen = await pointFen();
    const byPayer = Object.fromEntries(rows.filter((x) => Number(x.amount_fen) > 0).map((x) => [x.counterparty_unit_id, Number(x.amount_fen)]));
    expect(byPayer).toEqual({ [mall]: Math.round(300 * fen * 1.1), [office]: Math.round(200 * fen * 1.1) });
    expect(rows.every((x) => x.rule_key === "settle-points-at-hotel")).toBe(true);
    expect(rows.reduce((s, x) => s + Number(x.amount_fen), 0)).toBe(0);
  });

  it("a redemption at the unit that issued the points writes nothing", async () => {
    const m = await memberWith(mall, 500);
    const r = await redeem(m, mall, 500);
    expect(await entriesOf("points_redeem", String(r.entry_id))).toEqual([]);
  });

  it("reversing a cross-unit redemption negates its rows (linked), the event sums to zero; reversing twice is refused", async () => {
    const m = await memberWith(hotel, 800);
    const r = await redeem(m, mall, 800);
    const rev = (await db.query("select reverse_entry($1, $2, '顾客退货') as r", [r.entry_id, key("rev")])).rows[0].r;
    const orig = await entriesOf("points_redeem", String(r.entry_id));
    const back = await entriesOf("points_redeem", String(rev.entry_id));
    expect(back.map((x) => [x.business_unit_id, Number(x.amount_fen), String(x.reverses_entry_id)])).toEqual(
      orig.map((x) => [x.business_unit_id, -Number(x.amount_fen), String(x.id)]),
    );
    const sum = (await db.query(
      "select sum(amount_fen)::bigint as s from settlement_entries where event_kind = 'points_redeem' and event_ref = any($1)",
      [[String(r.entry_id), String(rev.entry_id)]],
    )).rows[0].s;
    expect(Number(sum)).toBe(0);
    await expect(db.query("select reverse_entry($1, $2, 'again')", [r.entry_id, key("rev")])).rejects.toMatchObject({ hint: "entry_already_reversed" });
  });

  it("a settlement rule failing at the event is skipped (the next rule or the default decides) and never blocks the redemption", async () => {
    const rk = `t-failing-${Date.now().toString(36)}`;
    await db.query(
      `insert into rules (key, version, kind, name, priority, logic, status, published_at)
       values ($1, 1, 'settlement', '测试：出错的结算规则', 900000, '{"if": [{"==": [{"var": "event.kind"}, "points_redeem"]}, {"+": [{"var": "issuing_unit.code"}, 1]}, null]}', 'published', now() - interval '1 minute')`,
      [rk],
    );
    try {
      const m = await memberWith(office, 300);
      const r = await redeem(m, mall, 300);
      const rows = await entriesOf("points_redeem", String(r.entry_id));
      expect(Number(rows[0].amount_fen)).toBe(Math.round(300 * (await pointFen())));
      expect(rows[0].rule_key).toBe("settle-points-redeemed");
    } finally {
      await db.query("update rules set status = 'archived', superseded_at = now() where key = $1", [rk]);
    }
  });
});

describe("referrals", () => {
  it("a member's first purchase at a unit other than their home unit: that unit pays the home unit the rule's commission, once", async () => {
    const m = await newMember();
    await db.query("update members set home_business_unit_id = $1 where id = $2", [mall, m]);
    const ref = `${m}:${hotel}`;
    await db.query("select record_transaction($1, $2, $3, 300, 'pos', now())", [m, mall, key("order")]);
    expect(await entriesOf("referral", `${m}:${mall}`)).toEqual([]);
    await db.query("select record_transaction($1, $2, $3, 880, 'pos', now())", [m, hotel, key("order")]);
    const rows = await entriesOf("referral", ref);
    expect(rows.map((x) => [x.business_unit_id, x.counterparty_unit_id, Number(x.amount_fen), x.rule_key])).toEqual([
      [mall, hotel, 2000, "settle-referral-commission"],
      [hotel, mall, -2000, "settle-referral-commission"],
    ]);
    await db.query("select record_transaction($1, $2, $3, 120, 'pos', now())", [m, hotel, key("order")]);
    expect(await entriesOf("referral", ref)).toHaveLength(2);
  });
});

describe("benefits and coupons", () => {
  async function coupon(value: number, accepting: string[]) {
    const k = `t-stl-${key("def").replace(/[^a-z0-9]+/g, "-").slice(-30)}`;
    await db.query(
      `insert into benefit_definitions (key, version, status, name, kind, value, uses_per_period, period, validity_days, issuing_unit_id,
                                        accepting_unit_codes, grant_on_tiers)
       values ($1, 1, 'published', '测试券', 'coupon', $2, 1, 'month', 31, $3, $4, array['standard'])`,
      [k, value, mall, accepting],
    );
    return k;
  }
  afterAll(async () => {
    await db.query("update benefit_definitions set status = 'archived' where key like 't-stl-%' and status = 'published'");
  });

  it("a mall coupon redeemed at the hotel: the mall pays the hotel its face value; at the mall itself nothing", async () => {
    const def = await coupon(5000, ["hotel", "mall"]);
    const m1 = await newMember();
    const m2 = await newMember();
    await db.query("select private.grant_tier_benefits(now(), array[$1, $2]::uuid[])", [m1, m2]);
    const codes = (await db.query("select member_id, code from benefit_grants where definition_key = $1", [def])).rows;
    const code1 = codes.find((c) => c.member_id === m1).code;
    const code2 = codes.find((c) => c.member_id === m2).code;
    const use = (await ok(as("hotel.staff@demo.test", "select * from redeem_coupon($1, $2, $3)", [code1, hotel, key("c")])))[0];
    const rows = await entriesOf("coupon_use", String(use.id));
    expect(rows.map((x) => [x.business_unit_id, x.counterparty_unit_id, Number(x.amount_fen)])).toEqual([[hotel, mall, 5000], [mall, hotel, -5000]]);
    expect(rows[0].rule_key).toBe("settle-coupon-face-value");
    const own = (await ok(as(STAFF, "select * from redeem_coupon($1, $2, $3)", [code2, mall, key("c")])))[0];
    expect(await entriesOf("coupon_use", String(own.id))).toEqual([]);
  });
});

describe("campaign costs, statements, decisions and closing", () => {
  let previous: string;
  let current: string;
  beforeAll(async () => {
    previous = await monthStart(-1);
    current = await monthStart(0);
  });

  it("a joint campaign cost is shared by the rule: each other unit pays the payer its share; the event sums to zero; the same key posts once", async () => {
    const k = key("camp");
    const [r] = await ok(as(FINANCE, "select post_campaign_cost('spring-fair', $1, 1000000, $2, $3) as r", [previous, mall, k]));
    const res = r.r as { event_ref: string; shares: { business_unit_id: string; share_fen: number }[]; payer_share_fen: number };
    const rows = await entriesOf("campaign_cost", res.event_ref);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((s, x) => s + Number(x.amount_fen), 0)).toBe(0);
    const toPayer = rows.filter((x) => x.business_unit_id === mall).reduce((s, x) => s + Number(x.amount_fen), 0);
    expect(toPayer + res.payer_share_fen).toBe(1000000);
    const periods = (await db.query("select distinct to_char(period, 'YYYY-MM-DD') as p from settlement_entries where event_ref = $1", [res.event_ref])).rows;
    expect(periods).toEqual([{ p: previous }]);
    const [again] = await ok(as(FINANCE, "select post_campaign_cost('spring-fair', $1, 1000000, $2, $3) as r", [previous, mall, k]));
    expect((again.r as { duplicate: boolean }).duplicate).toBe(true);
    expect(await entriesOf("campaign_cost", res.event_ref)).toHaveLength(rows.length);
    expect(await hint(as(FINANCE, "select post_campaign_cost('spring-fair', $1, 999, $2, $3)", [previous, mall, k]))).toBe("idempotency_key_reused");
  });

  it("bad inputs are refused with their hints and change nothing", async () => {
    const before = await counts();
    const k = key("bad");
    const cases: [string, string, unknown[], string][] = [
      [FINANCE, "select post_campaign_cost('x y', $1, 100, $2, $3)", [previous, mall, k], "campaign_key_invalid"],
      [FINANCE, "select post_campaign_cost('fair', $1, 0, $2, $3)", [previous, mall, k], "settlement_amount_out_of_range"],
      [FINANCE, "select post_campaign_cost('fair', $1, 10000000000, $2, $3)", [previous, mall, k], "settlement_amount_out_of_range"],
      [FINANCE, "select post_campaign_cost('fair', '2026-02-15', 100, $1, $2)", [mall, k], "settlement_period_invalid"],
      [FINANCE, "select post_campaign_cost('fair', '2099-01-01', 100, $1, $2)", [mall, k], "settlement_period_invalid"],
      [FINANCE, "select post_campaign_cost('fair', $1, 100, null, $2)", [previous, k], "business_unit_unknown"],
      [MALL_FINANCE, "select post_campaign_cost('fair', $1, 100, $2, $3)", [previous, hotel, k], "settlement_not_your_unit"],
      [STAFF, "select post_campaign_cost('fair', $1, 100, $2, $3)", [previous, mall, k], "settlement_not_your_unit"],
      [FINANCE, "select decide_settlement_statement($1, $2, $3, 'maybe', null)", [previous, mall, hotel], "settlement_decision_invalid"],
      [FINANCE, "select decide_settlement_statement($1, $2, $3, 'disputed', '  ')", [previous, mall, hotel], "settlement_dispute_needs_comment"],
      [FINANCE, "select decide_settlement_statement($1, $2, $2, 'confirmed', null)", [previous, mall], "settlement_units_invalid"],
      [FINANCE, "select decide_settlement_statement('1999-01-01', $1, $2, 'confirmed', null)", [mall, hotel], "settlement_period_invalid"],
      [FINANCE, "select decide_settlement_statement($1, $2, $3, 'confirmed', repeat('x', 1001))", [previous, mall, hotel], "comment_too_long"],
      [MALL_FINANCE, "select decide_settlement_statement($1, $2, $3, 'confirmed', null)", [previous, hotel, mall], "settlement_not_your_unit"],
      [MALL_MANAGER, "select decide_settlement_statement($1, $2, $3, 'confirmed', null)", [previous, hotel, mall], "settlement_not_your_unit"],
      [ANALYST, "select decide_settlement_statement($1, $2, $3, 'confirmed', null)", [previous, mall, hotel], "settlement_not_your_unit"],
      [FINANCE, "select close_settlement_period('2099-01-01', null)", [], "settlement_period_invalid"],
      [MALL_FINANCE, "select close_settlement_period($1, null)", [previous], "settlement_not_your_unit"],
      [HOTEL_MANAGER, "select close_settlement_period($1, null)", [previous], "settlement_not_your_unit"],
    ];
    for (const [who, sql, params, expected] of cases) {
      expect([sql, await hint(as(who, sql, params))]).toEqual([sql, expected]);
    }
    expect(await counts()).toEqual(before);
  });

  it("each statement equals the sum of its entries; the matrix mirrors itself; the unit report adds up", async () => {
    const statements = (await ok(as(FINANCE, "select * from settlement_statements where period = $1", [previous])));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const { rows } = await db.query(
        `select coalesce(sum(amount_fen) filter (where amount_fen > 0), 0)::bigint as rec, coalesce(-sum(amount_fen) filter (where amount_fen < 0), 0)::bigint as pay,
                sum(amount_fen)::bigint as net, count(*)::int as n
         from settlement_entries where period = $1 and business_unit_id = $2 and counterparty_unit_id = $3`,
        [previous, s.business_unit_id, s.counterparty_unit_id],
      );
      expect([Number(s.receivable_fen), Number(s.payable_fen), Number(s.net_fen), s.entry_count]).toEqual([Number(rows[0].rec), Number(rows[0].pay), Number(rows[0].net), rows[0].n]);
      const mirror = statements.find((x) => x.business_unit_id === s.counterparty_unit_id && x.counterparty_unit_id === s.business_unit_id);
      expect(Number(mirror?.net_fen) + Number(s.net_fen)).toBe(0);
      expect(Object.values(s.by_event_kind as Record<string, number>).reduce((a, b) => a + Number(b), 0)).toBe(Number(s.net_fen));
    }
    const matrix = await ok(as(FINANCE, "select * from settlement_matrix($1)", [previous]));
    expect(matrix.reduce((a, x) => a + Number(x.net_fen), 0)).toBe(0);
    const [report] = await ok(as(FINANCE, "select settlement_unit_report($1, $2) as r", [previous, mall]));
    const r = report.r as { net_fen: number; counterparties: { net_fen: number }[] };
    expect(r.counterparties.reduce((a, x) => a + Number(x.net_fen), 0)).toBe(Number(r.net_fen));
    expect(Number(r.net_fen)).toBe(matrix.filter((x) => x.business_unit_id === mall).reduce((a, x) => a + Number(x.net_fen), 0));
  });

  it("who reads what: mall finance and the mall manager only the mall's statements, group finance all, staff and analysts none", async () => {
    const all = await ok(as(FINANCE, "select distinct business_unit_id from settlement_entries"));
    expect(all.length).toBeGreaterThan(1);
    for (const who of [MALL_FINANCE, MALL_MANAGER]) {
      const mine = await ok(as(who, "select distinct business_unit_id from settlement_statements"));
      expect(mine.map((x) => x.business_unit_id)).toEqual([mall]);
    }
    for (const who of [STAFF, ANALYST]) {
      expect(await ok(as(who, "select * from settlement_entries limit 1"))).toEqual([]);
      expect(await ok(as(who, "select * from settlement_statements limit 1"))).toEqual([]);
    }
    expect(await hint(as(MALL_FINANCE, "select settlement_unit_report($1, $2)", [previous, hotel]))).toBe("settlement_not_your_unit");
    for (const sql of ["insert into settlement_entries (period, event_kind, event_ref, business_unit_id, counterparty_unit_id, amount_fen) values ('2026-01-01', 'referral', 'x', $1, $2, 1)",
                       "update settlement_entries set amount_fen = 1 where business_unit_id = $1 or business_unit_id = $2",
                       "delete from settlement_entries where business_unit_id = $1 or business_unit_id = $2"]) {
      expect(await hint(as(FINANCE, sql, [mall, hotel]))).toBe("42501");
    }
  });

  it("group finance closes the running month as a cut-off; what is settled in it afterwards lands in the next month", async () => {
    // All in one transaction that is rolled back, so the later tests still settle into the running month.
    await db.query("begin");
    try {
      const claims = { sub: users[FINANCE], role: "authenticated", email: FINANCE };
      await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
      await db.query("set local role authenticated");
      const { rows: open } = await db.query("select business_unit_id, counterparty_unit_id from settlement_statements where period = $1", [current]);
      expect(open.length).toBeGreaterThan(0);
      for (const s of open) {
        await db.query("select decide_settlement_statement($1, $2, $3, 'confirmed', null)", [current, s.business_unit_id, s.counterparty_unit_id]);
      }
      const { rows: [closed] } = await db.query("select close_settlement_period($1, '截止日关账') as r", [current]);
      expect((closed.r as { status: string }).status).toBe("closed");
      await db.query("reset role");
      await db.query("select set_config('request.jwt.claims', '', true)");
      const m = await memberWith(hotel, 400);
      const { entry_id } = await redeem(m, mall, 100, key("after-cutoff"));
      const { rows } = await db.query(
        `select to_char(period, 'YYYY-MM-DD') as p, to_char(correction_of_period, 'YYYY-MM-DD') as c from settlement_entries
         where event_kind = 'points_redeem' and event_ref = $1`, [String(entry_id)]);
      expect(rows.length).toBe(2);
      for (const r of rows) expect(r).toEqual({ p: await monthStart(1), c: current });
    } finally {
      await db.query("rollback");
    }
    expect((await db.query("select status from settlement_periods where period = $1", [current])).rows[0]?.status ?? "open").toBe("open");
  });

  it("a dispute blocks closing; both sides confirming lets group finance close; a closed period takes nothing more and later costs land in the next period", async () => {
    const statements = await ok(as(FINANCE, "select * from settlement_statements where period = $1", [previous]));
    const pair = statements.find((s) => s.business_unit_id === mall && s.counterparty_unit_id === hotel) ??
      statements.find((s) => s.business_unit_id === mall)!;
    const cp = pair.counterparty_unit_id as string;
    await ok(as(MALL_FINANCE, "select decide_settlement_statement($1, $2, $3, 'disputed', '金额与台账不符')", [previous, mall, cp]));
    // every other statement confirmed by group finance; the disputed one still blocks
    for (const s of statements) {
      if (s.business_unit_id === mall && s.counterparty_unit_id === cp) continue;
      await ok(as(FINANCE, "select decide_settlement_statement($1, $2, $3, 'confirmed', null)", [previous, s.business_unit_id, s.counterparty_unit_id]));
    }
    expect(await hint(as(FINANCE, "select close_settlement_period($1, null)", [previous]))).toBe("settlement_not_confirmed");
    const [view] = await ok(as(MALL_FINANCE, "select * from settlement_statements where period = $1 and business_unit_id = $2 and counterparty_unit_id = $3", [previous, mall, cp]));
    expect([view.my_decision, view.my_comment, view.counterparty_decision]).toEqual(["disputed", "金额与台账不符", "confirmed"]);
    // the same decision twice posts once
    const before = await counts();
    await ok(as(MALL_FINANCE, "select decide_settlement_statement($1, $2, $3, 'disputed', '金额与台账不符')", [previous, mall, cp]));
    expect(await counts()).toEqual(before);
    await ok(as(MALL_FINANCE, "select decide_settlement_statement($1, $2, $3, 'confirmed', '已核对')", [previous, mall, cp]));
    const [closed] = await ok(as(FINANCE, "select close_settlement_period($1, '本月结算完成') as r", [previous]));
    expect((closed.r as { status: string }).status).toBe("closed");
    const [twice] = await ok(as(FINANCE, "select close_settlement_period($1, null) as r", [previous]));
    expect((twice.r as { duplicate: boolean }).duplicate).toBe(true);

    // closed: decisions refused; entries cannot be inserted, changed or removed, not even by the owner
    expect(await hint(as(MALL_FINANCE, "select decide_settlement_statement($1, $2, $3, 'disputed', '晚了')", [previous, mall, cp]))).toBe("settlement_period_closed");
    await expect(db.query(
      "insert into settlement_entries (period, event_kind, event_ref, business_unit_id, counterparty_unit_id, amount_fen) values ($1, 'referral', 'late', $2, $3, 1)",
      [previous, mall, hotel],
    )).rejects.toMatchObject({ hint: "settlement_period_closed" });
    await expect(db.query("update settlement_entries set amount_fen = amount_fen where period = $1", [previous])).rejects.toMatchObject({ hint: "append_only" });
    await expect(db.query("delete from settlement_entries where period = $1", [previous])).rejects.toMatchObject({ hint: "append_only" });
    await expect(db.query("update settlement_periods set status = 'open', closed_at = null where period = $1", [previous])).rejects.toMatchObject({ hint: "settlement_period_closed" });
    await expect(db.query("delete from settlement_statement_decisions where period = $1", [previous])).rejects.toMatchObject({ hint: "append_only" });

    // a cost for the closed month lands in the next open period, with the reference
    const [late] = await ok(as(FINANCE, "select post_campaign_cost('late-fair', $1, 50000, $2, $3) as r", [previous, hotel, key("late")]));
    const rows = await entriesOf("campaign_cost", (late.r as { event_ref: string }).event_ref);
    expect(rows.length).toBeGreaterThan(0);
    for (const x of rows) {
      expect(x.correction_of_period).not.toBeNull();
    }
    const { rows: [prev] } = await db.query("select to_char(correction_of_period, 'YYYY-MM-DD') as c, to_char(period, 'YYYY-MM-DD') as p from settlement_entries where id = $1", [rows[0].id]);
    expect(prev).toEqual({ c: previous, p: current });

    // a purchase dated in the closed month (the system back-dates): its referral lands in the open period, with the reference
    const m = await newMember();
    await db.query("update members set home_business_unit_id = $1 where id = $2", [office, m]);
    await db.query("select record_transaction($1, $2, $3, 260, 'pos', ($4::date + interval '10 days 12 hours')::timestamptz)", [m, mall, key("order"), previous]);
    const { rows: referral } = await db.query(
      "select to_char(period, 'YYYY-MM-DD') as p, to_char(correction_of_period, 'YYYY-MM-DD') as c, amount_fen::bigint as a from settlement_entries where event_kind = 'referral' and event_ref = $1 order by id",
      [`${m}:${mall}`],
    );
    expect(referral).toEqual([{ p: current, c: previous, a: "2000" }, { p: current, c: previous, a: "-2000" }]);
  });
});
