-- Dashboard metrics: one public function per metric (core/metrics/metrics/<key>.ts describes each), all
-- with the calling convention of core/metrics/types.ts:
--   public.metric_<key>(p_from date, p_to date, p_grain text, p_business_units uuid[], p_tiers text[], p_lot_kinds text[])
-- They read the rollups plus the deltas not folded yet (exact at once), never the raw ledger, except
-- where a distinct count over several chosen units cannot come from a rollup (then the raw rows of the
-- chosen units and buckets are counted). Access: admin, director and analyst read group-wide; staff and
-- managers only their units (a filter naming another unit is refused). Bad parameters are refused with
-- a reason code before any work is done.

-- ── Limits (core/metrics/limits.ts states the same; the registry parity test compares) ────
create or replace function private.metric_limits()
returns jsonb
language sql immutable
as $$
  select '{"max_range_days": 1096, "default_range_days": 30, "max_filter_values": 100,
           "drill_max_limit": 500, "drill_max_offset": 1000000, "earliest_day": "2000-01-01", "latest_day": "2100-12-31"}'::jsonb
$$;
comment on function private.metric_limits() is
  'Bounds of metric and drill parameters: longest range (3 years), default range, filter sizes, drill page size and offset, date bounds.';

-- The lot kinds a lot_kind filter may name (core/enums/lot-kinds.ts; the point_lots.kind check lists the same).
create or replace function private.lot_kinds()
returns text[]
language sql immutable
as $$ select array['shopping', 'campaign', 'compensation', 'birthday', 'adjustment', 'other'] $$;

-- ── Settings: the value of a point ───────────────────────────────────────────────────────
create table public.analytics_settings (
  key text primary key check (key in ('point_value_yuan')),
  value numeric(12, 6) not null check (value > 0 and value <= 100),
  updated_by uuid default auth.uid(),
  updated_at timestamptz not null default now()
);
comment on table public.analytics_settings is
  'Settings of dashboards and reports: point_value_yuan, the money value of one point (outstanding points as a liability). '
  'Changed by administrators through public.set_point_value_yuan; audited.';
insert into public.analytics_settings (key, value) values ('point_value_yuan', 0.01);

create or replace function private.point_value_yuan()
returns numeric
language plpgsql stable security definer set search_path = ''
as $$
begin
  return coalesce((select s.value from public.analytics_settings s where s.key = 'point_value_yuan'), 0.01);
end
$$;

create or replace function public.set_point_value_yuan(p_value numeric, p_reason text default null)
returns numeric
language plpgsql security definer set search_path = ''
as $$
begin
  if not private.has_role('admin') and not private.is_system_caller() then
    raise exception 'permission denied: only administrators set the point value' using errcode = '42501',
      hint = 'point_value_admin_only';
  end if;
  if p_value is null or p_value <= 0 or p_value > 100 or p_value <> round(p_value, 6) then
    raise exception 'a point is worth more than 0 and at most 100 yuan (6 decimals), got %', coalesce(p_value::text, 'null')
      using errcode = '22023', hint = 'point_value_invalid', detail = json_build_object('max', 100)::text;
  end if;
  perform set_config('app.reason', coalesce(nullif(btrim(left(p_reason, 500)), ''), 'point-value'), true);
  update public.analytics_settings set value = p_value, updated_by = auth.uid(), updated_at = now()
  where key = 'point_value_yuan';
  perform set_config('app.reason', '', true);
  return p_value;
end
$$;
comment on function public.set_point_value_yuan(numeric, text) is
  'Sets the money value of one point in yuan (0 < value <= 100); administrators only; audited with the reason.';

create trigger audit after insert or update or delete on public.analytics_settings
  for each row execute function private.audit_row('key');
alter table public.analytics_settings enable row level security;
create policy "staff read analytics settings" on public.analytics_settings
  for select to authenticated using ((select private.is_staff_user()));
revoke all on public.analytics_settings from anon, authenticated, service_role;
grant select on public.analytics_settings to authenticated, service_role;

