-- Dashboards: settlement between business units as a metric: net settlement per unit per month.
--
-- The checks of a metric's parameters move out of private.metric_args into private.metric_checks (unchanged: range,
-- grain, filter lengths, known units, tiers and lot kinds), so a metric that scopes its units by other rights than the
-- points dashboards can reuse them: settlement is read by whom private.settlement_units() names (finance, directors,
-- managers of a unit, group-wide finance and directors, admins), not by private.metric_units (staff, managers,
-- directors, analysts). private.metric_args keeps its signature and behaviour.

create or replace function private.metric_checks(
  p_from date, p_to date, p_grain text, p_business_units uuid[], p_tiers text[], p_lot_kinds text[],
  out from_day date, out to_day date, out grain text, out tier_ids uuid[], out lot_kinds text[])
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
end
$$;

create or replace function private.metric_args(
  p_from date, p_to date, p_grain text, p_business_units uuid[], p_tiers text[], p_lot_kinds text[],
  out from_day date, out to_day date, out grain text, out units uuid[], out tier_ids uuid[], out lot_kinds text[])
language plpgsql stable security definer set search_path = ''
as $$
declare
  c record;
begin
  select * into c from private.metric_checks(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  from_day := c.from_day;
  to_day := c.to_day;
  grain := c.grain;
  tier_ids := c.tier_ids;
  lot_kinds := c.lot_kinds;
  units := private.metric_units(p_business_units);
end
$$;

-- Net settlement per business unit and settlement month (its receivable: the positive entries, its payable: the
-- negative ones, as a positive amount; net = receivable - payable), in yuan. Settlement is monthly, so the periods are
-- the settlement months (named by their first day) that overlap the range, whatever the grain. Scoped like the
-- statements (private.settlement_units()), and by group-wide analysts (and admins), who read every dashboard of the
-- group; a unit of the filter outside the caller's is refused.
create or replace function public.metric_settlement_net(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, business_unit uuid, receivable_yuan numeric, payable_yuan numeric, net_yuan numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  c record;
  v_mine uuid[];
  v_units uuid[];
begin
  select * into c from private.metric_checks(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  if not private.is_system_caller() and auth.uid() is null then
    raise exception 'permission denied: dashboards need a signed-in user' using errcode = '42501', hint = 'not_signed_in';
  end if;
  -- Analysts read every dashboard group-wide: the aggregate per unit, never the statements or entries.
  v_mine := case when private.is_system_caller() or private.has_group_role('{analyst}') then null else private.settlement_units() end;
  if v_mine is not null and cardinality(v_mine) = 0 then
    raise exception 'permission denied: no business unit to read settlement for' using errcode = '42501',
      hint = 'dashboard_access_denied';
  end if;
  if p_business_units is not null and v_mine is not null and not (p_business_units <@ v_mine) then
    raise exception 'permission denied: a business unit of the filter is not yours' using errcode = '42501',
      hint = 'dashboard_unit_out_of_scope',
      detail = json_build_object('business_unit_ids', array(select unnest(p_business_units) except select unnest(v_mine)))::text;
  end if;
  v_units := coalesce(p_business_units, v_mine);
  return query
    select e.period, e.business_unit_id,
           round(coalesce(sum(e.amount_fen) filter (where e.amount_fen > 0), 0) / 100.0, 2),
           round(coalesce(-sum(e.amount_fen) filter (where e.amount_fen < 0), 0) / 100.0, 2),
           round(sum(e.amount_fen) / 100.0, 2)
    from public.settlement_entries e
    where e.period between date_trunc('month', c.from_day)::date and c.to_day
      and (v_units is null or e.business_unit_id = any (v_units))
    group by e.period, e.business_unit_id
    order by e.period, e.business_unit_id;
end
$$;
comment on function public.metric_settlement_net(date, date, text, uuid[], text[], text[]) is
  'Net settlement between business units per settlement month and unit, in yuan: receivable (entries it receives), '
  'payable (entries it pays, positive) and net. Months overlapping the range; the grain, tiers and lot kinds are ignored. '
  'Read as private.settlement_units() allows (finance, directors, managers of their unit; group-wide finance, directors, '
  'admins) and by group-wide analysts.';

revoke all on function private.metric_checks(date, date, text, uuid[], text[], text[]) from public, anon, authenticated;
revoke all on function public.metric_settlement_net(date, date, text, uuid[], text[], text[]) from public, anon;
grant execute on function public.metric_settlement_net(date, date, text, uuid[], text[], text[]) to authenticated, service_role;
