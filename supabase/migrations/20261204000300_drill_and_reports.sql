-- Drill-downs (the records behind a dashboard point) and reports: consumption, expired points per month
-- and unit with the finance write-off confirm-and-lock, and the points liability per unit at any date.
-- Same access as the metrics (private.metric_args); records show the member number and name, never
-- phone or e-mail. Exports of the records go through public.record_export (the app calls it).

-- Business-time ranges of the ledger and of purchases are read through BRIN indexes (rows arrive
-- roughly in time order; a BRIN index costs the write path almost nothing).
create index ledger_entries_occurred_brin on public.ledger_entries using brin (occurred_at);
create index transactions_occurred_brin on public.transactions using brin (occurred_at);
create index tier_history_changed_idx on public.tier_history (changed_at);

-- The instant a business day starts.
create or replace function private.business_day_start(p_day date)
returns timestamptz
language sql immutable
as $$ select p_day::timestamp at time zone private.business_time_zone() $$;

-- A member's tier at a moment (tier_history; members without history kept their tier throughout).
create or replace function private.tier_at(p_member_id uuid, p_at timestamptz)
returns uuid
language sql stable security definer set search_path = ''
as $$
  select coalesce((select h.to_tier_id from public.tier_history h
                   where h.member_id = p_member_id and h.changed_at <= p_at order by h.changed_at desc, h.id desc limit 1),
                  (select h.from_tier_id from public.tier_history h
                   where h.member_id = p_member_id and h.changed_at > p_at order by h.changed_at, h.id limit 1),
                  (select m.tier_id from public.members m where m.id = p_member_id))
$$;

create or replace function private.assert_page(p_limit int, p_offset int)
returns void
language plpgsql immutable set search_path = ''
as $$
declare
  v_limits jsonb := private.metric_limits();
begin
  if p_limit is null or p_limit not between 1 and (v_limits ->> 'drill_max_limit')::int
     or p_offset is null or p_offset not between 0 and (v_limits ->> 'drill_max_offset')::int then
    raise exception 'page size must be between 1 and % and offset between 0 and %', v_limits ->> 'drill_max_limit',
      v_limits ->> 'drill_max_offset' using errcode = '22023', hint = 'drill_page_invalid',
      detail = json_build_object('max', (v_limits ->> 'drill_max_limit')::int)::text;
  end if;
end
$$;