-- ── Access and parameters ────────────────────────────────────────────────────────────────
-- The units the caller may read, narrowed by p_units: null means every unit (group-wide readers and
-- system callers asking for all). Staff and managers get their own units; naming another is refused.
create or replace function private.metric_units(p_units uuid[])
returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_mine uuid[];
begin
  if private.is_system_caller() or private.has_group_role('{director,analyst}') then
    return p_units;
  end if;
  if auth.uid() is null then
    raise exception 'permission denied: dashboards need a signed-in user' using errcode = '42501', hint = 'not_signed_in';
  end if;
  v_mine := array(select distinct ra.business_unit_id from public.role_assignments ra
                  where ra.user_id = auth.uid() and ra.business_unit_id is not null
                    and ra.role in ('staff', 'manager', 'director', 'analyst'));
  if cardinality(v_mine) = 0 then
    raise exception 'permission denied: no business unit to read dashboards for' using errcode = '42501',
      hint = 'dashboard_access_denied';
  end if;
  if p_units is null then
    return v_mine;
  end if;
  if not (p_units <@ v_mine) then
    raise exception 'permission denied: a business unit of the filter is not yours' using errcode = '42501',
      hint = 'dashboard_unit_out_of_scope',
      detail = json_build_object('business_unit_ids', array(select unnest(p_units) except select unnest(v_mine)))::text;
  end if;
  return p_units;
end
$$;

-- Checks a metric's parameters and resolves them: the range (default: the last 30 days up to today),
-- the grain, the units the caller reads (null: all), the tier ids of the tier codes, the lot kinds.
create or replace function private.metric_args(
  p_from date, p_to date, p_grain text, p_business_units uuid[], p_tiers text[], p_lot_kinds text[],
  out from_day date, out to_day date, out grain text, out units uuid[], out tier_ids uuid[], out lot_kinds text[])
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.metric_limits();
  v_max int := (v_limits ->> 'max_filter_values')::int;
  v_unknown text[];
begin
  to_day := coalesce(p_to, private.business_today());
  from_day := coalesce(p_from, to_day - ((v_limits ->> 'default_range_days')::int - 1));
  if from_day < (v_limits ->> 'earliest_day')::date or to_day > (v_limits ->> 'latest_day')::date then
    raise exception 'dates must lie between % and %', v_limits ->> 'earliest_day', v_limits ->> 'latest_day'
      using errcode = '22023', hint = 'metric_date_out_of_range',
      detail = json_build_object('from', from_day, 'to', to_day)::text;
  end if;
  if from_day > to_day then
    raise exception 'the range starts (%) after it ends (%)', from_day, to_day using errcode = '22023',
      hint = 'metric_range_inverted', detail = json_build_object('from', from_day, 'to', to_day)::text;
  end if;
  if to_day - from_day + 1 > (v_limits ->> 'max_range_days')::int then
    raise exception 'the range is % days, at most % are allowed', to_day - from_day + 1, v_limits ->> 'max_range_days'
      using errcode = '22023', hint = 'metric_range_too_long',
      detail = json_build_object('days', to_day - from_day + 1, 'max', (v_limits ->> 'max_range_days')::int)::text;
  end if;
  grain := coalesce(p_grain, 'day');
  if grain not in ('day', 'week', 'month') then
    raise exception 'unknown grain % (day, week or month)', grain using errcode = '22023',
      hint = 'metric_grain_unknown', detail = json_build_object('grain', grain)::text;
  end if;
  if coalesce(cardinality(p_business_units), 0) > v_max or coalesce(cardinality(p_tiers), 0) > v_max
     or coalesce(cardinality(p_lot_kinds), 0) > v_max then
    raise exception 'a filter lists more than % values', v_max using errcode = '22023',
      hint = 'metric_filter_too_long', detail = json_build_object('max', v_max)::text;
  end if;
  if array_position(p_business_units, null) is not null or array_position(p_tiers, null) is not null
     or array_position(p_lot_kinds, null) is not null then
    raise exception 'a filter value is null' using errcode = '22023', hint = 'metric_filter_invalid';
  end if;
  if p_business_units is not null then
    v_unknown := array(select u::text from unnest(p_business_units) u
                       except select bu.id::text from public.business_units bu);
    if cardinality(v_unknown) > 0 then
      raise exception 'unknown business unit(s) %', v_unknown using errcode = '22023',
        hint = 'metric_unit_unknown', detail = json_build_object('values', v_unknown)::text;
    end if;
  end if;
  if p_tiers is not null then
    v_unknown := array(select t from unnest(p_tiers) t except select tr.code from public.tiers tr);
    if cardinality(v_unknown) > 0 then
      raise exception 'unknown tier(s) %', v_unknown using errcode = '22023',
        hint = 'metric_tier_unknown', detail = json_build_object('values', v_unknown)::text;
    end if;
    tier_ids := array(select tr.id from public.tiers tr where tr.code = any (p_tiers));
  end if;
  if p_lot_kinds is not null then
    v_unknown := array(select k from unnest(p_lot_kinds) k except select unnest(private.lot_kinds()));
    if cardinality(v_unknown) > 0 then
      raise exception 'unknown lot kind(s) %', v_unknown using errcode = '22023',
        hint = 'metric_lot_kind_unknown', detail = json_build_object('values', v_unknown)::text;
    end if;
    lot_kinds := p_lot_kinds;
  end if;
  units := private.metric_units(p_business_units);
