/**
 * Settlement under concurrency: 10,000 random cross-unit redemptions, coupon uses, reversals and repeated keys in
 * parallel lanes over several connections, then: every event's rows sum to zero; every redemption has exactly the
 * pairs its consumed lots call for, at the amount the seeded rules give (1.1 × the value at the hotel, 1.0
 * elsewhere), and none for its own unit's lots; every reversal negates its redemption once; every coupon used at
 * another unit is paid at face value once; a repeated key posts nothing more. Reproduce with SETTLEMENT_SEED=<seed>.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { databaseUrl, superuser } from "./stack-env.ts";

let db: pg.Client;
const { key, newMember, units } = ledgerHelpers("settle-conc", () => db);
const OPS = Number(process.env.SETTLEMENT_OPS ?? 10_000);
const LANES = 8;
const SEED = Number(process.env.SETTLEMENT_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function connect(n: number) {
  return Promise.all(Array.from({ length: n }, async () => {
    const c = new pg.Client({ connectionString: databaseUrl() });
    await c.connect();
    return c;
  }));
}

let unitIds: Record<string, string> = {};
const defKeys: string[] = [];

beforeAll(async () => {
  db = await superuser();
  await units();
  const { rows } = await db.query("select id, code from business_units where code in ('mall', 'hotel', 'office', 'property')");
  unitIds = Object.fromEntries(rows.map((r) => [r.code, r.id]));
});
afterAll(async () => {
  if (defKeys.length) await db?.query("update benefit_definitions set status = 'archived' where key = any($1) and status = 'published'", [defKeys]);
  await db?.end();
});

describe("zero-sum under concurrency", () => {
  it(`${OPS} random redemptions, coupon uses and reversals in ${LANES} parallel lanes`, async () => {
    const random = rng(SEED);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const codes = Object.keys(unitIds);
    const fen = Number((await db.query("select private.point_value_yuan() * 100 as v")).rows[0].v);

    // members with lots from several issuers
    const members: string[] = [];
    for (let i = 0; i < 120; i++) {
      const m = await newMember();
      for (const code of codes) {
        await db.query("select earn_points($1, $2, $3, $4)", [m, unitIds[code], 20_000 + Math.floor(random() * 20_000), key("earn")]);
      }
      members.push(m);
    }
    // coupons of two issuers, accepted everywhere: one grant per member each
    for (const [issuer, value] of [["mall", 3000], ["office", 1500]] as const) {
      const k = `t-stlc-${issuer}-${key("d").replace(/[^a-z0-9]+/g, "-").slice(-24)}`;
      await db.query(
        `insert into benefit_definitions (key, version, status, name, kind, value, uses_per_period, period, validity_days, issuing_unit_id,
                                          accepting_unit_codes, grant_on_tiers)
         values ($1, 1, 'published', '并发测试券', 'coupon', $2, 1, 'month', 31, $3, array['mall', 'hotel', 'office', 'property'], array['standard'])`,
        [k, value, unitIds[issuer]],
      );
      defKeys.push(k);
    }
    await db.query("select private.grant_tier_benefits(now(), $1::uuid[])", [members]);
    const coupons = (await db.query(
      "select g.code, g.issuing_unit_id, d.value from benefit_grants g join benefit_definitions d on d.key = g.definition_key and d.version = g.definition_version where g.definition_key = any($1)",
      [defKeys],
    )).rows as { code: string; issuing_unit_id: string; value: number }[];
    expect(coupons.length).toBe(members.length * 2);

    // the plan: each lane gets its own members (so its reversals follow its own redemptions), coupons are shared
    type Op =
      | { t: "redeem"; member: string; unit: string; points: number; key: string }
      | { t: "reverse"; of: number; key: string }
      | { t: "repeat"; of: number }
      | { t: "coupon"; code: string; unit: string; key: string };
    const lanes: Op[][] = Array.from({ length: LANES }, () => []);
    const couponQueue = [...coupons];
    for (let i = 0; i < OPS; i++) {
      const lane = i % LANES;
      const own = members.filter((_, j) => j % LANES === lane);
      const r = random();
      const redeemsSoFar = lanes[lane].filter((o) => o.t === "redeem").length;
      if (r < 0.08 && couponQueue.length > 0) {
        lanes[lane].push({ t: "coupon", code: couponQueue.pop()!.code, unit: unitIds[pick(codes)], key: key("cpn") });
      } else if (r < 0.22 && redeemsSoFar > 0) {
        lanes[lane].push({ t: "reverse", of: Math.floor(random() * redeemsSoFar), key: key("rev") });
      } else if (r < 0.25 && redeemsSoFar > 0) {
        lanes[lane].push({ t: "repeat", of: Math.floor(random() * redeemsSoFar) });
      } else {
        lanes[lane].push({ t: "redeem", member: pick(own), unit: unitIds[pick(codes)], points: 1 + Math.floor(random() * 400), key: key("red") });
      }
    }

    const clients = await connect(LANES);
    const redeemed: { entry: number; unit: string }[] = [];
    const reversed = new Map<number, number>();
    const coupled: { use: number; code: string; unit: string }[] = [];
    let refusals = 0;
    try {
      await Promise.all(lanes.map(async (ops, lane) => {
        const c = clients[lane];
        const mine: { entry: number; key: string; member: string; unit: string; points: number }[] = [];
        for (const op of ops) {
          try {
            if (op.t === "redeem") {
              const r = (await c.query("select redeem_points($1, $2, $3, $4) as r", [op.member, op.unit, op.points, op.key])).rows[0].r;
              mine.push({ entry: r.entry_id, key: op.key, member: op.member, unit: op.unit, points: op.points });
              redeemed.push({ entry: r.entry_id, unit: op.unit });
            } else if (op.t === "repeat") {
              const first = mine[Math.min(op.of, mine.length - 1)];
              if (!first) continue;
              const r = (await c.query("select redeem_points($1, $2, $3, $4) as r", [first.member, first.unit, first.points, first.key])).rows[0].r;
              expect(r).toMatchObject({ entry_id: first.entry, duplicate: true });
            } else if (op.t === "reverse") {
              const target = mine[Math.min(op.of, mine.length - 1)];
              if (!target || reversed.has(target.entry)) continue;
              const r = (await c.query("select reverse_entry($1, $2, '并发测试冲正') as r", [target.entry, op.key])).rows[0].r;
              reversed.set(target.entry, r.entry_id);
            } else {
              const r = (await c.query("select (redeem_coupon($1, $2, $3)).id as id", [op.code, op.unit, op.key])).rows[0];
              coupled.push({ use: Number(r.id), code: op.code, unit: op.unit });
            }
          } catch (error) {
            const e = error as pg.DatabaseError;
            if (e.hint !== "insufficient_points") throw new Error(`lane ${lane} seed ${SEED}: ${op.t} failed: ${e.hint ?? e.code} ${e.message}`, { cause: error });
            refusals++;
          }
        }
      }));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(redeemed.length).toBeGreaterThan(OPS / 2);
    expect(reversed.size).toBeGreaterThan(OPS / 20);
    expect(coupled.length).toBeGreaterThan(100);
    expect(refusals).toBeLessThan(OPS / 10); // members hold far more than the lanes redeem

    // 1. every event's rows sum to zero, across the whole table
    const unbalanced = (await db.query(
      "select event_kind, event_ref, sum(amount_fen)::bigint as s from settlement_entries group by 1, 2 having sum(amount_fen) <> 0 limit 5",
    )).rows;
    expect(unbalanced, `seed ${SEED}`).toEqual([]);

    // 2. each redemption: one pair per other issuer of its consumed lots, at the rules' amount
    const expected = (await db.query(
      `select e.id::text as ref, l.business_unit_id as issuer, e.business_unit_id as unit, -sum(mv.points)::bigint as points
       from ledger_entries e join ledger_lot_moves mv on mv.entry_id = e.id join point_lots l on l.id = mv.lot_id
       where e.id = any($1) and l.business_unit_id <> e.business_unit_id group by 1, 2, 3`,
      [redeemed.map((r) => r.entry)],
    )).rows;
    const actual = (await db.query(
      `select event_ref as ref, counterparty_unit_id as issuer, business_unit_id as unit, amount_fen::bigint as amount
       from settlement_entries where event_kind = 'points_redeem' and reverses_entry_id is null and amount_fen > 0 and event_ref = any($1)`,
      [redeemed.map((r) => String(r.entry))],
    )).rows;
    const want = new Map(expected.map((x) => [`${x.ref}/${x.issuer}`, Math.round(Number(x.points) * fen * (x.unit === unitIds.hotel ? 1.1 : 1))]));
    const got = new Map(actual.map((x) => [`${x.ref}/${x.issuer}`, Number(x.amount)]));
    expect(got.size, `seed ${SEED}`).toBe(actual.length);
    expect(got, `seed ${SEED}`).toEqual(want);

    // 3. each reversal negates its redemption's rows, once, linked row by row
    const rev = (await db.query(
      `select o.event_ref as orig, count(r.id)::int as n, count(o.id)::int as m, coalesce(sum(o.amount_fen + r.amount_fen), 0)::bigint as s,
              bool_and(r.event_ref is not null) as linked
       from settlement_entries o left join settlement_entries r on r.reverses_entry_id = o.id
       where o.event_kind = 'points_redeem' and o.reverses_entry_id is null and o.event_ref = any($1) group by 1`,
      [[...reversed.keys()].map(String)],
    )).rows;
    for (const r of rev) expect([r.orig, r.n, Number(r.s), r.linked]).toEqual([r.orig, r.m, 0, true]);
    const revRefs = (await db.query(
      "select distinct event_ref from settlement_entries where reverses_entry_id is not null and event_ref = any($1)",
      [[...reversed.values()].map(String)],
    )).rows.length;
    expect(revRefs).toBe(rev.length);

    // 4. every coupon used at another unit: the issuer pays its face value, once; at its own unit nothing
    const byCode = new Map(coupons.map((c) => [c.code, c]));
    const couponRows = (await db.query(
      "select event_ref, business_unit_id, counterparty_unit_id, amount_fen::bigint as a from settlement_entries where event_kind = 'coupon_use' and event_ref = any($1) and amount_fen > 0",
      [coupled.map((c) => String(c.use))],
    )).rows;
    const couponGot = new Map(couponRows.map((r) => [r.event_ref, [r.business_unit_id, r.counterparty_unit_id, Number(r.a)]]));
    const couponWant = new Map(coupled.filter((c) => byCode.get(c.code)!.issuing_unit_id !== c.unit)
      .map((c) => [String(c.use), [c.unit, byCode.get(c.code)!.issuing_unit_id, Number(byCode.get(c.code)!.value)]]));
    expect(couponRows.length).toBe(couponGot.size);
    expect(couponGot, `seed ${SEED}`).toEqual(couponWant);
  }, 600_000);
});
