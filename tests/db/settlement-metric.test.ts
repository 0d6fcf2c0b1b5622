/**
 * The dashboards' settlement metric (metric_settlement_net) against the real database: per unit and settlement month
 * it equals the sum of the unit's entries (receivable, payable, net in yuan), the group's net is zero, a new
 * cross-unit redemption moves the mall's and the hotel's figures by its amount; readers are those of the statements
 * plus group-wide analysts: a unit's finance reads its unit only, a unit outside its scope is refused, staff read
 * nothing; bad ranges are refused like every metric's.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let mall: string;
let hotel: string;
const users: Record<string, string> = {};
const { key, newMember, units } = ledgerHelpers("settlement-metric", () => db);

type Row = { period: string; business_unit: string; receivable_yuan: string; payable_yuan: string; net_yuan: string };
type Result = { ok: true; rows: Row[] } | { ok: false; error: pg.DatabaseError };

/** The metric as a demo user, the way PostgREST runs it. */
async function metricAs(email: string | null, args: unknown[]): Promise<Result> {
  await db.query("begin");
  try {
    if (email) {
      await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: users[email], role: "authenticated", email })]);
      await db.query("set local role authenticated");
    }
    const { rows } = await db.query<Row>(
      "select period::text, business_unit, receivable_yuan, payable_yuan, net_yuan from metric_settlement_net($1, $2, $3, $4) order by period, business_unit", args);
    await db.query("commit");
    return { ok: true, rows };
  } catch (error) {
    await db.query("rollback");
    return { ok: false, error: error as pg.DatabaseError };
  }
}
async function rows(email: string | null, args: unknown[]) {
  const r = await metricAs(email, args);
  if (!r.ok) throw new Error(`expected rows, got ${r.error.hint ?? r.error.code}: ${r.error.message}`);
  return r.rows;
}
async function hint(email: string | null, args: unknown[]) {
  const r = await metricAs(email, args);
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.rows)}`);
  return r.error.hint;
}

const today = async () => (await db.query("select private.business_today()::text as d")).rows[0].d as string;
const thisMonth = async () => (await db.query("select date_trunc('month', private.business_today())::date::text as d")).rows[0].d as string;
const fen = (yuan: string | number) => Math.round(Number(yuan) * 100);

beforeAll(async () => {
  db = await superuser();
  ({ mall, hotel } = await units());
  for (const r of (await db.query("select user_id, email from staff_profiles")).rows) users[r.email] = r.user_id;
});
afterAll(async () => {
  await db?.end();
});

describe("metric_settlement_net", () => {
  it("equals the entries per unit and month; the group nets to zero; a cross-unit redemption moves mall and hotel by its amount", async () => {
    const month = await thisMonth();
    const day = await today();
    const member = await newMember();
    await db.query("select earn_points($1, $2, 900, $3)", [member, hotel, key("earn")]);
    const before = await rows(null, [month, day, "month", null]);
    const { entry_id: entry } = (await db.query("select redeem_points($1, $2, 700, $3) as r", [member, mall, key("redeem")])).rows[0].r;
    const amount = Number((await db.query(
      "select amount_fen from settlement_entries where event_kind = 'points_redeem' and event_ref = $1 and business_unit_id = $2", [String(entry), mall])).rows[0].amount_fen);
    expect(amount).toBeGreaterThan(0);

    const after = await rows(null, [month, day, "month", null]);
    const expected = (await db.query(
      `select period::text, business_unit_id as business_unit,
              coalesce(sum(amount_fen) filter (where amount_fen > 0), 0)::bigint as receivable,
              coalesce(-sum(amount_fen) filter (where amount_fen < 0), 0)::bigint as payable, sum(amount_fen)::bigint as net
       from settlement_entries where period = $1 group by 1, 2 order by 1, 2`, [month])).rows;
    expect(after.map((r) => [r.period, r.business_unit, fen(r.receivable_yuan), fen(r.payable_yuan), fen(r.net_yuan)])).toEqual(
      expected.map((r) => [r.period, r.business_unit, Number(r.receivable), Number(r.payable), Number(r.net)]));
    expect(after.reduce((sum, r) => sum + fen(r.net_yuan), 0)).toBe(0);

    const of = (list: Row[], unit: string) => list.find((r) => r.business_unit === unit);
    expect(fen(of(after, mall)!.receivable_yuan) - fen(of(before, mall)?.receivable_yuan ?? 0)).toBe(amount);
    expect(fen(of(after, hotel)!.payable_yuan) - fen(of(before, hotel)?.payable_yuan ?? 0)).toBe(amount);
    expect(fen(of(after, mall)!.net_yuan) - fen(of(before, mall)?.net_yuan ?? 0)).toBe(amount);
  });

  it("months overlapping the range, whatever the grain: a range inside this month still shows this month", async () => {
    const month = await thisMonth();
    const day = await today();
    const byDay = await rows(null, [day, day, "day", null]);
    const byMonth = await rows(null, [month, day, "month", null]);
    expect(byDay).toEqual(byMonth);
    expect(byDay.every((r) => r.period === month)).toBe(true);
  });

  it("group finance, directors and group analysts read every unit; the mall's finance only the mall; staff nothing", async () => {
    const month = await thisMonth();
    const day = await today();
    const all = await rows(null, [month, day, "month", null]);
    expect(all.length).toBeGreaterThan(1);
    for (const email of ["finance@demo.test", "director@demo.test", "analyst@demo.test", "admin@demo.test"]) {
      expect(await rows(email, [month, day, "month", null])).toEqual(all);
    }
    const mine = await rows("mall.finance@demo.test", [month, day, "month", null]);
    expect(mine).toEqual(all.filter((r) => r.business_unit === mall));
    expect(await rows("mall.finance@demo.test", [month, day, "month", [mall]])).toEqual(mine);
    expect(await hint("mall.finance@demo.test", [month, day, "month", [hotel]])).toBe("dashboard_unit_out_of_scope");
    expect(await rows("manager@demo.test", [month, day, "month", null])).toEqual(all.filter((r) => r.business_unit === hotel));
    expect(await hint("staff@demo.test", [month, day, "month", null])).toBe("dashboard_access_denied");
  });

  it("bad ranges and grains are refused as for every metric", async () => {
    const day = await today();
    expect(await hint("finance@demo.test", [day, "2020-01-01", "month", null])).toBe("metric_range_inverted");
    expect(await hint("finance@demo.test", ["2020-01-01", day, "month", null])).toBe("metric_range_too_long");
    expect(await hint("finance@demo.test", [day, day, "year", null])).toBe("metric_grain_unknown");
  });
});
