/** Shared by the dashboard tests: a random ledger workload and the rollups compared with the raw tables. */
import type pg from "pg";
import { rebuildRollups } from "../../stack/rebuild-rollups.ts";
import { databaseUrl } from "./stack-env.ts";
import PgClient from "pg";

/** Runs fn in one REPEATABLE READ snapshot, so rollups, deltas and raw tables are read at one moment. */
export async function inSnapshot<T>(db: pg.Client, fn: () => Promise<T>): Promise<T> {
  await db.query("begin isolation level repeatable read");
  try {
    return await fn();
  } finally {
    await db.query("rollback");
  }
}

export async function connect(n: number) {
  return Promise.all(Array.from({ length: n }, async () => {
    const c = new PgClient.Client({ connectionString: databaseUrl() });
    await c.connect();
    return c;
  }));
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed from its seed. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rollup rows that differ from the raw aggregates, each way (empty when equal): points by day, posting
 * unit, issuing unit, lot kind, tier at posting and kind; open points by expiry day; members by earliest
 * open expiry; purchases by day, unit, channel, tier; members per bucket; first purchases; members by
 * tier; tier moves. Rollups are read with their unfolded deltas.
 */
export async function rollupDifferences(db: pg.Client) {
  const pairs: Record<string, [string, string]> = {
    points: [
      `select day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, sum(points_in) i, sum(points_out) o from (
         select day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, points_in, points_out from private.points_daily
         union all select day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, points_in, points_out from private.points_delta_rows) x
       group by 1, 2, 3, 4, 5, 6 having sum(points_in) <> 0 or sum(points_out) <> 0`,
      `select private.business_day(e.occurred_at), e.business_unit_id, l.business_unit_id, l.kind,
              private.tier_at(e.member_id, e.created_at), e.kind, sum(greatest(mv.points, 0)), sum(greatest(-mv.points, 0))
       from ledger_lot_moves mv join ledger_entries e on e.id = mv.entry_id join point_lots l on l.id = mv.lot_id
       group by 1, 2, 3, 4, 5, 6`,
    ],
    open_by_expiry: [
      `select expiry_day, lot_unit_id, lot_kind, sum(points) from (
         select expiry_day, lot_unit_id, lot_kind, points from private.open_points_by_expiry
         union all select expiry_day, lot_unit_id, lot_kind, points_in - points_out from private.points_delta_rows) x
       group by 1, 2, 3 having sum(points) <> 0`,
      `select private.business_day(expires_at), business_unit_id, kind, sum(remaining_points) from point_lots
       where remaining_points > 0 group by 1, 2, 3`,
    ],
    next_expiry: [
      `with touched as (select distinct member_id from private.points_delta_rows)
       select expiry_day, scope, sum(n) from (
         select expiry_day, scope, members n from private.next_expiry_counts
         union all select expiry_day, scope, -1 from private.member_next_expiry where member_id in (select member_id from touched)
         union all select expiry_day, scope, 1 from private.current_next_expiry(array(select member_id from touched))) x
       group by 1, 2 having sum(n) <> 0`,
      `select d, s, count(*) from (
         select member_id, business_unit_id s, private.business_day(min(expires_at)) d from point_lots where remaining_points > 0 group by 1, 2
         union all
         select member_id, private.group_scope(), private.business_day(min(expires_at)) from point_lots where remaining_points > 0 group by 1) x
       group by 1, 2`,
    ],
    sales: [
      `select day, business_unit_id, channel, tier_id, sum(orders), sum(sales) from (
         select day, business_unit_id, channel, tier_id, orders, sales from private.sales_daily
         union all select day, business_unit_id, channel, tier_id, orders, sales from private.sales_delta) x
       group by 1, 2, 3, 4`,
      `select private.business_day(occurred_at), business_unit_id, channel, private.tier_at(member_id, created_at), count(*), sum(amount)
       from transactions group by 1, 2, 3, 4`,
    ],
    members: [
      `select day, scope, sum(members) from (select day, scope, members from private.members_daily
         union all select day, scope, members from private.members_delta) x group by 1, 2 having sum(members) <> 0`,
      `select private.business_day(created_at), coalesce(home_business_unit_id, private.group_scope()), count(*) from members group by 1, 2`,
    ],
    tiers: [
      `select tier_id, scope, sum(members) from (select tier_id, scope, members from private.tier_counts
         union all select tier_id, scope, members from private.tier_delta) x group by 1, 2 having sum(members) <> 0`,
      `select tier_id, coalesce(home_business_unit_id, private.group_scope()), count(*) from members group by 1, 2`,
    ],
  };
  const found: Record<string, unknown[]> = {};
  for (const [name, [rollup, raw]] of Object.entries(pairs)) {
    const { rows } = await db.query(
      `with r as (${rollup}), w as (${raw})
       select 'rollup' as side, r::text as row from (select * from r except select * from w) r
       union all select 'raw', w::text from (select * from w except select * from r) w limit 20`);
    if (rows.length) found[name] = rows;
  }
  return found;
}

export async function fold(db: pg.Client) {
  return (await db.query("select private.fold_rollups() as r")).rows[0].r as Record<string, unknown>;
}

export async function rebuild(db: pg.Client) {
  return rebuildRollups(db, 1000);
}
