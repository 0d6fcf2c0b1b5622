-- Who may create points and with which values: points come from transactions (the engine, as the system)
-- or from an administrator's capped manual earn; every timestamp is finite and within bounds; idempotency
-- keys of users live in their business unit's namespace, apart from the system's (txn:*, merge:*);
-- transactions are written only by record_transaction; an unknown member answers HTTP 404.
-- The public ledger functions become checking wrappers of the originals, which move to `private`.

-- ── Limits (core/enums/limits.ts states the same; tests/db/registry-parity.test.ts compares) ─
create or replace function private.posting_limits()
returns jsonb
language sql immutable
as $$
  select '{"manual_earn_max_points": 10000, "future_skew_minutes": 5, "backdate_days": 90,
           "expiry_max_years": 10, "client_key_max_length": 160}'::jsonb
$$;
comment on function private.posting_limits() is
  'Bounds of postings: the largest manual earn, how far occurred_at may lie ahead (clock skew) and, for users, '
  'behind (back-dating window; the system replays history), how far ahead a lot may expire, and the longest '
  'idempotency key a user may choose.';

-- ── Checks ───────────────────────────────────────────────────────────────────────────────
-- A business time: finite, at most the skew ahead, and for users not older than the back-dating window.
create or replace function private.assert_occurred_at(p_at timestamptz, p_user boolean)
returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_limits jsonb := private.posting_limits();
begin
  if p_at is null then
    return;
  end if;
  if not isfinite(p_at) then
    raise exception 'occurred_at must be a real moment, got %', p_at using errcode = '22023',
      hint = 'timestamp_not_finite', detail = json_build_object('value', p_at::text)::text;
  end if;
  if p_at > now() + make_interval(mins => (v_limits ->> 'future_skew_minutes')::int) then
    raise exception 'occurred_at % is in the future', p_at using errcode = '22023',
      hint = 'occurred_in_future', detail = json_build_object('occurred_at', p_at)::text;
  end if;
  if p_user and p_at < now() - make_interval(days => (v_limits ->> 'backdate_days')::int) then
    raise exception 'occurred_at % is more than % days ago', p_at, v_limits ->> 'backdate_days' using errcode = '22023',
      hint = 'occurred_too_old', detail = json_build_object('occurred_at', p_at, 'max_days', (v_limits ->> 'backdate_days')::int)::text;
  end if;
end
$$;

-- An explicit lot expiry: finite and within the horizon.
create or replace function private.assert_expires_at(p_at timestamptz)
returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_years int := (private.posting_limits() ->> 'expiry_max_years')::int;
begin
  if p_at is null then
    return;
  end if;
  if not isfinite(p_at) then
    raise exception 'expires_at must be a real moment, got %', p_at using errcode = '22023',
      hint = 'timestamp_not_finite', detail = json_build_object('value', p_at::text)::text;
  end if;
  if p_at > now() + make_interval(years => v_years) then
    raise exception 'expires_at % is more than % years ahead', p_at, v_years using errcode = '22023',
      hint = 'expiry_too_far', detail = json_build_object('expires_at', p_at, 'max_years', v_years)::text;
  end if;
end
$$;

-- The stored form of a key a user chose: prefixed by the business unit it posts for, so a user can neither
-- take a key of another unit nor one of the system's (which never start with 'u:').
create or replace function private.client_key(p_business_unit_id uuid, p_key text)
returns text
language plpgsql stable set search_path = ''
as $$
declare
  v_max int := (private.posting_limits() ->> 'client_key_max_length')::int;
begin
  if p_key is null or btrim(p_key) = '' then
    return p_key; -- the ledger function refuses it (idempotency_key_missing)
  end if;
  if length(p_key) > v_max then
    raise exception 'idempotency key is too long (% characters, at most %)', length(p_key), v_max using errcode = '22023',
      hint = 'idempotency_key_too_long', detail = json_build_object('max', v_max)::text;
  end if;
  return 'u:' || coalesce(p_business_unit_id::text, '-') || ':' || p_key;
end
$$;