-- ── Drill-downs ──────────────────────────────────────────────────────────────────────────
-- Ledger entries of the given kinds behind points_flow / redemption_rate: entries dated in the range whose
-- moves touch lots of the chosen issuing units and kinds, posted while the member had one of the tiers.
-- points: the signed sum of those moves.
create or replace function private.drill_points(a record, p_kinds text[], p_limit int, p_offset int)
returns table (entry_id bigint, occurred_at timestamptz, member_no text, member_name text, business_unit uuid,
               issuing_unit uuid, kind text, points bigint, total_count bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
    select e.id, e.occurred_at, m.member_no, m.name, e.business_unit_id, min(l.business_unit_id::text)::uuid, e.kind,
           sum(mv.points)::bigint, count(*) over ()
    from public.ledger_entries e
    join public.ledger_lot_moves mv on mv.entry_id = e.id
    join public.point_lots l on l.id = mv.lot_id
    join public.members m on m.id = e.member_id
    where e.occurred_at >= private.business_day_start(a.from_day) and e.occurred_at < private.business_day_start(a.to_day + 1)
      and e.kind = any (p_kinds)
      and (a.units is null or l.business_unit_id = any (a.units))
      and (a.lot_kinds is null or l.kind = any (a.lot_kinds))
      and (a.tier_ids is null or private.tier_at(e.member_id, e.created_at) = any (a.tier_ids))
    group by e.id, m.member_no, m.name
    order by e.occurred_at desc, e.id desc
    limit p_limit offset p_offset;
end
$$;

create or replace function public.drill_points_flow(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null,
  p_limit int default 50, p_offset int default 0)
returns table (entry_id bigint, occurred_at timestamptz, member_no text, member_name text, business_unit uuid,
               issuing_unit uuid, kind text, points bigint, total_count bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  a record;
begin
  perform private.assert_page(p_limit, p_offset);
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query select * from private.drill_points(a, '{earn,redeem,expire,reverse}', p_limit, p_offset);
end
$$;
comment on function public.drill_points_flow(date, date, text, uuid[], text[], text[], int, int) is
  'The ledger entries behind points_flow (earn, redeem, expire, reverse), newest first, paged; total_count is the number of entries.';

create or replace function public.drill_redemption_rate(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null,
  p_limit int default 50, p_offset int default 0)
returns table (entry_id bigint, occurred_at timestamptz, member_no text, member_name text, business_unit uuid,
               issuing_unit uuid, kind text, points bigint, total_count bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  a record;
begin
  perform private.assert_page(p_limit, p_offset);
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query select * from private.drill_points(a, '{earn,redeem,reverse}', p_limit, p_offset);
end
$$;
comment on function public.drill_redemption_rate(date, date, text, uuid[], text[], text[], int, int) is
  'The earn, redeem and reverse entries behind redemption_rate, newest first, paged.';

create or replace function public.drill_average_order_value(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null,
  p_limit int default 50, p_offset int default 0)
returns table (transaction_id uuid, occurred_at timestamptz, order_no text, member_no text, member_name text,
               business_unit uuid, channel text, amount numeric, total_count bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  perform private.assert_page(p_limit, p_offset);
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select t.id, t.occurred_at, t.order_no, m.member_no, m.name, t.business_unit_id, t.channel, t.amount, count(*) over ()
    from public.transactions t join public.members m on m.id = t.member_id
    where t.occurred_at >= private.business_day_start(a.from_day) and t.occurred_at < private.business_day_start(a.to_day + 1)
      and (a.units is null or t.business_unit_id = any (a.units))
      and (a.tier_ids is null or private.tier_at(t.member_id, t.created_at) = any (a.tier_ids))
    order by t.occurred_at desc, t.id
    limit p_limit offset p_offset;
end
$$;
comment on function public.drill_average_order_value(date, date, text, uuid[], text[], text[], int, int) is
  'The purchases behind average_order_value, newest first, paged.';

create or replace function public.drill_tier_movements(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null,
  p_limit int default 50, p_offset int default 0)
returns table (changed_at timestamptz, member_no text, member_name text, home_unit uuid, from_tier text, to_tier text,
               direction text, reason text, total_count bigint)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
begin
  perform private.assert_page(p_limit, p_offset);
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    select h.changed_at, m.member_no, m.name, m.home_business_unit_id, f.code, t.code,
           case when t.rank > f.rank then 'up' else 'down' end, h.reason, count(*) over ()
    from public.tier_history h
    join public.tiers f on f.id = h.from_tier_id
    join public.tiers t on t.id = h.to_tier_id
    join public.members m on m.id = h.member_id
    where h.changed_at >= private.business_day_start(a.from_day) and h.changed_at < private.business_day_start(a.to_day + 1)
      and t.rank <> f.rank
      and (a.units is null or m.home_business_unit_id = any (a.units))
      and (a.tier_ids is null or h.to_tier_id = any (a.tier_ids))
    order by h.changed_at desc, h.id desc
    limit p_limit offset p_offset;
end
$$;
comment on function public.drill_tier_movements(date, date, text, uuid[], text[], text[], int, int) is
  'The tier changes behind tier_movements (direction up/down), newest first, paged.';

-- ── Consumption report ───────────────────────────────────────────────────────────────────
create or replace function public.report_consumption(
  p_from date default null, p_to date default null, p_business_units uuid[] default null,
  p_channels text[] default null, p_tiers text[] default null, p_limit int default 50, p_offset int default 0)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  a record;
begin
  perform private.assert_page(p_limit, p_offset);
  select * into a from private.metric_args(p_from, p_to, 'day', p_business_units, p_tiers, null);
  if coalesce(cardinality(p_channels), 0) > (private.metric_limits() ->> 'max_filter_values')::int
     or exists (select 1 from unnest(p_channels) c where c is null or c !~ '^[a-z][a-z0-9_-]{0,31}$') then
    raise exception 'a channel filter value is not a channel name' using errcode = '22023', hint = 'metric_channel_invalid';
  end if;
  return (
    with found as (
      select t.id, t.occurred_at, t.order_no, t.member_id, t.business_unit_id, t.channel, t.amount, m.member_no,
             m.name, m.tier_id
      from public.transactions t join public.members m on m.id = t.member_id
      where t.occurred_at >= private.business_day_start(a.from_day) and t.occurred_at < private.business_day_start(a.to_day + 1)
        and (a.units is null or t.business_unit_id = any (a.units))
        and (p_channels is null or t.channel = any (p_channels))
        and (a.tier_ids is null or m.tier_id = any (a.tier_ids))
    )
    select jsonb_build_object(
      'rows', (select coalesce(jsonb_agg(x order by x.occurred_at desc, x.transaction_id), '[]')
               from (select f.id as transaction_id, f.occurred_at, f.order_no, f.member_no, f.name as member_name,
                            f.business_unit_id, f.channel, f.amount, tr.code as tier
                     from found f join public.tiers tr on tr.id = f.tier_id
                     order by f.occurred_at desc, f.id limit p_limit offset p_offset) x),
      'total_orders', (select count(*) from found),
      'total_amount', (select coalesce(sum(f.amount), 0) from found f),
      'total_members', (select count(distinct f.member_id) from found f)));
end
$$;
comment on function public.report_consumption(date, date, uuid[], text[], text[], int, int) is
  'Purchases across units (消费报表) in a range of business days, filtered by unit, channel and the member''s current '
  'tier: {rows (newest first, paged; member number and name, no phone or e-mail), total_orders, total_amount, total_members}.';

-- ── Liability at any date ────────────────────────────────────────────────────────────────
create or replace function public.report_liability(p_date date default null, p_business_units uuid[] default null)
returns table (business_unit uuid, points bigint, value_yuan numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
  v_value numeric := private.point_value_yuan();
begin
  select * into a from private.metric_args(p_date, p_date, 'day', p_business_units, null, null);
  return query
    select o.business_unit, o.points, round(o.points * v_value, 2) from private.outstanding(a.to_day, a.units, null) o;
end
$$;
comment on function public.report_liability(date, uuid[]) is
  'Outstanding points per issuing unit at the end of a business day (default today) and their value in yuan.';

-- ── Expired points write-off: confirm and lock per month ─────────────────────────────────
create table public.finance_closed_periods (
  month date primary key check (month = date_trunc('month', month)::date),
  status text not null check (status in ('closed', 'reopened')),
  expired_points jsonb not null default '[]' check (jsonb_typeof(expired_points) = 'array'),
  confirmed_by uuid,
  confirmed_at timestamptz not null default now(),
  reopened_by uuid,
  reopened_at timestamptz,
  reopen_reason text check (length(reopen_reason) <= 500)
);
comment on table public.finance_closed_periods is
  'Months whose expired points finance has written off (confirmed: status closed). No posting may be dated in a closed '
  'month (earn, redeem, expire, adjust, reverse); only an administrator reopens one, with a reason. Audited.';

create or replace function private.refuse_closed_period_posting()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_month date;
begin
  select p.month into v_month
  from public.finance_closed_periods p
  where p.status = 'closed'
    and p.month in (select distinct date_trunc('month', private.business_day(n.occurred_at))::date from new_rows n)
  limit 1;
  if v_month is not null then
    raise exception 'the finance period % is confirmed and locked: no posting may be dated in it', to_char(v_month, 'YYYY-MM')
      using errcode = '22023', hint = 'finance_period_closed', detail = json_build_object('month', to_char(v_month, 'YYYY-MM'))::text;
  end if;
  return null;
end
$$;
create trigger refuse_closed_period after insert on public.ledger_entries
  referencing new table as new_rows
  for each statement execute function private.refuse_closed_period_posting();

create or replace function private.assert_month(p_month date)
returns void
language plpgsql immutable set search_path = ''
as $$
begin
  if p_month is null or p_month <> date_trunc('month', p_month)::date or p_month < '2000-01-01' or p_month > '2100-12-01' then
    raise exception 'a period is the first day of a month, got %', coalesce(p_month::text, 'null') using errcode = '22023',
      hint = 'finance_period_invalid';
  end if;
end
$$;

create or replace function public.report_expired_points(
  p_from date default null, p_to date default null, p_business_units uuid[] default null)
returns table (month date, business_unit uuid, points bigint, value_yuan numeric, confirmed boolean, confirmed_at timestamptz)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
  v_value numeric := private.point_value_yuan();
begin
  select * into a from private.metric_args(p_from, p_to, 'month', p_business_units, null, null);
  return query
    select x.month, x.unit, x.points, round(x.points * v_value, 2), coalesce(p.status = 'closed', false),
           case when p.status = 'closed' then p.confirmed_at end
    from (select private.period_start(r.day, 'month') as month, r.lot_unit_id as unit,
                 sum(private.expired(r.kind, r.points_in, r.points_out))::bigint as points
          from private.points_rows(a.from_day, a.to_day, a.units, null, null) r
          where r.kind = 'expire'
          group by 1, 2) x
    left join public.finance_closed_periods p on p.month = x.month
    order by 1, 2;
end
$$;
comment on function public.report_expired_points(date, date, uuid[]) is
  'Expired points per month and issuing unit (finance write-off), their value in yuan and whether the month is confirmed.';

create or replace function public.confirm_expired_period(p_month date)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.finance_closed_periods;
  v_points jsonb;
begin
  if not private.has_group_role('{director}') then
    raise exception 'permission denied: only administrators and directors confirm the write-off' using errcode = '42501',
      hint = 'finance_confirm_not_allowed';
  end if;
  perform private.assert_month(p_month);
  if (p_month + interval '1 month')::date > private.business_today() then
    raise exception 'the period % has not ended yet', to_char(p_month, 'YYYY-MM') using errcode = '22023',
      hint = 'finance_period_not_ended', detail = json_build_object('month', to_char(p_month, 'YYYY-MM'))::text;
  end if;
  perform pg_advisory_xact_lock(hashtext('finance_closed_periods'), hashtext(p_month::text));
  select * into v_row from public.finance_closed_periods p where p.month = p_month;
  if found and v_row.status = 'closed' then
    return to_jsonb(v_row) || jsonb_build_object('duplicate', true);
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('business_unit_id', r.business_unit, 'points', r.points) order by r.business_unit), '[]')
  into v_points from public.report_expired_points(p_month, (p_month + interval '1 month')::date - 1, null) r;
  perform set_config('app.reason', 'finance-write-off', true);
  insert into public.finance_closed_periods as p (month, status, expired_points, confirmed_by, confirmed_at)
  values (p_month, 'closed', v_points, auth.uid(), now())
  on conflict (month) do update set status = 'closed', expired_points = excluded.expired_points,
    confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at
  returning * into v_row;
  perform set_config('app.reason', '', true);
  return to_jsonb(v_row) || jsonb_build_object('duplicate', false);
end
$$;
comment on function public.confirm_expired_period(date) is
  'Confirms the write-off of a month''s expired points (administrators and directors) and locks the month: no posting '
  'may be dated in it afterwards. The month must have ended. Confirming again returns the confirmation (duplicate: true).';

create or replace function public.reopen_expired_period(p_month date, p_reason text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.finance_closed_periods;
begin
  if not private.has_role('admin') then
    raise exception 'permission denied: only administrators reopen a confirmed period' using errcode = '42501',
      hint = 'finance_reopen_admin_only';
  end if;
  perform private.assert_month(p_month);
  if p_reason is null or btrim(p_reason) = '' or length(p_reason) > 500 then
    raise exception 'reopening a period needs a reason (at most 500 characters)' using errcode = '22023',
      hint = 'finance_reopen_reason_required';
  end if;
  perform set_config('app.reason', btrim(p_reason), true);
  update public.finance_closed_periods p set status = 'reopened', reopened_by = auth.uid(), reopened_at = now(),
    reopen_reason = btrim(p_reason)
  where p.month = p_month and p.status = 'closed'
  returning * into v_row;
  perform set_config('app.reason', '', true);
  if v_row.month is null then
    raise exception 'the period % is not confirmed', to_char(p_month, 'YYYY-MM') using errcode = '22023',
      hint = 'finance_period_not_closed', detail = json_build_object('month', to_char(p_month, 'YYYY-MM'))::text;
  end if;
  return to_jsonb(v_row);
end
$$;
comment on function public.reopen_expired_period(date, text) is
  'Reopens a confirmed month (administrators only, with a reason; audited): postings may be dated in it again.';

create trigger audit after insert or update or delete on public.finance_closed_periods
  for each row execute function private.audit_row('month');
alter table public.finance_closed_periods enable row level security;
create policy "reporting roles read closed periods" on public.finance_closed_periods
  for select to authenticated using ((select private.has_any_role('{director,analyst}')));
revoke all on public.finance_closed_periods from anon, authenticated, service_role;
grant select on public.finance_closed_periods to authenticated, service_role;

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.drill_points_flow(date, date, text, uuid[], text[], text[], int, int),
  public.drill_redemption_rate(date, date, text, uuid[], text[], text[], int, int),
  public.drill_average_order_value(date, date, text, uuid[], text[], text[], int, int),
  public.drill_tier_movements(date, date, text, uuid[], text[], text[], int, int),
  public.report_consumption(date, date, uuid[], text[], text[], int, int), public.report_liability(date, uuid[]),
  public.report_expired_points(date, date, uuid[]), public.confirm_expired_period(date),
  public.reopen_expired_period(date, text) from public, anon;
grant execute on function public.drill_points_flow(date, date, text, uuid[], text[], text[], int, int),
  public.drill_redemption_rate(date, date, text, uuid[], text[], text[], int, int),
  public.drill_average_order_value(date, date, text, uuid[], text[], text[], int, int),
  public.drill_tier_movements(date, date, text, uuid[], text[], text[], int, int),
  public.report_consumption(date, date, uuid[], text[], text[], int, int), public.report_liability(date, uuid[]),
  public.report_expired_points(date, date, uuid[]), public.confirm_expired_period(date),
  public.reopen_expired_period(date, text) to authenticated, service_role;
revoke all on function private.tier_at(uuid, timestamptz), private.assert_page(int, int),
  private.drill_points(record, text[], int, int), private.refuse_closed_period_posting(), private.assert_month(date)
  from public, anon, authenticated;
