-- Dashboard rollups, kept incrementally without touching a hot row on the write path.
--
-- Writers (earn, redeem, expire, reverse, merges, purchases, registrations, tier changes) fire
-- statement-level AFTER triggers with transition tables that INSERT one pre-aggregated row per group
-- into append-only delta tables (no index, no update, no contention). private.fold_rollups(), run by the
-- engine every minute, moves the deltas into the rollup tables (DELETE … RETURNING, then INSERT … ON
-- CONFLICT DO UPDATE) under an advisory lock, so several engines may run it at once. Metric functions
-- read the rollups plus the deltas not folded yet, so their answers are exact at once.
-- private.rebuild_rollups() recomputes every rollup from the raw tables in one REPEATABLE READ
-- snapshot (deltas visible in it are dropped, later ones kept), while writers go on.
--
-- Day buckets are calendar days in the group's business time zone, private.business_time_zone()
-- (core/metrics/business-time.ts states the same; the registry parity test compares).
-- The rollup tables live in `private` (not exposed); only security-definer metric functions read them.

-- ── Settings ─────────────────────────────────────────────────────────────────────────────
create or replace function private.business_time_zone()
returns text
language sql immutable
as $$ select 'Asia/Shanghai' $$;
comment on function private.business_time_zone() is
  'The group''s business time zone: dashboards and reports bucket days in it (core/metrics/business-time.ts).';

create or replace function private.business_day(p_at timestamptz)
returns date
language sql immutable
as $$ select (p_at at time zone private.business_time_zone())::date $$;

