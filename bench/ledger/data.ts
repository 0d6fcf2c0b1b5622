/**
 * Ledger bench data: the bench-only schema (minimal earn reference), the single-statement expiry
 * reference and the synthetic bulk load. Used by bench/ledger/run.ts.
 */
import type pg from "pg";

/** Every n-th member holds all its lots at one unit (member i: unit i mod 4, units by code): the settlement variants. */
export const SINGLE_UNIT_EVERY = 5;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const secs = (ms: number) => (ms / 1000).toFixed(1);

export interface Shape {
  members: number;
  lotsPerMember: number;
  duePerMember: number;
}

export const BENCH_SCHEMA = `
create schema bench;
create table bench.member_map (i int primary key, id uuid not null);

-- The physical reference: the three writes an earn needs (entry, lot, balance) in one call, on the same
-- tables, with no validation, idempotency lookup, permission check or lot-move row.
create function bench.minimal_earn(p_member uuid, p_unit uuid, p_points int, p_key text)
returns bigint language plpgsql as $$
declare
  v_balance bigint;
  v_entry bigint;
begin
  update public.point_balances set balance = balance + p_points, updated_at = now()
  where member_id = p_member returning balance into v_balance;
  insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key, occurred_at)
  values (p_member, p_unit, 'earn', p_points, v_balance, p_key, now()) returning id into v_entry;
  insert into public.point_lots (member_id, business_unit_id, kind, original_points, remaining_points, earned_at, expires_at, earn_entry_id)
  values (p_member, p_unit, 'shopping', p_points, p_points, now(), now() + interval '365 days', v_entry);
  return v_entry;
end $$;
`;

/** The same expiry work as one plain set-based statement (what a batch does, over every due lot at once). */
export const SINGLE_STATEMENT_EXPIRY = `
with upd as (
  update public.point_lots l set expired_points = l.remaining_points, remaining_points = 0
  where l.remaining_points > 0 and l.expires_at <= $1
  returning l.id, l.member_id, l.business_unit_id, l.expires_at, l.expired_points as points
), numbered as (
  select u.*, nextval('public.ledger_entries_id_seq') as entry_id,
         sum(u.points) over (partition by u.member_id order by u.expires_at, u.id) as running
  from upd u order by u.member_id, u.expires_at, u.id
), bal as (
  update public.point_balances b set balance = b.balance - t.total, updated_at = now()
  from (select member_id, sum(points) as total from upd group by member_id) t
  where b.member_id = t.member_id
  returning b.member_id, b.balance + t.total as before
), entries as (
  insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, reason, occurred_at)
  overriding system value
  select n.entry_id, n.member_id, n.business_unit_id, 'expire', -n.points, bal.before - n.running, 'points expired', n.expires_at
  from numbered n join bal on bal.member_id = n.member_id
), moves as (
  insert into public.ledger_lot_moves (entry_id, lot_id, points) select entry_id, id, -points from numbered
)
select count(*)::bigint as n from numbered`;

