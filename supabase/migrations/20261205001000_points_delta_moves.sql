-- Points deltas hold only the lot moves (entry, lot, points): the trigger on ledger_lot_moves copies them without
-- lookups, which keeps the cost the rollups add to every posting small. The fold and the live reads of unfolded
-- deltas resolve the day, units, lot kind, expiry day and tier from the entry, the lot and the tier history (the
-- member's tier when the entry was written, as private.rebuild_rollups does).

-- Deltas of the old shape are folded before the table changes.
select private.fold_rollups();
drop table private.points_delta;
create table private.points_delta (
  entry_id bigint not null,
  lot_id bigint not null,
  points int not null
);
alter table private.points_delta enable row level security;
comment on table private.points_delta is
  'Append-only copies of new ledger_lot_moves rows, folded into points_daily, open_points_by_expiry and '
  'member_next_expiry by private.fold_rollups(); read with their dimensions through private.points_delta_rows.';

create view private.points_delta_rows as
select e.member_id, private.business_day(e.occurred_at) as day, e.business_unit_id, l.business_unit_id as lot_unit_id,
       l.kind as lot_kind, private.tier_at(e.member_id, e.created_at) as tier_id, e.kind,
       private.business_day(l.expires_at) as expiry_day,
       greatest(d.points, 0)::bigint as points_in, greatest(-d.points, 0)::bigint as points_out, 1::bigint as moves
from private.points_delta d
join public.ledger_entries e on e.id = d.entry_id
join public.point_lots l on l.id = d.lot_id;
comment on view private.points_delta_rows is
  'The unfolded points deltas with the dimensions of points_daily (the shape private.fold_rollups folds).';

create or replace function private.collect_points_delta()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into private.points_delta (entry_id, lot_id, points) select n.entry_id, n.lot_id, n.points from new_moves n;
  return null;
end
$$;

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
  create temporary table if not exists fold_points on commit drop as select * from private.points_delta_rows where false;
  truncate fold_points;
  with d as (delete from private.points_delta returning *)
  insert into fold_points
  select e.member_id, private.business_day(e.occurred_at), e.business_unit_id, l.business_unit_id, l.kind,
         private.tier_at(e.member_id, e.created_at), e.kind, private.business_day(l.expires_at),
         greatest(d.points, 0), greatest(-d.points, 0), 1
  from d join public.ledger_entries e on e.id = d.entry_id join public.point_lots l on l.id = d.lot_id;
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

create or replace function private.points_rows(p_from date, p_to date, p_units uuid[], p_tiers uuid[], p_lot_kinds text[])
returns table (day date, business_unit_id uuid, lot_unit_id uuid, lot_kind text, tier_id uuid, kind text,
               points_in bigint, points_out bigint)
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select r.day, r.business_unit_id, r.lot_unit_id, r.lot_kind, r.tier_id, r.kind, r.points_in, r.points_out
    from private.points_daily r
    where r.day between p_from and p_to
      and (p_units is null or r.lot_unit_id = any (p_units))
      and (p_tiers is null or r.tier_id = any (p_tiers))
      and (p_lot_kinds is null or r.lot_kind = any (p_lot_kinds))
    union all
    select d.day, d.business_unit_id, d.lot_unit_id, d.lot_kind, d.tier_id, d.kind, d.points_in, d.points_out
    from private.points_delta_rows d
    where d.day between p_from and p_to
      and (p_units is null or d.lot_unit_id = any (p_units))
      and (p_tiers is null or d.tier_id = any (p_tiers))
      and (p_lot_kinds is null or d.lot_kind = any (p_lot_kinds));
end
$$;

create or replace function public.metric_points_expiring(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (horizon text, points bigint, members bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
  v_today date := private.business_today();
  v_scope uuid;
  v_touched uuid[];
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  v_scope := case when a.units is null then private.group_scope() when cardinality(a.units) = 1 then a.units[1] end;
  v_touched := array(select distinct d.member_id from private.points_delta_rows d);
  return query
    with h(horizon, days, ord) as (values ('d7', 7, 1), ('d30', 30, 2), ('d90', 90, 3)),
    open_points as (
      select o.expiry_day, o.points from private.open_points_by_expiry o
      where o.expiry_day <= v_today + 90 and (a.units is null or o.lot_unit_id = any (a.units))
        and (a.lot_kinds is null or o.lot_kind = any (a.lot_kinds))
      union all
      select d.expiry_day, d.points_in - d.points_out from private.points_delta_rows d
      where d.expiry_day <= v_today + 90 and (a.units is null or d.lot_unit_id = any (a.units))
        and (a.lot_kinds is null or d.lot_kind = any (a.lot_kinds))
    ),
    -- Members by earliest open expiry day: the counts, with the members touched since the last fold
    -- taken out and counted again from their lots.
    next_days as (
      select c.expiry_day, c.members from private.next_expiry_counts c
      where v_scope is not null and c.scope = v_scope and c.expiry_day <= v_today + 90
      union all
      select n.expiry_day, -1 from private.member_next_expiry n
      where v_scope is not null and n.scope = v_scope and n.member_id = any (v_touched) and n.expiry_day <= v_today + 90
      union all
      select c.expiry_day, 1 from private.current_next_expiry(v_touched) c
      where v_scope is not null and c.scope = v_scope and c.expiry_day <= v_today + 90
    )
    select h.horizon,
           coalesce((select sum(o.points) from open_points o where o.expiry_day <= v_today + h.days), 0)::bigint,
           case when v_scope is not null
                then coalesce((select sum(n.members) from next_days n where n.expiry_day <= v_today + h.days), 0)::bigint
                else (select count(distinct l.member_id) from public.point_lots l
                      where l.remaining_points > 0 and l.business_unit_id = any (a.units)
                        and l.expires_at < ((v_today + h.days + 1)::timestamp at time zone private.business_time_zone()))
           end
    from h order by h.ord;
end
$$;

revoke all on private.points_delta, private.points_delta_rows from public, anon, authenticated;