-- P0002 (no data found) is an HTTP 500 for PostgREST; through the API it is re-raised as PT404, which
-- PostgREST answers with status 404 (hosted Supabase runs the same PostgREST). Direct connections (the
-- engine) keep P0002, which they catch.
create or replace function private.raise_not_found(p_message text, p_hint text, p_detail text)
returns void
language plpgsql stable set search_path = ''
as $$
begin
  if coalesce(current_setting('request.jwt.claims', true), '') = '' then
    raise sqlstate 'P0002' using message = p_message, hint = p_hint, detail = p_detail;
  end if;
  raise sqlstate 'PT404' using message = p_message, hint = p_hint, detail = p_detail;
end
$$;

-- ── The originals move to private ────────────────────────────────────────────────────────
alter function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz)
  rename to earn_points_unchecked;
alter function public.earn_points_unchecked(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz)
  set schema private;
alter function public.redeem_points(uuid, uuid, int, text, text) rename to redeem_points_unchecked;
alter function public.redeem_points_unchecked(uuid, uuid, int, text, text) set schema private;
alter function public.reverse_entry(bigint, text, text) rename to reverse_entry_unchecked;
alter function public.reverse_entry_unchecked(bigint, text, text) set schema private;
alter function public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb)
  rename to record_transaction_unchecked;
alter function public.record_transaction_unchecked(uuid, uuid, text, numeric, text, timestamptz, jsonb) set schema private;
alter function public.merge_members(uuid, uuid, boolean) rename to merge_members_unchecked;
alter function public.merge_members_unchecked(uuid, uuid, boolean) set schema private;
revoke all on function private.earn_points_unchecked(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz),
  private.redeem_points_unchecked(uuid, uuid, int, text, text), private.reverse_entry_unchecked(bigint, text, text),
  private.record_transaction_unchecked(uuid, uuid, text, numeric, text, timestamptz, jsonb),
  private.merge_members_unchecked(uuid, uuid, boolean)
  from public, anon, authenticated, service_role;

-- ── Earn ─────────────────────────────────────────────────────────────────────────────────
create or replace function public.earn_points(
  p_member_id uuid,
  p_business_unit_id uuid,
  p_points int,
  p_idempotency_key text,
  p_kind text default 'shopping',
  p_expires_at timestamptz default null,
  p_transaction_id uuid default null,
  p_reason text default null,
  p_occurred_at timestamptz default now()
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_max int := (private.posting_limits() ->> 'manual_earn_max_points')::int;
  v_msg text;
  v_hint text;
  v_detail text;
begin
  perform private.assert_occurred_at(p_occurred_at, not private.is_system_caller());
  perform private.assert_expires_at(p_expires_at);
  if private.is_system_caller() then
    return private.earn_points_unchecked(p_member_id, p_business_unit_id, p_points, p_idempotency_key, p_kind,
                                         p_expires_at, p_transaction_id, p_reason, p_occurred_at);
  end if;
  perform private.assert_ledger_access(p_business_unit_id, 'earning points');
  if not private.has_role('admin') then
    raise exception 'permission denied: points are earned from transactions; a manual earn is for administrators'
      using errcode = '42501', hint = 'manual_earn_admin_only',
      detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  if p_points > v_max then
    raise exception 'a manual earn gives at most % points, got %', v_max, p_points using errcode = '22023',
      hint = 'manual_earn_over_cap', detail = json_build_object('max', v_max, 'points', p_points)::text;
  end if;
  begin
    return private.earn_points_unchecked(p_member_id, p_business_unit_id, p_points,
                                         private.client_key(p_business_unit_id, p_idempotency_key), p_kind,
                                         p_expires_at, p_transaction_id, p_reason, p_occurred_at);
  exception when sqlstate 'P0002' then
    get stacked diagnostics v_msg = message_text, v_hint = pg_exception_hint, v_detail = pg_exception_detail;
    perform private.raise_not_found(v_msg, v_hint, v_detail);
  end;
end
$$;
comment on function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz) is
  'Credits points as a new lot (see private.earn_points_unchecked). The engine (system caller) posts the points '
  'of transactions; a signed-in user may post only as an administrator, at most '
  'private.posting_limits()->manual_earn_max_points at once, dated within the back-dating window. A user''s '
  'idempotency key is scoped to the business unit. Errors as the original, plus 42501 manual_earn_admin_only, '
  '22023 manual_earn_over_cap / timestamp_not_finite / occurred_too_old / expiry_too_far, 404 (PT404) unknown member.';