-- Today in business time (stable: the transaction's clock).
create or replace function private.business_today()
returns date
language sql stable
as $$ select (now() at time zone private.business_time_zone())::date $$;

-- The first day of the day/week (ISO, Monday)/month bucket holding p_day.
create or replace function private.period_start(p_day date, p_grain text)
returns date
language sql immutable
as $$ select date_trunc(p_grain, p_day::timestamp)::date $$;

-- Where all units together are counted in rollups of distinct members (a unit's own rows use its id).
create or replace function private.group_scope()
returns uuid
language sql immutable
as $$ select '00000000-0000-0000-0000-000000000000'::uuid $$;

-- ── Rollups and their deltas ─────────────────────────────────────────────────────────────
-- Points: every lot move, by business day of its entry (occurred_at), the entry's unit (where it was
-- posted), the lot's unit (which issued the points: liability), the lot's kind, the member's tier when
-- posted and the entry kind. points_in/points_out are the positive and negative moves.
create table private.points_daily (
  day date not null,
  business_unit_id uuid not null,
  lot_unit_id uuid not null,
  lot_kind text not null,
  tier_id uuid not null,
  kind text not null,
  points_in bigint not null default 0,
  points_out bigint not null default 0,
  moves bigint not null default 0,
  primary key (day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind)
);
create table private.points_delta (
  member_id uuid not null,
  day date not null,
  business_unit_id uuid not null,
  lot_unit_id uuid not null,
  lot_kind text not null,
  tier_id uuid not null,
  kind text not null,
  expiry_day date not null,
  points_in bigint not null,
  points_out bigint not null,
  moves bigint not null
);
-- Open points by the business day their lot expires (what expires when).
create table private.open_points_by_expiry (
  expiry_day date not null,
  lot_unit_id uuid not null,
  lot_kind text not null,
  points bigint not null default 0,
  primary key (expiry_day, lot_unit_id, lot_kind)
);
-- Each member's earliest open-lot expiry day, per issuing unit and group-wide (scope), and how many
-- members have it on each day: members with points expiring within N days, without a scan of the lots.
create table private.member_next_expiry (
  member_id uuid not null,
  scope uuid not null,
  expiry_day date not null,
  primary key (member_id, scope)
);
create table private.next_expiry_counts (
  expiry_day date not null,
  scope uuid not null,
  members bigint not null default 0,
  primary key (expiry_day, scope)
);

-- Purchases: orders and sales by day, unit, channel and the member's tier when recorded.
create table private.sales_daily (
  day date not null,
  business_unit_id uuid not null,
  channel text not null,
  tier_id uuid not null,
  orders bigint not null default 0,
  sales numeric(20, 2) not null default 0,
  primary key (day, business_unit_id, channel, tier_id)
);
create table private.sales_delta (
  member_id uuid not null,
  day date not null,
  business_unit_id uuid not null,
  channel text not null,
  tier_id uuid not null,
  first_at timestamptz not null,
  orders bigint not null,
  sales numeric(20, 2) not null
);
-- Orders per member per day/week/month bucket, per unit and group-wide (scope); and per bucket how
-- many members bought (buyers) and bought at least twice (repeat_buyers).
create table private.member_activity (
  grain text not null,
  bucket date not null,
  scope uuid not null,
  member_id uuid not null,
  orders int not null,
  primary key (grain, bucket, scope, member_id)
);
create table private.activity_counts (
  grain text not null,
  bucket date not null,
  scope uuid not null,
  buyers bigint not null default 0,
  repeat_buyers bigint not null default 0,
  primary key (grain, bucket, scope)
);
-- Each member's first purchase (its channel is how the member came: members carry no source channel),
-- and how many members made their first purchase per day, unit and channel.
create table private.member_first_purchase (
  member_id uuid primary key,
  first_at timestamptz not null,
  business_unit_id uuid not null,
  channel text not null
);
create table private.first_purchase_daily (
  day date not null,
  business_unit_id uuid not null,
  channel text not null,
  members bigint not null default 0,
  primary key (day, business_unit_id, channel)
);

-- Members: registrations per day and home unit (group_scope() when none), members per tier and home
-- unit, and tier changes (up or down) per day, home unit and tier reached.
create table private.members_daily (
  day date not null,
  scope uuid not null,
  members bigint not null default 0,
  primary key (day, scope)
);
create table private.members_delta (
  day date not null,
  scope uuid not null,
  members bigint not null
);
create table private.tier_counts (
  tier_id uuid not null,
  scope uuid not null,
  members bigint not null default 0,
  primary key (tier_id, scope)
);
create table private.tier_delta (
  tier_id uuid not null,
  scope uuid not null,
  members bigint not null
);
create table private.tier_moves_daily (
  day date not null,
  direction text not null check (direction in ('up', 'down')),
  scope uuid not null,
  tier_id uuid not null,
  moves bigint not null default 0,
  primary key (day, direction, scope, tier_id)
);
create table private.tier_moves_delta (
  day date not null,
  direction text not null,
  scope uuid not null,
  tier_id uuid not null,
  moves bigint not null
);

comment on table private.points_daily is
  'Rollup of ledger_lot_moves: points in/out per business day (entry occurred_at), posting unit, issuing (lot) unit, lot kind, tier at posting and entry kind.';
comment on table private.points_delta is 'Append-only deltas of points_daily, open_points_by_expiry and member_next_expiry, folded by private.fold_rollups().';

-- ── Collecting deltas (statement-level triggers) ─────────────────────────────────────────
create or replace function private.collect_points_delta()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into private.points_delta (member_id, day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, expiry_day,
                                    points_in, points_out, moves)
  select e.member_id, private.business_day(e.occurred_at), e.business_unit_id, l.business_unit_id, l.kind, m.tier_id, e.kind,
         private.business_day(l.expires_at),
         sum(greatest(n.points, 0)), sum(greatest(-n.points, 0)), count(*)
  from new_moves n
  join public.ledger_entries e on e.id = n.entry_id
  join public.point_lots l on l.id = n.lot_id
  join public.members m on m.id = e.member_id
  group by 1, 2, 3, 4, 5, 6, 7, 8;
  return null;
end
$$;

create or replace function private.collect_sales_delta()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into private.sales_delta (member_id, day, business_unit_id, channel, tier_id, first_at, orders, sales)
  select t.member_id, private.business_day(t.occurred_at), t.business_unit_id, t.channel, m.tier_id,
         min(t.occurred_at), count(*), sum(t.amount)
  from new_rows t join public.members m on m.id = t.member_id
  group by 1, 2, 3, 4, 5;
  return null;
end
$$;

create or replace function private.collect_member_delta()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into private.members_delta (day, scope, members)
    select private.business_day(n.created_at), coalesce(n.home_business_unit_id, private.group_scope()), count(*)
    from new_rows n group by 1, 2;
    insert into private.tier_delta (tier_id, scope, members)
    select n.tier_id, coalesce(n.home_business_unit_id, private.group_scope()), count(*) from new_rows n group by 1, 2;
  else
    insert into private.members_delta (day, scope, members)
    select private.business_day(o.created_at), coalesce(o.home_business_unit_id, private.group_scope()), -count(*)
    from old_rows o group by 1, 2;
    insert into private.tier_delta (tier_id, scope, members)
    select o.tier_id, coalesce(o.home_business_unit_id, private.group_scope()), -count(*) from old_rows o group by 1, 2;
  end if;
  return null;
end
$$;

-- Row level, but only for the rare update that changes a member's tier or home unit (WHEN clause).
create or replace function private.collect_member_change()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into private.tier_delta (tier_id, scope, members) values
    (old.tier_id, coalesce(old.home_business_unit_id, private.group_scope()), -1),
    (new.tier_id, coalesce(new.home_business_unit_id, private.group_scope()), 1);
  if old.home_business_unit_id is distinct from new.home_business_unit_id then
    insert into private.members_delta (day, scope, members) values
      (private.business_day(old.created_at), coalesce(old.home_business_unit_id, private.group_scope()), -1),
      (private.business_day(new.created_at), coalesce(new.home_business_unit_id, private.group_scope()), 1);
  end if;
  return null;
end
$$;

create or replace function private.collect_tier_moves_delta()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into private.tier_moves_delta (day, direction, scope, tier_id, moves)
  select private.business_day(h.changed_at), case when t.rank > f.rank then 'up' else 'down' end,
         coalesce(m.home_business_unit_id, private.group_scope()), h.to_tier_id, count(*)
  from new_rows h
  join public.tiers f on f.id = h.from_tier_id
  join public.tiers t on t.id = h.to_tier_id
  join public.members m on m.id = h.member_id
  where t.rank <> f.rank
  group by 1, 2, 3, 4;
  return null;
end
$$;

create trigger collect_rollup_delta after insert on public.ledger_lot_moves
  referencing new table as new_moves
  for each statement execute function private.collect_points_delta();
create trigger collect_rollup_delta after insert on public.transactions
  referencing new table as new_rows
  for each statement execute function private.collect_sales_delta();
create trigger collect_rollup_delta_insert after insert on public.members
  referencing new table as new_rows
  for each statement execute function private.collect_member_delta();
create trigger collect_rollup_delta_delete after delete on public.members
  referencing old table as old_rows
  for each statement execute function private.collect_member_delta();
create trigger collect_rollup_delta_change after update of tier_id, home_business_unit_id on public.members
  for each row when (old.tier_id is distinct from new.tier_id or old.home_business_unit_id is distinct from new.home_business_unit_id)
  execute function private.collect_member_change();
create trigger collect_rollup_delta after insert on public.tier_history
  referencing new table as new_rows
  for each statement execute function private.collect_tier_moves_delta();

-- ── Shared pieces of fold and read ───────────────────────────────────────────────────────
-- Each member's current earliest open-lot expiry day, per issuing unit and group-wide (FIFO index range).
create or replace function private.current_next_expiry(p_members uuid[])
returns table (member_id uuid, scope uuid, expiry_day date)
language sql stable security definer set search_path = ''
as $$
  select l.member_id, l.business_unit_id, private.business_day(min(l.expires_at))
  from public.point_lots l
  where l.member_id = any (p_members) and l.remaining_points > 0
  group by 1, 2
  union all
  select l.member_id, private.group_scope(), private.business_day(min(l.expires_at))
  from public.point_lots l
  where l.member_id = any (p_members) and l.remaining_points > 0
  group by 1
$$;

-- Orders of purchase deltas per member, bucket and scope (a unit and the group), for every grain.
create or replace function private.activity_of(p_deltas jsonb)
returns table (grain text, bucket date, scope uuid, member_id uuid, orders bigint)
language sql immutable set search_path = ''
as $$
  select g.grain, private.period_start(d.day, g.grain), s.scope, d.member_id, sum(d.orders)::bigint
  from jsonb_to_recordset(p_deltas) as d(member_id uuid, day date, business_unit_id uuid, orders bigint)
  cross join (values ('day'), ('week'), ('month')) g(grain)
  cross join lateral (values (d.business_unit_id), (private.group_scope())) s(scope)
  group by 1, 2, 3, 4
$$;

-- ── Fold ─────────────────────────────────────────────────────────────────────────────────
-- The advisory lock key of folds and rebuilds (a plain positive number: pg_locks shows it as objid).
create or replace function private.rollup_lock_key()
returns bigint
language sql immutable
as $$ select 7346001::bigint $$;

-- Moves every committed delta into the rollups. One fold at a time (transaction advisory lock; a call
-- that finds it taken returns at once with skipped = true). Returns the delta rows folded per table.
create or replace function private.fold_rollups()
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_points bigint;
  v_sales bigint;
  v_members bigint;
  v_tiers bigint;
  v_moves bigint;
  v_touched uuid[];
begin
  perform private.assert_system_caller('folding dashboard rollups');
  if not pg_try_advisory_xact_lock(private.rollup_lock_key()) then
    return jsonb_build_object('skipped', true);
  end if;

  -- Points.
  create temporary table if not exists fold_points (like private.points_delta) on commit drop;
  truncate fold_points;
  with d as (delete from private.points_delta returning *)
  insert into fold_points select * from d;
  get diagnostics v_points = row_count;
  if v_points > 0 then
    insert into private.points_daily as r (day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, points_in, points_out, moves)
    select day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, sum(points_in), sum(points_out), sum(moves)
    from fold_points group by 1, 2, 3, 4, 5, 6
    on conflict (day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind) do update
      set points_in = r.points_in + excluded.points_in, points_out = r.points_out + excluded.points_out,
          moves = r.moves + excluded.moves;
    insert into private.open_points_by_expiry as r (expiry_day, lot_unit_id, lot_kind, points)
    select expiry_day, lot_unit_id, lot_kind, sum(points_in - points_out) from fold_points group by 1, 2, 3
    on conflict (expiry_day, lot_unit_id, lot_kind) do update set points = r.points + excluded.points;
    v_touched := array(select distinct member_id from fold_points);
    perform private.refresh_next_expiry(v_touched);
  end if;

  -- Purchases.
  create temporary table if not exists fold_sales (like private.sales_delta) on commit drop;
  truncate fold_sales;
  with d as (delete from private.sales_delta returning *)
  insert into fold_sales select * from d;
  get diagnostics v_sales = row_count;
  if v_sales > 0 then
    insert into private.sales_daily as r (day, business_unit_id, channel, tier_id, orders, sales)
    select day, business_unit_id, channel, tier_id, sum(orders), sum(sales) from fold_sales group by 1, 2, 3, 4
    on conflict (day, business_unit_id, channel, tier_id) do update
      set orders = r.orders + excluded.orders, sales = r.sales + excluded.sales;
    perform private.fold_activity((select jsonb_agg(jsonb_build_object('member_id', member_id, 'day', day,
                                    'business_unit_id', business_unit_id, 'orders', orders)) from fold_sales));
    perform private.fold_first_purchases();
  end if;

  -- Members, tiers, tier moves.
  with d as (delete from private.members_delta returning *)
  insert into private.members_daily as r (day, scope, members)
  select day, scope, sum(members) from d group by 1, 2
  on conflict (day, scope) do update set members = r.members + excluded.members;
  get diagnostics v_members = row_count;
  with d as (delete from private.tier_delta returning *)
  insert into private.tier_counts as r (tier_id, scope, members)
  select tier_id, scope, sum(members) from d group by 1, 2
  on conflict (tier_id, scope) do update set members = r.members + excluded.members;
  get diagnostics v_tiers = row_count;
  with d as (delete from private.tier_moves_delta returning *)
  insert into private.tier_moves_daily as r (day, direction, scope, tier_id, moves)
  select day, direction, scope, tier_id, sum(moves) from d group by 1, 2, 3, 4
  on conflict (day, direction, scope, tier_id) do update set moves = r.moves + excluded.moves;
  get diagnostics v_moves = row_count;

  return jsonb_build_object('skipped', false, 'points', v_points, 'sales', v_sales, 'members', v_members,
                            'tiers', v_tiers, 'tier_moves', v_moves);
end
$$;
comment on function private.fold_rollups() is
  'Folds the committed rollup deltas into the rollups (run by the engine every minute; several at once are safe). '
  'Returns the delta rows folded per table, or {skipped: true} when another fold holds the lock.';

-- Recomputes the earliest open expiry of these members and moves their counts accordingly.
create or replace function private.refresh_next_expiry(p_members uuid[])
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  create temporary table if not exists fold_old_expiry (scope uuid, expiry_day date) on commit drop;
  truncate fold_old_expiry;
  with d as (delete from private.member_next_expiry n where n.member_id = any (p_members) returning n.scope, n.expiry_day)
  insert into fold_old_expiry select * from d;
  with ins as (
    insert into private.member_next_expiry (member_id, scope, expiry_day)
    select c.member_id, c.scope, c.expiry_day from private.current_next_expiry(p_members) c
    returning scope, expiry_day
  ), diff as (
    select scope, expiry_day, count(*) as n from ins group by 1, 2
    union all
    select scope, expiry_day, -count(*) from fold_old_expiry group by 1, 2
  )
  insert into private.next_expiry_counts as r (expiry_day, scope, members)
  select expiry_day, scope, sum(n) from diff group by 1, 2
  on conflict (expiry_day, scope) do update set members = r.members + excluded.members;
end
$$;

-- Adds purchase deltas [{member_id, day, business_unit_id, orders}] to member_activity and moves the
-- buyer / repeat buyer counts of the buckets where a member crossed 1 or 2 orders.
create or replace function private.fold_activity(p_deltas jsonb)
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  with add as (
    select * from private.activity_of(p_deltas)
  ), up as (
    insert into private.member_activity as a (grain, bucket, scope, member_id, orders)
    select grain, bucket, scope, member_id, orders from add
    on conflict (grain, bucket, scope, member_id) do update set orders = a.orders + excluded.orders
    returning a.grain, a.bucket, a.scope, a.member_id, a.orders
  ), moved as (
    select u.grain, u.bucket, u.scope, u.orders - a.orders as before, u.orders as after
    from up u join add a using (grain, bucket, scope, member_id)
  )
  insert into private.activity_counts as r (grain, bucket, scope, buyers, repeat_buyers)
  select grain, bucket, scope, count(*) filter (where before = 0), count(*) filter (where before < 2 and after >= 2)
  from moved group by 1, 2, 3
  on conflict (grain, bucket, scope) do update
    set buyers = r.buyers + excluded.buyers, repeat_buyers = r.repeat_buyers + excluded.repeat_buyers;
end
$$;

-- Moves first purchases earlier than the known ones (from fold_sales) into member_first_purchase and
-- first_purchase_daily. Ties at the same moment go to the lowest (channel, unit).
create or replace function private.fold_first_purchases()
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  create temporary table if not exists fold_first (member_id uuid, first_at timestamptz, business_unit_id uuid, channel text,
    old_at timestamptz, old_unit uuid, old_channel text) on commit drop;
  truncate fold_first;
  insert into fold_first
  select c.member_id, c.first_at, c.business_unit_id, c.channel, o.first_at, o.business_unit_id, o.channel
  from (select distinct on (s.member_id) s.member_id, s.first_at, s.business_unit_id, s.channel
        from fold_sales s order by s.member_id, s.first_at, s.channel, s.business_unit_id) c
  left join private.member_first_purchase o on o.member_id = c.member_id
  where o.member_id is null or (c.first_at, c.channel, c.business_unit_id::text) < (o.first_at, o.channel, o.business_unit_id::text);
  insert into private.member_first_purchase as r (member_id, first_at, business_unit_id, channel)
  select member_id, first_at, business_unit_id, channel from fold_first
  on conflict (member_id) do update set first_at = excluded.first_at, business_unit_id = excluded.business_unit_id,
                                        channel = excluded.channel;
  insert into private.first_purchase_daily as r (day, business_unit_id, channel, members)
  select day, unit, channel, sum(n) from (
    select private.business_day(first_at) as day, business_unit_id as unit, channel, 1 as n from fold_first
    union all
    select private.business_day(old_at), old_unit, old_channel, -1 from fold_first where old_at is not null
  ) x group by 1, 2, 3
  on conflict (day, business_unit_id, channel) do update set members = r.members + excluded.members;
end
$$;

-- ── Rebuild ──────────────────────────────────────────────────────────────────────────────
-- Recomputes every rollup from the raw tables. Must run in a REPEATABLE READ transaction: the raw
-- tables are read and the deltas dropped in one snapshot, so deltas committed later (writers go on)
-- are kept and folded afterwards. The caller holds the rollup lock as a SESSION lock taken before the
-- transaction (pg_advisory_lock(private.rollup_lock_key())), so no fold commits after the snapshot was
-- taken (its deleted deltas would otherwise be counted twice or break the snapshot). Rollups are
-- emptied by DELETE, so dashboards keep reading the old rows until the rebuild commits. The ledger is read in batches of p_batch moves by entry id.
-- Tier at posting: the member's tier_history at the entry's created_at (the trigger reads the
-- member's tier when the entry is written, which is the same).
create or replace function private.rebuild_rollups(p_batch int default 1000000)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_from bigint;
  v_max bigint;
  v_batches int := 0;
  v_started timestamptz := clock_timestamp();
begin
  perform private.assert_system_caller('rebuilding dashboard rollups');
  if current_setting('transaction_isolation') <> 'repeatable read' then
    raise exception 'rebuild_rollups must run in a REPEATABLE READ transaction (one snapshot of raw tables and deltas)'
      using errcode = '25001', hint = 'rebuild_needs_snapshot';
  end if;
  if p_batch is null or p_batch not between 1000 and 100000000 then
    raise exception 'batch size must be between 1000 and 100000000, got %', coalesce(p_batch::text, 'null')
      using errcode = '22023', hint = 'batch_size_invalid', detail = json_build_object('max', 100000000)::text;
  end if;
  if not exists (select 1 from pg_catalog.pg_locks k
                 where k.locktype = 'advisory' and k.pid = pg_catalog.pg_backend_pid() and k.granted
                   and k.classid = 0 and k.objid::bigint = private.rollup_lock_key() and k.objsubid = 1) then
    raise exception 'rebuild_rollups needs the rollup lock held by the session (pg_advisory_lock(private.rollup_lock_key()) before BEGIN)'
      using errcode = '25001', hint = 'rebuild_needs_snapshot';
  end if;

  delete from private.points_delta;
  delete from private.sales_delta;
  delete from private.members_delta;
  delete from private.tier_delta;
  delete from private.tier_moves_delta;
  delete from private.points_daily;
  delete from private.open_points_by_expiry;
  delete from private.member_next_expiry;
  delete from private.next_expiry_counts;
  delete from private.sales_daily;
  delete from private.member_activity;
  delete from private.activity_counts;
  delete from private.member_first_purchase;
  delete from private.first_purchase_daily;
  delete from private.members_daily;
  delete from private.tier_counts;
  delete from private.tier_moves_daily;

  -- Points, in batches of entries.
  select coalesce(min(entry_id), 0), coalesce(max(entry_id), -1) into v_from, v_max from public.ledger_lot_moves;
  while v_from <= v_max loop
    insert into private.points_daily as r (day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind, points_in, points_out, moves)
    select private.business_day(e.occurred_at), e.business_unit_id, l.business_unit_id, l.kind,
           coalesce((select h.to_tier_id from public.tier_history h
                     where h.member_id = e.member_id and h.changed_at <= e.created_at
                     order by h.changed_at desc, h.id desc limit 1),
                    (select h.from_tier_id from public.tier_history h
                     where h.member_id = e.member_id and h.changed_at > e.created_at
                     order by h.changed_at, h.id limit 1),
                    m.tier_id),
           e.kind, sum(greatest(mv.points, 0)), sum(greatest(-mv.points, 0)), count(*)
    from public.ledger_lot_moves mv
    join public.ledger_entries e on e.id = mv.entry_id
    join public.point_lots l on l.id = mv.lot_id
    join public.members m on m.id = e.member_id
    where mv.entry_id >= v_from and mv.entry_id < v_from + p_batch
    group by 1, 2, 3, 4, 5, 6
    on conflict (day, business_unit_id, lot_unit_id, lot_kind, tier_id, kind) do update
      set points_in = r.points_in + excluded.points_in, points_out = r.points_out + excluded.points_out,
          moves = r.moves + excluded.moves;
    v_from := v_from + p_batch;
    v_batches := v_batches + 1;
  end loop;

  insert into private.open_points_by_expiry (expiry_day, lot_unit_id, lot_kind, points)
  select private.business_day(l.expires_at), l.business_unit_id, l.kind, sum(l.remaining_points)
  from public.point_lots l where l.remaining_points > 0 group by 1, 2, 3;
  insert into private.member_next_expiry (member_id, scope, expiry_day)
  select l.member_id, l.business_unit_id, private.business_day(min(l.expires_at))
  from public.point_lots l where l.remaining_points > 0 group by 1, 2
  union all
  select l.member_id, private.group_scope(), private.business_day(min(l.expires_at))
  from public.point_lots l where l.remaining_points > 0 group by 1;
  insert into private.next_expiry_counts (expiry_day, scope, members)
  select expiry_day, scope, count(*) from private.member_next_expiry group by 1, 2;

  -- Purchases (tier at recording: as for points, from tier_history at created_at).
  insert into private.sales_daily (day, business_unit_id, channel, tier_id, orders, sales)
  select private.business_day(t.occurred_at), t.business_unit_id, t.channel,
         coalesce((select h.to_tier_id from public.tier_history h
                   where h.member_id = t.member_id and h.changed_at <= t.created_at
                   order by h.changed_at desc, h.id desc limit 1),
                  (select h.from_tier_id from public.tier_history h
                   where h.member_id = t.member_id and h.changed_at > t.created_at
                   order by h.changed_at, h.id limit 1),
                  m.tier_id),
         count(*), sum(t.amount)
  from public.transactions t join public.members m on m.id = t.member_id
  group by 1, 2, 3, 4;
  insert into private.member_activity (grain, bucket, scope, member_id, orders)
  select g.grain, private.period_start(private.business_day(t.occurred_at), g.grain), s.scope, t.member_id, count(*)
  from public.transactions t
  cross join (values ('day'), ('week'), ('month')) g(grain)
  cross join lateral (values (t.business_unit_id), (private.group_scope())) s(scope)
  group by 1, 2, 3, 4;
  insert into private.activity_counts (grain, bucket, scope, buyers, repeat_buyers)
  select grain, bucket, scope, count(*), count(*) filter (where orders >= 2) from private.member_activity group by 1, 2, 3;
  insert into private.member_first_purchase (member_id, first_at, business_unit_id, channel)
  select distinct on (t.member_id) t.member_id, t.occurred_at, t.business_unit_id, t.channel
  from public.transactions t order by t.member_id, t.occurred_at, t.channel, t.business_unit_id::text;
  insert into private.first_purchase_daily (day, business_unit_id, channel, members)
  select private.business_day(first_at), business_unit_id, channel, count(*) from private.member_first_purchase group by 1, 2, 3;

  -- Members and tiers.
  insert into private.members_daily (day, scope, members)
  select private.business_day(m.created_at), coalesce(m.home_business_unit_id, private.group_scope()), count(*)
  from public.members m group by 1, 2;
  insert into private.tier_counts (tier_id, scope, members)
  select m.tier_id, coalesce(m.home_business_unit_id, private.group_scope()), count(*) from public.members m group by 1, 2;
  insert into private.tier_moves_daily (day, direction, scope, tier_id, moves)
  select private.business_day(h.changed_at), case when t.rank > f.rank then 'up' else 'down' end,
         coalesce(m.home_business_unit_id, private.group_scope()), h.to_tier_id, count(*)
  from public.tier_history h
  join public.tiers f on f.id = h.from_tier_id
  join public.tiers t on t.id = h.to_tier_id
  join public.members m on m.id = h.member_id
  where t.rank <> f.rank
  group by 1, 2, 3, 4;

  return jsonb_build_object('batches', v_batches, 'seconds', round(extract(epoch from clock_timestamp() - v_started)::numeric, 1),
                            'points_rows', (select count(*) from private.points_daily));
end
$$;
comment on function private.rebuild_rollups(int) is
  'Recomputes every dashboard rollup from the raw tables (npm run rollups:rebuild): select pg_advisory_lock(private.rollup_lock_key()); '
  'BEGIN ISOLATION LEVEL REPEATABLE READ; select private.rebuild_rollups(); COMMIT; select pg_advisory_unlock(private.rollup_lock_key()). '
  'Writers are not blocked; folds skip until it commits.';

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on private.points_daily, private.points_delta, private.open_points_by_expiry, private.member_next_expiry,
  private.next_expiry_counts, private.sales_daily, private.sales_delta, private.member_activity, private.activity_counts,
  private.member_first_purchase, private.first_purchase_daily, private.members_daily, private.members_delta,
  private.tier_counts, private.tier_delta, private.tier_moves_daily, private.tier_moves_delta
  from public, anon, authenticated;
revoke all on function private.collect_points_delta(), private.collect_sales_delta(), private.collect_member_delta(),
  private.collect_member_change(), private.collect_tier_moves_delta(), private.current_next_expiry(uuid[]),
  private.activity_of(jsonb), private.fold_rollups(), private.refresh_next_expiry(uuid[]), private.fold_activity(jsonb),
  private.fold_first_purchases(), private.rebuild_rollups(int), private.rollup_lock_key()
  from public, anon, authenticated;
grant execute on function private.fold_rollups(), private.rebuild_rollups(int), private.rollup_lock_key() to service_role;