export async function load(db: pg.Client, shape: Shape, log: (line: string) => void = console.log) {
  const { members: MEMBERS, lotsPerMember: LOTS_PER_MEMBER, duePerMember: DUE_PER_MEMBER } = shape;
  const t0 = performance.now();
  await db.query(BENCH_SCHEMA);
  await db.query(`insert into public.business_units (code, name, kind) values
    ('mall', '购物中心', 'mall'), ('hotel', '酒店', 'hotel'), ('office', '写字楼', 'office'), ('property', '物业', 'property')`);
  await db.query(`insert into public.tiers (code, name, rank, growth_threshold) values ('standard', '普卡', 0, 0)`);

  // Secondary indexes are dropped for the bulk load and rebuilt afterwards (as any bulk load would).
  const tables = ["public.point_lots", "public.ledger_entries", "public.ledger_lot_moves", "public.point_balances"];
  const constraints = (
    await db.query(
      `select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def from pg_constraint
       where conrelid = any($1::regclass[]) and contype = 'u'`,
      [tables],
    )
  ).rows;
  const indexes = (
    await db.query(
      `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index i
       where indrelid = any($1::regclass[]) and not indisprimary
         and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
      [tables],
    )
  ).rows;
  for (const c of constraints) await db.query(`alter table ${c.tbl} drop constraint ${c.conname}`);
  for (const i of indexes) await db.query(`drop index ${i.name}`);

  await db.query("set session_replication_role = replica"); // bench load only: skips triggers and FK checks
  await db.query("insert into bench.member_map select i, gen_random_uuid() from generate_series(1, $1) i", [MEMBERS]);
  await db.query(
    `insert into public.members (id, name, phone, tier_id)
     select m.id, '压测会员' || m.i, '139' || lpad(m.i::text, 8, '0'), (select id from public.tiers limit 1)
     from bench.member_map m`,
  );
  const loadStart = performance.now();
  const chunk = Math.max(1, Math.floor(1_000_000 / LOTS_PER_MEMBER));
  for (let lo = 1; lo <= MEMBERS; lo += chunk) {
    // Lot j of member i: at unit (i + j) mod 4, except every SINGLE_UNIT_EVERY-th member, whose lots are all at unit
    // i mod 4 (the settlement variants redeem there, or at the next unit); points 100..999; j <= 10 is due (expired 1 minute to 30 days ago), the rest expire
    // within the next year; earned 365 days before expiry. Each lot has its earn entry and lot move.
    await db.query(
      `with units as (select array_agg(id order by code) as ids from public.business_units),
       src as (
         select (m.i - 1) * ${LOTS_PER_MEMBER} + j as id, m.id as member_id, case when m.i % ${SINGLE_UNIT_EVERY} = 0 then u.ids[1 + m.i % 4] else u.ids[1 + (m.i + j) % 4] end as unit,
                100 + (abs(hashint4(m.i * 131 + j)::bigint) % 900) as pts,
                case when j <= ${DUE_PER_MEMBER}
                     then $3::timestamptz - make_interval(mins => (1 + abs(hashint4(m.i * 7 + j)::bigint) % 43200)::int)
                     else $3::timestamptz + make_interval(days => (1 + abs(hashint4(m.i * 11 + j)::bigint) % 364)::int,
                                                          mins => (abs(hashint4(m.i * 13 + j)::bigint) % 1440)::int) end as expires_at
         from bench.member_map m cross join generate_series(1, ${LOTS_PER_MEMBER}) j cross join units u
         where m.i between $1 and $2
       ), lots as (
         insert into public.point_lots (id, member_id, business_unit_id, kind, original_points, remaining_points,
                                        earned_at, expires_at, earn_entry_id, created_at)
         overriding system value
         select id, member_id, unit, 'shopping', pts, pts, expires_at - interval '365 days', expires_at, id,
                expires_at - interval '365 days'
         from src
         returning id, member_id, business_unit_id, original_points, earned_at
       ), entries as (
         insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after,
                                            idempotency_key, occurred_at, created_at)
         overriding system value
         select id, member_id, business_unit_id, 'earn', original_points, original_points, 'load:' || id,
                earned_at, earned_at
         from lots
       )
       insert into public.ledger_lot_moves (entry_id, lot_id, points) select id, id, original_points from lots`,
      [lo, Math.min(MEMBERS, lo + chunk - 1), new Date()],
    );
    if (process.stdout.isTTY) process.stdout.write(`\r  loaded ${fmt(Math.min(MEMBERS, lo + chunk - 1) * LOTS_PER_MEMBER)} lots`);
  }
  if (process.stdout.isTTY) process.stdout.write("\n");
  await db.query(
    `insert into public.point_balances (member_id, balance)
     select member_id, sum(remaining_points) from public.point_lots group by member_id`,
  );
  await db.query("set session_replication_role = origin");
  const rowsMs = performance.now() - loadStart;
  await db.query("select setval('public.ledger_entries_id_seq', (select max(id) from public.ledger_entries))");
  await db.query("select setval(pg_get_serial_sequence('public.point_lots', 'id'), (select max(id) from public.point_lots))");

  const idxStart = performance.now();
  await db.query("set maintenance_work_mem = '2GB'");
  for (const i of indexes) await db.query(i.def);
  for (const c of constraints) await db.query(`alter table ${c.tbl} add constraint ${c.conname} ${c.def}`);
  const idxMs = performance.now() - idxStart;
  const vacStart = performance.now();
  await db.query("vacuum (analyze) public.point_lots, public.ledger_entries, public.ledger_lot_moves, public.point_balances, public.members");
  await db.query("checkpoint");
  const vacMs = performance.now() - vacStart;
  const size = (await db.query("select pg_size_pretty(pg_database_size(current_database())) as s")).rows[0].s;
  log(
    `  load: ${secs(performance.now() - t0)} s in all (rows ${secs(rowsMs)} s, indexes ${secs(idxMs)} s, ` +
      `vacuum+checkpoint ${secs(vacMs)} s); database ${size}`,
  );
}