-- ── Redeem ───────────────────────────────────────────────────────────────────────────────
create or replace function public.redeem_points(
  p_member_id uuid,
  p_business_unit_id uuid,
  p_points int,
  p_idempotency_key text,
  p_reason text default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_msg text;
  v_hint text;
  v_detail text;
begin
  if private.is_system_caller() then
    return private.redeem_points_unchecked(p_member_id, p_business_unit_id, p_points, p_idempotency_key, p_reason);
  end if;
  begin
    return private.redeem_points_unchecked(p_member_id, p_business_unit_id, p_points,
                                           private.client_key(p_business_unit_id, p_idempotency_key), p_reason);
  exception when sqlstate 'P0002' then
    get stacked diagnostics v_msg = message_text, v_hint = pg_exception_hint, v_detail = pg_exception_detail;
    perform private.raise_not_found(v_msg, v_hint, v_detail);
  end;
end
$$;
comment on function public.redeem_points(uuid, uuid, int, text, text) is
  'Spends points first-expiring-first (see private.redeem_points_unchecked). A user''s idempotency key is scoped '
  'to the business unit; an unknown member answers 404 (PT404) through the API.';

-- ── Reverse ──────────────────────────────────────────────────────────────────────────────
create or replace function public.reverse_entry(p_entry_id bigint, p_idempotency_key text, p_reason text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_unit uuid;
  v_msg text;
  v_hint text;
  v_detail text;
begin
  if private.is_system_caller() then
    return private.reverse_entry_unchecked(p_entry_id, p_idempotency_key, p_reason);
  end if;
  select e.business_unit_id into v_unit from public.ledger_entries e where e.id = p_entry_id;
  begin
    return private.reverse_entry_unchecked(p_entry_id, private.client_key(v_unit, p_idempotency_key), p_reason);
  exception when sqlstate 'P0002' then
    get stacked diagnostics v_msg = message_text, v_hint = pg_exception_hint, v_detail = pg_exception_detail;
    perform private.raise_not_found(v_msg, v_hint, v_detail);
  end;
end
$$;
comment on function public.reverse_entry(bigint, text, text) is
  'Posts the correcting entry of an earn, redeem or adjust entry (see private.reverse_entry_unchecked). A user''s '
  'idempotency key is scoped to the entry''s business unit; an unknown entry answers 404 (PT404) through the API.';

-- ── Record a transaction ─────────────────────────────────────────────────────────────────
create or replace function public.record_transaction(
  p_member_id uuid,
  p_business_unit_id uuid,
  p_order_no text,
  p_amount numeric,
  p_channel text default 'front_desk',
  p_occurred_at timestamptz default now(),
  p_items jsonb default '[]'
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_msg text;
  v_hint text;
  v_detail text;
begin
  if private.is_system_caller() then
    perform private.assert_occurred_at(p_occurred_at, false);
    return private.record_transaction_unchecked(p_member_id, p_business_unit_id, p_order_no, p_amount, p_channel,
                                                p_occurred_at, p_items);
  end if;
  perform private.assert_ledger_access(p_business_unit_id, 'recording a transaction');
  perform private.assert_occurred_at(p_occurred_at, true);
  begin
    return private.record_transaction_unchecked(p_member_id, p_business_unit_id, p_order_no, p_amount, p_channel,
                                                p_occurred_at, p_items);
  exception when sqlstate 'P0002' then
    get stacked diagnostics v_msg = message_text, v_hint = pg_exception_hint, v_detail = pg_exception_detail;
    perform private.raise_not_found(v_msg, v_hint, v_detail);
  end;
end
$$;
comment on function public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb) is
  'Records a consumption with its growth and any tier upgrade (see private.record_transaction_unchecked); the only '
  'way users write transactions. occurred_at is finite, at most the clock skew ahead and, for users, within the '
  'back-dating window (the system replays history). An unknown member answers 404 (PT404) through the API.';

-- ── Merge ────────────────────────────────────────────────────────────────────────────────
-- True when the current user holds one of `wanted` group-wide (or is an admin).
create or replace function private.has_group_role(wanted public.app_role[])
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (
    select 1 from public.role_assignments ra
    where ra.user_id = (select auth.uid())
      and (ra.role = 'admin' or (ra.role = any (wanted) and ra.business_unit_id is null))
  );
end
$$;

create or replace function public.merge_members(p_survivor_id uuid, p_merged_id uuid, p_confirm boolean default false)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_member record;
  v_msg text;
  v_hint text;
  v_detail text;
begin
  if private.is_system_caller() then
    return private.merge_members_unchecked(p_survivor_id, p_merged_id, p_confirm);
  end if;
  -- A unit's manager merges (and previews merges of) members whose home unit is one of theirs.
  if not private.has_group_role('{manager,director}') then
    for v_member in
      select m.id, m.home_business_unit_id from public.members m where m.id in (p_survivor_id, p_merged_id)
    loop
      if v_member.home_business_unit_id is null
         or not private.has_any_role('{manager,director}', v_member.home_business_unit_id) then
        raise exception 'permission denied: member % belongs to a business unit you do not manage', v_member.id
          using errcode = '42501', hint = 'merge_outside_units',
          detail = json_build_object('member_id', v_member.id, 'business_unit_id', v_member.home_business_unit_id)::text;
      end if;
    end loop;
  end if;
  begin
    return private.merge_members_unchecked(p_survivor_id, p_merged_id, p_confirm);
  exception when sqlstate 'P0002' then
    get stacked diagnostics v_msg = message_text, v_hint = pg_exception_hint, v_detail = pg_exception_detail;
    perform private.raise_not_found(v_msg, v_hint, v_detail);
  end;
end
$$;
comment on function public.merge_members(uuid, uuid, boolean) is
  'Merges a duplicate record into the survivor (see private.merge_members_unchecked); previews too. Managers and '
  'directors scoped to units merge only members whose home unit is theirs; group-wide roles merge any.';

-- ── Balance at a moment ──────────────────────────────────────────────────────────────────
create or replace function public.balance_as_of(p_member_id uuid, p_at timestamptz)
returns bigint
language plpgsql stable security invoker set search_path = ''
as $$
begin
  if p_member_id is null or p_at is null then
    raise exception 'member and time are required' using errcode = '22023', hint = 'member_and_time_missing';
  end if;
  -- Every member has a balance row (created with the member), readable by every staff role.
  if not exists (select 1 from public.point_balances b where b.member_id = p_member_id) then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
                                    json_build_object('member_id', p_member_id)::text);
  end if;
  return coalesce((select sum(e.points) from public.ledger_entries e
                   where e.member_id = p_member_id and e.occurred_at <= p_at), 0);
end
$$;

-- ── Transactions are written by record_transaction only ──────────────────────────────────
drop policy "front office records transactions of its unit" on public.transactions;
revoke insert, update, delete on public.transactions from authenticated;

-- Finite times in the ledger, whoever writes (rows written before this check are not re-checked).
alter table public.transactions add constraint transactions_occurred_finite check (isfinite(occurred_at)) not valid;
alter table public.ledger_entries add constraint ledger_entries_occurred_finite check (isfinite(occurred_at)) not valid;
alter table public.point_lots add constraint point_lots_dates_finite
  check (isfinite(earned_at) and isfinite(expires_at)) not valid;

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz),
  public.redeem_points(uuid, uuid, int, text, text), public.reverse_entry(bigint, text, text),
  public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb),
  public.merge_members(uuid, uuid, boolean) from public, anon;
grant execute on function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz),
  public.redeem_points(uuid, uuid, int, text, text), public.reverse_entry(bigint, text, text),
  public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb),
  public.merge_members(uuid, uuid, boolean) to authenticated, service_role;
revoke all on function private.posting_limits(), private.assert_occurred_at(timestamptz, boolean),
  private.assert_expires_at(timestamptz), private.client_key(uuid, text), private.raise_not_found(text, text, text),
  private.has_group_role(public.app_role[]) from public, anon, authenticated;
-- balance_as_of runs with the caller's rights.
grant execute on function private.raise_not_found(text, text, text) to authenticated, service_role;
