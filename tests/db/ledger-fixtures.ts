/** Shared by the ledger tests: run-unique idempotency keys, fresh members, and the invariant query. */
import type pg from "pg";

export function ledgerHelpers(prefix: string, db: () => pg.Client) {
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  let keyNo = 0;
  let tierId: string | undefined;
  return {
    key: (label = "k") => `${prefix}:${run}:${label}:${++keyNo}`,

    /** The demo mall and hotel units and the entry tier. */
    async units() {
      const units = await db().query("select id, code from business_units where code in ('mall', 'hotel')");
      tierId = (await db().query("select id from tiers order by rank limit 1")).rows[0].id as string;
      return {
        mall: units.rows.find((u) => u.code === "mall").id as string,
        hotel: units.rows.find((u) => u.code === "hotel").id as string,
        tierId,
      };
    },

    /** A new member with a random unused 199… phone (call units() first). */
    async newMember(status: "active" | "frozen" | "cancelled" = "active") {
      for (;;) {
        const phone = `199${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
        try {
          const { rows } = await db().query(
            "insert into members (name, phone, tier_id, status) values ($1, $2, $3, $4) returning id",
            [`账本测试${phone.slice(-4)}`, phone, tierId, status],
          );
          return rows[0].id as string;
        } catch (error) {
          if ((error as pg.DatabaseError).code !== "23505") throw error;
        }
      }
    },
  };
}

export interface InvariantRow {
  member_id: string;
  balance: string;
  ledger: string;
  lots: string;
  last_after: string;
  bad_entries: number;
  bad_lots: number;
  bad_refs: number;
  expired: string;
}

/**
 * Per member: balance, sum of entries, sum of open lots, last entry's balance_after, and counts of
 * entries whose moves do not add up, lots whose moves do not match their remaining points, and
 * moves pointing at another member's lot.
 */
export async function invariantRows(db: pg.Client, members: string[]): Promise<InvariantRow[]> {
  const { rows } = await db.query(
    `with e as (select id, member_id, kind, points, balance_after from ledger_entries where member_id = any($1)),
     mv as (select mv.entry_id, mv.lot_id, mv.points from ledger_lot_moves mv join e on e.id = mv.entry_id),
     by_entry as (select entry_id, sum(points) as s from mv group by entry_id),
     by_lot as (select lot_id, sum(points) as s from mv group by lot_id),
     lots as (select l.member_id, l.remaining_points, coalesce(bl.s, 0) as moved from point_lots l
              left join by_lot bl on bl.lot_id = l.id where l.member_id = any($1))
     select m as member_id,
       (select balance from point_balances b where b.member_id = m)::bigint as balance,
       (select coalesce(sum(points), 0) from e where e.member_id = m)::bigint as ledger,
       (select coalesce(sum(remaining_points), 0) from lots where lots.member_id = m)::bigint as lots,
       coalesce((select balance_after from e where e.member_id = m order by id desc limit 1), 0)::bigint as last_after,
       (select count(*) from e left join by_entry be on be.entry_id = e.id
          where e.member_id = m and e.points is distinct from be.s)::int as bad_entries,
       (select count(*) from lots where lots.member_id = m and lots.remaining_points <> lots.moved)::int as bad_lots,
       (select count(*) from mv join e on e.id = mv.entry_id left join point_lots l on l.id = mv.lot_id
          where e.member_id = m and (l.id is null or l.member_id <> e.member_id))::int as bad_refs,
       (select coalesce(-sum(points), 0) from e where e.member_id = m and e.kind = 'expire')::bigint as expired
     from unnest($1::uuid[]) m`,
    [members],
  );
  return rows as InvariantRow[];
}