end
$$;

-- Points rollup rows (folded and not yet folded) of a range and filters.
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
    from private.points_delta d
    where d.day between p_from and p_to
      and (p_units is null or d.lot_unit_id = any (p_units))
      and (p_tiers is null or d.tier_id = any (p_tiers))
      and (p_lot_kinds is null or d.lot_kind = any (p_lot_kinds));
end
$$;

-- Issued (earned, less reversed earnings), redeemed (less reversed redemptions) and expired points of a
-- group of points rows: the measures of points_flow, redemption_rate and earn_redeem_by_tier.
create or replace function private.issued(p_kind text, p_in bigint, p_out bigint)
returns bigint language sql immutable
as $$ select case p_kind when 'earn' then p_in when 'reverse' then -p_out else 0 end $$;
create or replace function private.redeemed(p_kind text, p_in bigint, p_out bigint)
returns bigint language sql immutable
as $$ select case p_kind when 'redeem' then p_out when 'reverse' then -p_in else 0 end $$;
create or replace function private.expired(p_kind text, p_in bigint, p_out bigint)
returns bigint language sql immutable
as $$ select case p_kind when 'expire' then p_out else 0 end $$;

-- ── Points ───────────────────────────────────────────────────────────────────────────────
create or replace function public.metric_points_flow(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, business_unit uuid, issued bigint, redeemed bigint, expired bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select private.period_start(r.day, a.grain), r.lot_unit_id,
           sum(private.issued(r.kind, r.points_in, r.points_out))::bigint,
           sum(private.redeemed(r.kind, r.points_in, r.points_out))::bigint,
           sum(private.expired(r.kind, r.points_in, r.points_out))::bigint
    from private.points_rows(a.from_day, a.to_day, a.units, a.tier_ids, a.lot_kinds) r
    group by 1, 2
    order by 1, 2;
end
$$;
comment on function public.metric_points_flow(date, date, text, uuid[], text[], text[]) is
  'Points issued (earned less reversed earnings), redeemed (less reversed redemptions) and expired per period and '
  'issuing unit (the unit of the lot the points belong to), by business day of the entry.';

create or replace function public.metric_redemption_rate(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, issued bigint, redeemed bigint, rate numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select x.period, x.issued, x.redeemed,
           case when x.issued > 0 then round(x.redeemed::numeric / x.issued, 4) end
    from (select private.period_start(r.day, a.grain) as period,
                 sum(private.issued(r.kind, r.points_in, r.points_out))::bigint as issued,
                 sum(private.redeemed(r.kind, r.points_in, r.points_out))::bigint as redeemed
          from private.points_rows(a.from_day, a.to_day, a.units, a.tier_ids, a.lot_kinds) r
          group by 1) x
    order by 1;
end
$$;
comment on function public.metric_redemption_rate(date, date, text, uuid[], text[], text[]) is
  'Redemption rate (核销率) per period: points redeemed / points issued in the same period (null when none were issued).';

create or replace function public.metric_earn_redeem_by_tier(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (tier text, issued bigint, redeemed bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select t.code, x.issued, x.redeemed
    from (select r.tier_id,
                 sum(private.issued(r.kind, r.points_in, r.points_out))::bigint as issued,
                 sum(private.redeemed(r.kind, r.points_in, r.points_out))::bigint as redeemed
          from private.points_rows(a.from_day, a.to_day, a.units, a.tier_ids, a.lot_kinds) r
          group by 1) x
    join public.tiers t on t.id = x.tier_id
    order by t.rank;
end
$$;
comment on function public.metric_earn_redeem_by_tier(date, date, text, uuid[], text[], text[]) is
  'Points issued and redeemed in the range per member tier at the time of posting.';

-- Outstanding points per issuing unit at the end of a business day (every move up to it).
create or replace function private.outstanding(p_to date, p_units uuid[], p_lot_kinds text[])
returns table (business_unit uuid, points bigint)
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select r.lot_unit_id, sum(r.points_in - r.points_out)::bigint
    from private.points_rows('1900-01-01', p_to, p_units, null, p_lot_kinds) r
    group by 1
    order by 1;
end
$$;

create or replace function public.metric_points_outstanding(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (business_unit uuid, points bigint, value_yuan numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
  v_value numeric := private.point_value_yuan();
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select o.business_unit, o.points, round(o.points * v_value, 2)
    from private.outstanding(a.to_day, a.units, a.lot_kinds) o;
end
$$;
comment on function public.metric_points_outstanding(date, date, text, uuid[], text[], text[]) is
  'Outstanding points (the points liability) per issuing unit at the end of p_to, and their value in yuan '
  '(public.analytics_settings point_value_yuan).';

-- Open points expiring within 7, 30 and 90 days of today (business days; lots already due but not yet
-- expired by the nightly run count as expiring), and the members holding them. The horizons are nested.
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
  v_touched := array(select distinct d.member_id from private.points_delta d);
  return query
    with h(horizon, days, ord) as (values ('d7', 7, 1), ('d30', 30, 2), ('d90', 90, 3)),
    open_points as (
      select o.expiry_day, o.points from private.open_points_by_expiry o
      where o.expiry_day <= v_today + 90 and (a.units is null or o.lot_unit_id = any (a.units))
        and (a.lot_kinds is null or o.lot_kind = any (a.lot_kinds))
      union all
      select d.expiry_day, d.points_in - d.points_out from private.points_delta d
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
comment on function public.metric_points_expiring(date, date, text, uuid[], text[], text[]) is
  'Open points whose lot expires within 7/30/90 days of today (horizon d7, d30, d90; due but not yet expired lots '
  'included) and the members holding them (members ignore the lot kind filter). Range and grain are ignored.';

-- ── Members and tiers ────────────────────────────────────────────────────────────────────
create or replace function public.metric_tier_distribution(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (tier text, members bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select t.code, coalesce(sum(x.members), 0)::bigint
    from public.tiers t
    left join (select c.tier_id, c.scope, c.members from private.tier_counts c
               union all
               select d.tier_id, d.scope, d.members from private.tier_delta d) x
      on x.tier_id = t.id and (a.units is null or x.scope = any (a.units))
    where a.tier_ids is null or t.id = any (a.tier_ids)
    group by t.code, t.rank
    order by t.rank;
end
$$;
comment on function public.metric_tier_distribution(date, date, text, uuid[], text[], text[]) is
  'Members per current tier (every status), by home unit when units are chosen. Range and grain are ignored.';

create or replace function public.metric_tier_movements(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, direction text, members bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select private.period_start(x.day, a.grain), x.direction, sum(x.moves)::bigint
    from (select r.day, r.direction, r.scope, r.tier_id, r.moves from private.tier_moves_daily r
          union all
          select d.day, d.direction, d.scope, d.tier_id, d.moves from private.tier_moves_delta d) x
    where x.day between a.from_day and a.to_day
      and (a.units is null or x.scope = any (a.units))
      and (a.tier_ids is null or x.tier_id = any (a.tier_ids))
    group by 1, 2
    having sum(x.moves) <> 0
    order by 1, 2;
end
$$;
comment on function public.metric_tier_movements(date, date, text, uuid[], text[], text[]) is
  'Tier changes up and down per period (a member changing twice counts twice), by home unit and by the tier reached.';

-- Buyers and repeat buyers (2 orders or more) per whole bucket of the range: from the rollup for all units
-- or one unit (plus the purchases not folded yet), from the purchases themselves for several units.
create or replace function private.buyers(p_grain text, p_from date, p_to date, p_units uuid[])
returns table (bucket date, buyers bigint, repeat_buyers bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_first date := private.period_start(p_from, p_grain);
  v_last date := private.period_start(p_to, p_grain);
  v_scope uuid := case when p_units is null then private.group_scope() when cardinality(p_units) = 1 then p_units[1] end;
  v_end timestamptz;
begin
  if v_scope is null then
    v_end := ((v_last + case p_grain when 'day' then interval '1 day' when 'week' then interval '7 days' else interval '1 month' end)::timestamp
              at time zone private.business_time_zone());
    return query
      select x.bucket, count(*), count(*) filter (where x.orders >= 2)
      from (select private.period_start(private.business_day(t.occurred_at), p_grain) as bucket, t.member_id, count(*) as orders
            from public.transactions t
            where t.business_unit_id = any (p_units)
              and t.occurred_at >= (v_first::timestamp at time zone private.business_time_zone()) and t.occurred_at < v_end
            group by 1, 2) x
      group by 1 order by 1;
    return;
  end if;
  return query
    with pending as (
      select p.grain, p.bucket, p.scope, p.member_id, p.orders
      from private.activity_of((select jsonb_agg(jsonb_build_object('member_id', d.member_id, 'day', d.day,
                                  'business_unit_id', d.business_unit_id, 'orders', d.orders))
                                from private.sales_delta d
                                where d.day >= v_first and d.day < v_last + 31)) p
      where p.grain = p_grain and p.scope = v_scope and p.bucket between v_first and v_last
    ), moved as (
      select p.bucket, coalesce(m.orders, 0) as before, coalesce(m.orders, 0) + p.orders as after
      from pending p
      left join private.member_activity m
        on m.grain = p_grain and m.bucket = p.bucket and m.scope = v_scope and m.member_id = p.member_id
    )
    select x.bucket, sum(x.buyers)::bigint, sum(x.repeat_buyers)::bigint
    from (select c.bucket, c.buyers, c.repeat_buyers from private.activity_counts c
          where c.grain = p_grain and c.scope = v_scope and c.bucket between v_first and v_last
          union all
          select mv.bucket, count(*) filter (where mv.before = 0), count(*) filter (where mv.before < 2 and mv.after >= 2)
          from moved mv group by 1) x
    group by 1 order by 1;
end
$$;

-- New members per day of the range by home unit (rollup plus deltas).
create or replace function private.new_members(p_from date, p_to date, p_units uuid[])
returns table (day date, members bigint)
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select x.day, sum(x.members)::bigint
    from (select r.day, r.scope, r.members from private.members_daily r
          union all
          select d.day, d.scope, d.members from private.members_delta d) x
    where x.day between p_from and p_to and (p_units is null or x.scope = any (p_units))
    group by 1;
end
$$;

create or replace function public.metric_member_growth(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, new_members bigint, active_members bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    with n as (
      select private.period_start(m.day, a.grain) as period, sum(m.members)::bigint as members
      from private.new_members(a.from_day, a.to_day, a.units) m group by 1
    ), b as (
      select x.bucket as period, x.buyers from private.buyers(a.grain, a.from_day, a.to_day, a.units) x
    )
    select coalesce(n.period, b.period), coalesce(n.members, 0), coalesce(b.buyers, 0)
    from n full join b on b.period = n.period
    where coalesce(n.members, 0) <> 0 or coalesce(b.buyers, 0) <> 0
    order by 1;
end
$$;
comment on function public.metric_member_growth(date, date, text, uuid[], text[], text[]) is
  'New members (registered in the range, by home unit) and active members (members with a purchase in the bucket, '
  'at the chosen units; counted over whole buckets) per period.';

create or replace function public.metric_repurchase_rate(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, buyers bigint, repeat_buyers bigint, rate numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select x.bucket, x.buyers, x.repeat_buyers, case when x.buyers > 0 then round(x.repeat_buyers::numeric / x.buyers, 4) end
    from private.buyers(a.grain, a.from_day, a.to_day, a.units) x
    where x.buyers <> 0
    order by 1;
end
$$;
comment on function public.metric_repurchase_rate(date, date, text, uuid[], text[], text[]) is
  'Repurchase rate per period: members with at least 2 purchases in the bucket / members with a purchase (whole buckets).';

create or replace function public.metric_average_order_value(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, business_unit uuid, orders bigint, sales_yuan numeric, aov_yuan numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select x.period, x.unit, x.orders, x.sales, case when x.orders > 0 then round(x.sales / x.orders, 2) end
    from (select private.period_start(s.day, a.grain) as period, s.business_unit_id as unit,
                 sum(s.orders)::bigint as orders, sum(s.sales) as sales
          from (select r.day, r.business_unit_id, r.tier_id, r.orders, r.sales from private.sales_daily r
                where r.day between a.from_day and a.to_day
                union all
                select d.day, d.business_unit_id, d.tier_id, d.orders, d.sales from private.sales_delta d
                where d.day between a.from_day and a.to_day) s
          where (a.units is null or s.business_unit_id = any (a.units))
            and (a.tier_ids is null or s.tier_id = any (a.tier_ids))
          group by 1, 2) x
    order by 1, 2;
end
$$;
comment on function public.metric_average_order_value(date, date, text, uuid[], text[], text[]) is
  'Orders, sales (yuan) and average order value per period and unit of the purchase, by business day of occurred_at; '
  'the tier filter is the member''s tier when the purchase was recorded.';

-- First purchases of the given purchase deltas that come before the member's known first purchase.
create or replace function private.first_purchase_changes(p_deltas jsonb)
returns table (first_at timestamptz, business_unit_id uuid, channel text, old_at timestamptz, old_unit uuid, old_channel text)
language sql stable security definer set search_path = ''
as $$
  select c.first_at, c.business_unit_id, c.channel, o.first_at, o.business_unit_id, o.channel
  from (select distinct on (d.member_id) d.member_id, d.first_at, d.business_unit_id, d.channel
        from jsonb_to_recordset(p_deltas) as d(member_id uuid, first_at timestamptz, business_unit_id uuid, channel text)
        order by d.member_id, d.first_at, d.channel, d.business_unit_id::text) c
  left join private.member_first_purchase o on o.member_id = c.member_id
  where o.member_id is null
     or (c.first_at, c.channel, c.business_unit_id::text) < (o.first_at, o.channel, o.business_unit_id::text)
$$;

create or replace function public.metric_member_channels(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (channel text, members bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    with pending as (
      select * from private.first_purchase_changes((select jsonb_agg(jsonb_build_object('member_id', d.member_id,
        'first_at', d.first_at, 'business_unit_id', d.business_unit_id, 'channel', d.channel)) from private.sales_delta d))
    ), x as (
      select r.day, r.business_unit_id, r.channel, r.members from private.first_purchase_daily r
      union all
      select private.business_day(p.first_at), p.business_unit_id, p.channel, 1 from pending p
      union all
      select private.business_day(p.old_at), p.old_unit, p.old_channel, -1 from pending p where p.old_at is not null
    )
    select x.channel, sum(x.members)::bigint
    from x
    where x.day between a.from_day and a.to_day and (a.units is null or x.business_unit_id = any (a.units))
    group by 1
    having sum(x.members) <> 0
    order by 2 desc, 1;
end
$$;
comment on function public.metric_member_channels(date, date, text, uuid[], text[], text[]) is
  'How members came: members whose first purchase falls in the range, by the channel (and unit filter) of that first '
  'purchase. Members carry no source channel, so the first purchase''s channel stands for it.';

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
do $$
declare
  f text;
begin
  foreach f in array array['metric_points_flow', 'metric_redemption_rate', 'metric_earn_redeem_by_tier',
                           'metric_points_outstanding', 'metric_points_expiring', 'metric_tier_distribution',
                           'metric_tier_movements', 'metric_member_growth', 'metric_repurchase_rate',
                           'metric_average_order_value', 'metric_member_channels'] loop
    execute format('revoke all on function public.%I(date, date, text, uuid[], text[], text[]) from public, anon', f);
    execute format('grant execute on function public.%I(date, date, text, uuid[], text[], text[]) to authenticated, service_role', f);
  end loop;
end
$$;
revoke all on function public.set_point_value_yuan(numeric, text) from public, anon;
grant execute on function public.set_point_value_yuan(numeric, text) to authenticated, service_role;
revoke all on function private.metric_units(uuid[]), private.metric_args(date, date, text, uuid[], text[], text[]),
  private.points_rows(date, date, uuid[], uuid[], text[]), private.outstanding(date, uuid[], text[]),
  private.buyers(text, date, date, uuid[]), private.new_members(date, date, uuid[]),
  private.first_purchase_changes(jsonb), private.point_value_yuan()
  from public, anon, authenticated;
