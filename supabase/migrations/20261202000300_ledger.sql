-- Points ledger: member identities per business unit, consumption transactions, point lots, the
-- append-only ledger and the SQL functions that are the only way to change balances.
--
-- Invariants (tests/db/ledger-*.test.ts prove each one):
--   * ledger_entries and ledger_lot_moves are append-only; corrections are new entries (reverse_entry).
--   * for every member: point_balances.balance = sum(ledger_entries.points) = sum(open lots' remaining_points).
--   * redemption consumes lots first-expiring-first (expires_at, earned_at, id), never below zero.
--   * every externally caused posting carries an idempotency key; the same key twice posts once,
--     the same key with different parameters is refused.
--   * bad input raises a clear error and changes nothing. SQLSTATEs: 22023 bad value (also frozen or
--     cancelled member, unknown or inactive unit), P0002 unknown member or entry, P0001 shortfall
--     ('insufficient points: balance X, requested Y') or nothing left to reverse, 23505 idempotency key
--     reused with other parameters or entry already reversed, 42501 not allowed. (PostgREST answers
--     400, 404, 400, 409 and 401/403; 55xxx codes are avoided because PostgREST maps them to 500.)
-- Lock order, everywhere: the member's point_balances row(s) first (several rows: in member_id order),
-- then that member's lots. All writers follow it, so redeem, earn, reverse and expiry never deadlock.

-- ── Types ────────────────────────────────────────────────────────────────────────────────
-- None: lot kinds, entry kinds and channels are text with check constraints, so a new kind is added by
-- swapping a constraint instead of altering an enum inside a transaction.

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.member_identities (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references public.members (id) on delete cascade,
  business_unit_id uuid not null references public.business_units (id),
  external_id text not null check (external_id = btrim(external_id) and length(external_id) between 1 and 64),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  unique (business_unit_id, external_id)
);
create index member_identities_member_idx on public.member_identities (member_id);
comment on table public.member_identities is
  'Each business unit''s own member id (hotel profile no., mall card no...) mapped to the one group member.';

create table public.transactions (
  id uuid primary key default gen_random_uuid(),
  business_unit_id uuid not null references public.business_units (id),
  order_no text not null check (order_no = btrim(order_no) and length(order_no) between 1 and 64),
  member_id uuid not null references public.members (id),
  amount numeric(12, 2) not null check (amount > 0),
  items jsonb not null default '[]' check (jsonb_typeof(items) = 'array'),
  occurred_at timestamptz not null default now(),
  channel text not null default 'pos' check (channel ~ '^[a-z][a-z0-9_-]{0,31}$'),
  operator_id uuid default auth.uid(),
  growth_points int not null default 0 check (growth_points >= 0),
  created_at timestamptz not null default now(),
  unique (business_unit_id, order_no)
);
create index transactions_member_idx on public.transactions (member_id, occurred_at);
-- The catch-up sweep runs every minute in every engine: limited to recent transactions (p_since) it reads a
-- day of them through a BRIN index instead of every transaction; a full sweep (p_since null) runs at
-- engine start and hourly.
create index transactions_created_brin on public.transactions using brin (created_at);
comment on table public.transactions is
  'Consumption events (消费流水) recorded by a business unit; unique per unit and order number. Earning '
  'points from them is done by the engine through earn_points with the transaction as idempotency source.';

create table public.point_balances (
  member_id uuid primary key references public.members (id) on delete cascade,
  balance bigint not null default 0 check (balance >= 0),
  updated_at timestamptz not null default now()
);
comment on table public.point_balances is
  'Current points balance per member (one row per member, created with the member). Always equals the sum '
  'of the member''s ledger entries and the remaining points of the member''s open lots. Changed only by '
  'the ledger functions; the ledger entry written in the same transaction is the audit row of each change.';

create table public.ledger_entries (
  id bigint generated always as identity (sequence name public.ledger_entries_id_seq) primary key,
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  kind text not null check (kind in ('earn', 'redeem', 'expire', 'adjust', 'reverse')),
  points int not null check (points <> 0),
  balance_after bigint not null check (balance_after >= 0),
  idempotency_key text check (length(idempotency_key) between 1 and 200),
  transaction_id uuid references public.transactions (id),
  reverses_entry_id bigint references public.ledger_entries (id),
  reason text check (length(reason) <= 500),
  operator_id uuid default auth.uid(),
  occurred_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  constraint ledger_entries_key_required check (idempotency_key is not null or kind = 'expire'),
  constraint ledger_entries_sign check (case kind when 'earn' then points > 0
                                                  when 'redeem' then points < 0
                                                  when 'expire' then points < 0
                                                  else true end),
  constraint ledger_entries_reverse_link check ((kind = 'reverse') = (reverses_entry_id is not null))
);
create index ledger_entries_member_created_idx on public.ledger_entries (member_id, created_at);
-- Unique wherever present (expiry entries carry none, so they cost no index entry).
create unique index ledger_entries_idempotency_key on public.ledger_entries (idempotency_key)
  where idempotency_key is not null;
create unique index ledger_entries_reversed_once on public.ledger_entries (reverses_entry_id)
  where reverses_entry_id is not null;
create index ledger_entries_transaction_idx on public.ledger_entries (transaction_id)
  where transaction_id is not null;
comment on table public.ledger_entries is
  'The points ledger (积分流水), append-only: one signed entry per balance change. Each entry is also the '
  'audit row of that change: who (operator_id, null for system postings such as expiry), when (occurred_at: '
  'business time, for expiry the lot''s expires_at; created_at: posting time), what (kind, points, lots in '
  'ledger_lot_moves, transaction_id), why (reason, reverses_entry_id) and the balance after it. Corrections '
  'are new entries (kind reverse/adjust), never edits.';
comment on column public.ledger_entries.idempotency_key is
  'Caller-chosen key of the external cause (e.g. txn:<uuid>:earn). The same key posts once; reuse with '
  'different parameters is refused. Null only for expiry entries, which are keyed by their lot.';
comment on column public.ledger_entries.balance_after is
  'The member''s balance right after this entry; per member, the entry with the highest id carries the current balance.';

create table public.point_lots (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  kind text not null check (kind in ('shopping', 'campaign', 'compensation', 'birthday', 'adjustment', 'other')),
  original_points int not null check (original_points > 0),
  remaining_points int not null check (remaining_points >= 0 and remaining_points <= original_points),
  earned_at timestamptz not null,
  expires_at timestamptz not null,
  expired_points int not null default 0 check (expired_points >= 0),
  earn_entry_id bigint not null references public.ledger_entries (id),
  created_at timestamptz not null default now(),
  constraint point_lots_expiry_after_earn check (expires_at > earned_at),
  constraint point_lots_conserved check (remaining_points + expired_points <= original_points)
);
-- FIFO consumption and a member's due lots: (member, expiry, earn time, id) over open lots only.
create index point_lots_member_fifo_idx on public.point_lots (member_id, expires_at, earned_at, id)
  where remaining_points > 0;
-- What is due (the expiry run's plan) and what expires soon (reminders), over open lots only.
create index point_lots_due_idx on public.point_lots (expires_at) where remaining_points > 0;
comment on table public.point_lots is
  'Points lots (积分批次): each earn (or restored redemption) creates a lot with its own expiry. Redemption '
  'consumes open lots first-expiring-first; the expiry job moves what remains into expired_points. '
  'original_points, kind, dates and owner never change; remaining_points changes only through the ledger functions.';

-- The foreign keys cost two index probes per move (about a quarter of nightly expiry time, see
-- bench/README.md); they stay because they guard the links and let PostgREST embed moves in entries
-- and lots in moves (the member ledger view does: ledger_entries?select=*,ledger_lot_moves(*,point_lots(*))).
create table public.ledger_lot_moves (
  entry_id bigint not null references public.ledger_entries (id),
  lot_id bigint not null references public.point_lots (id),
  points int not null check (points <> 0),
  primary key (entry_id, lot_id)
);
comment on table public.ledger_lot_moves is
  'Which lots each ledger entry touched and by how much (signed, append-only): earn +n into its lot, redeem -n '
  'from each consumed lot, expire -n, reverse +/-n. For every entry, sum(points) here equals the entry''s points; '
  'for every lot, sum(points) equals its remaining_points.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- Default validity of a lot by kind, counted from the earn time, for a lot posted without an explicit
-- expiry (the engine passes the expiry its rules give); callers only rely on the signature.
-- Deliberately no SET clause: a SQL function without one is inlined into the caller's cached plan,
-- while one with SET search_path is parsed and planned again in every transaction (PostgreSQL 17),
-- which cost earn_points about 15 % of its throughput. It names only pg_catalog objects, qualified.
-- A body that reads tables should become plpgsql (plans cached per session) with SET search_path = ''.
create or replace function private.default_expiry(p_kind text, p_at timestamptz)
returns timestamptz
language sql stable
as $$
  select p_at operator(pg_catalog.+) pg_catalog.make_interval(days => case p_kind when 'campaign' then 90
                                                                              when 'birthday' then 90
                                                                              else 365 end)
$$;
comment on function private.default_expiry(text, timestamptz) is
  'Default lot expiry: shopping 365 days, campaign 90, birthday 90, compensation 365, others 365 after earning.';

-- Who may post points for a business unit: the service role; a direct privileged connection that
-- carries no JWT claims (the engine, the bench, psql); or a signed-in user holding staff, manager or
-- director for that unit (admins hold every role). Everyone else: 42501.
create or replace function private.assert_ledger_access(p_business_unit_id uuid, p_action text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_claims text := current_setting('request.jwt.claims', true);
  v_role text;
begin
  if v_claims is null or v_claims = '' then
    -- No claims: only a privileged session gets here; an API role without claims is a misconfiguration.
    if current_setting('role', true) in ('anon', 'authenticated') then
      raise exception 'permission denied: % requires a signed-in user (no JWT claims present)', p_action
        using errcode = '42501', hint = 'not_signed_in', detail = json_build_object('action', p_action)::text;
    end if;
    return;
  end if;
  v_role := v_claims::jsonb ->> 'role';
  if v_role = 'service_role' then
    return;
  end if;
  if v_role = 'authenticated'
     and private.has_any_role('{staff,manager,director}'::public.app_role[], p_business_unit_id) then
    return;
  end if;
  raise exception 'permission denied: % needs the staff, manager or director role for business unit %',
    p_action, coalesce(p_business_unit_id::text, '(none)')
    using errcode = '42501',
    hint = 'unit_role_required', detail = json_build_object('action', p_action, 'business_unit_id', p_business_unit_id)::text;
end
$$;

-- Jobs that act for no particular unit (expiry): only the service role or a privileged connection.
create or replace function private.assert_system_caller(p_action text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_claims text := current_setting('request.jwt.claims', true);
begin
  if (v_claims is null or v_claims = '') and coalesce(current_setting('role', true), 'none') not in ('anon', 'authenticated') then
    return;
  end if;
  if v_claims is not null and v_claims <> '' and v_claims::jsonb ->> 'role' = 'service_role' then
    return;
  end if;
  raise exception 'permission denied: % is a system job (service role or the engine''s database connection only)',
    p_action using errcode = '42501', hint = 'system_job_only', detail = json_build_object('action', p_action)::text;
end
$$;

-- The entry of earn and redeem: permission, the idempotency key, the business unit, the points, the member
-- and the reason are checked, then the member's balance row is locked (lock order: balance row, then lots)
-- and returned with the member's status.
create or replace function private.begin_posting(p_member_id uuid, p_business_unit_id uuid, p_points int,
  p_idempotency_key text, p_reason text, p_action text, out balance bigint, out status public.member_status)
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.assert_ledger_access(p_business_unit_id, p_action);
  perform private.assert_idempotency_key(p_idempotency_key);
  perform private.assert_business_unit(p_business_unit_id);
  if p_points is null or p_points <= 0 then
    raise exception 'points must be a positive whole number, got %', coalesce(p_points::text, 'null')
      using errcode = '22023', hint = 'points_not_positive', detail = json_build_object('points', p_points)::text;
  end if;
  if p_member_id is null then
    raise exception 'member is required' using errcode = '22023', hint = 'member_missing';
  end if;
  if p_reason is not null and length(p_reason) > 500 then
    raise exception 'reason is too long (at most 500 characters)' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;
  select b.balance, m.status into balance, status
  from public.point_balances b join public.members m on m.id = b.member_id
  where b.member_id = p_member_id
  for update of b;
  if not found then
    select x.balance, x.status into balance, status from private.lock_new_balance(p_member_id) x;
  end if;
end
$$;

-- Common checks of a posting's business unit. Returns nothing; raises 22023 on a bad unit.
create or replace function private.assert_business_unit(p_business_unit_id uuid)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_active boolean;
begin
  if p_business_unit_id is null then
    raise exception 'business unit is required' using errcode = '22023', hint = 'business_unit_missing';
  end if;
  select bu.active into v_active from public.business_units bu where bu.id = p_business_unit_id;
  if not found then
    raise exception 'unknown business unit %', p_business_unit_id using errcode = '22023',
      hint = 'business_unit_unknown', detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  if not v_active then
    raise exception 'business unit % is inactive: it cannot post points', p_business_unit_id using errcode = '22023',
      hint = 'business_unit_inactive', detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
end
$$;

create or replace function private.assert_idempotency_key(p_key text)
returns void
language plpgsql immutable set search_path = ''
as $$
begin
  if p_key is null or btrim(p_key) = '' then
    raise exception 'idempotency key is required' using errcode = '22023', hint = 'idempotency_key_missing';
  end if;
  if length(p_key) > 200 then
    raise exception 'idempotency key is too long (% characters, at most 200)', length(p_key) using errcode = '22023',
      hint = 'idempotency_key_too_long', detail = json_build_object('max', 200)::text;
  end if;
end
$$;

-- First posting for a member without a balance row (rows are normally created with the member):
-- create it, lock it, and return it with the member's status. Raises P0002 for an unknown member.
create or replace function private.lock_new_balance(p_member_id uuid, out balance bigint, out status public.member_status)
language plpgsql security definer set search_path = ''
as $$
begin
  if p_member_id is null then
    raise exception 'member is required' using errcode = '22023', hint = 'member_missing';
  end if;
  if not exists (select 1 from public.members m where m.id = p_member_id) then
    raise exception 'unknown member %', p_member_id using errcode = 'P0002',
      hint = 'member_unknown', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  insert into public.point_balances (member_id, balance) values (p_member_id, 0) on conflict (member_id) do nothing;
  select b.balance, m.status into balance, status
  from public.point_balances b join public.members m on m.id = b.member_id
  where b.member_id = p_member_id
  for update of b;
end
$$;

-- Expires every lot of one member that is due at p_as_of: one expire entry per lot (occurred_at = the
-- lot's expires_at), linked by a lot move. The caller holds the member's balance row lock and passes
-- the balance it read; the new balance is returned and the CALLER writes it to point_balances.
create or replace function private.expire_member_lots(p_member_id uuid, p_as_of timestamptz, p_balance bigint)
returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_expired bigint;
begin
  -- A lot expires once: after that its expires_at lies in the past, so no reversal refills it and
  -- expired_points (0 before) receives exactly the remainder, which RETURNING reports.
  with due as (
    update public.point_lots l
    set expired_points = l.remaining_points, remaining_points = 0
    where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at <= p_as_of
    returning l.id, l.business_unit_id, l.expires_at, l.expired_points as points
  ), numbered as (
    -- ids are drawn after the sort, so the member's highest entry id carries the final balance.
    select d.id, d.business_unit_id, d.expires_at, d.points,
           nextval('public.ledger_entries_id_seq') as entry_id,
           p_balance - sum(d.points) over (order by d.expires_at, d.id) as balance_after
    from due d
    order by d.expires_at, d.id
  ), entries as (
    insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, reason, occurred_at)
    overriding system value
    select n.entry_id, p_member_id, n.business_unit_id, 'expire', -n.points, n.balance_after, 'points expired', n.expires_at
    from numbered n
  ), moves as (
    insert into public.ledger_lot_moves (entry_id, lot_id, points)
    select n.entry_id, n.id, -n.points from numbered n
  )
  select coalesce(sum(n.points), 0) into v_expired from numbered n;
  return p_balance - v_expired;
end
$$;

-- 1. Earn ------------------------------------------------------------------------------------
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
  v_balance bigint;
  v_status public.member_status;
  v_now timestamptz;
  v_occurred timestamptz;
  v_expires timestamptz;
  v_entry bigint;
  v_lot bigint;
  v_old public.ledger_entries%rowtype;
  v_old_lot public.point_lots%rowtype;
  v_diff text[];
  v_txn_member uuid;
begin
  -- Checks, then the member's balance row locked first (lock order: balance row, then lots).
  select p.balance, p.status into v_balance, v_status
  from private.begin_posting(p_member_id, p_business_unit_id, p_points, p_idempotency_key, p_reason, 'earning points') p;
  if p_kind is null or p_kind not in ('shopping', 'campaign', 'compensation', 'birthday', 'adjustment', 'other') then
    raise exception 'unknown lot kind % (expected shopping, campaign, compensation, birthday, adjustment or other)',
      coalesce(p_kind, 'null') using errcode = '22023',
      hint = 'lot_kind_unknown', detail = json_build_object('kind', p_kind)::text;
  end if;
  if p_occurred_at is null then
    raise exception 'occurred_at is required' using errcode = '22023', hint = 'occurred_at_missing';
  end if;

  -- Idempotency: a key already posted replays the original answer; with other parameters it is refused.
  select e.* into v_old from public.ledger_entries e where e.idempotency_key = p_idempotency_key;
  if found then
    select l.* into v_old_lot from public.point_lots l
    where l.id = (select mv.lot_id from public.ledger_lot_moves mv where mv.entry_id = v_old.id limit 1);
    v_diff := array_remove(array[
      case when v_old.kind <> 'earn' then 'operation (the key was used for ' || v_old.kind || ')' end,
      case when v_old.member_id <> p_member_id then 'member' end,
      case when v_old.business_unit_id <> p_business_unit_id then 'business unit' end,
      case when v_old.points <> p_points then 'points (' || v_old.points || ' before)' end,
      case when v_old.transaction_id is distinct from p_transaction_id then 'transaction' end,
      case when v_old.reason is distinct from p_reason then 'reason' end,
      case when v_old.kind = 'earn' and v_old_lot.kind is distinct from p_kind then 'lot kind' end,
      case when v_old.kind = 'earn' and p_expires_at is not null and v_old_lot.expires_at is distinct from p_expires_at
           then 'expires_at' end
    ], null);
    if cardinality(v_diff) > 0 then
      raise exception 'idempotency key "%" was already used with different parameters: %',
        p_idempotency_key, array_to_string(v_diff, ', ')
        using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', v_diff, 'entry_id', v_old.id)::text;
    end if;
    return jsonb_build_object('entry_id', v_old.id, 'lot_id', v_old_lot.id, 'balance', v_old.balance_after,
                              'duplicate', true);
  end if;

  if v_status <> 'active' then
    raise exception 'member % is %: points cannot be earned', p_member_id, v_status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_status)::text;
  end if;
  if p_transaction_id is not null then
    select t.member_id into v_txn_member from public.transactions t where t.id = p_transaction_id;
    if not found then
      raise exception 'unknown transaction %', p_transaction_id using errcode = '22023',
        hint = 'transaction_unknown', detail = json_build_object('transaction_id', p_transaction_id)::text;
    end if;
    if v_txn_member <> p_member_id then
      raise exception 'transaction % belongs to another member', p_transaction_id using errcode = '22023',
        hint = 'transaction_other_member', detail = json_build_object('transaction_id', p_transaction_id)::text;
    end if;
  end if;

  v_now := clock_timestamp();
  if p_occurred_at > v_now + interval '5 minutes' then
    raise exception 'occurred_at % is in the future', p_occurred_at using errcode = '22023',
      hint = 'occurred_in_future', detail = json_build_object('occurred_at', p_occurred_at)::text;
  end if;
  -- Up to 5 minutes of client clock skew is recorded as the posting time, so no entry is ever dated
  -- after a later redemption that spends it (balance_as_of never goes negative).
  v_occurred := least(p_occurred_at, v_now);
  v_expires := coalesce(p_expires_at, private.default_expiry(p_kind, v_occurred));
  if v_expires <= v_now then
    raise exception 'expires_at % is not in the future: the points would already have expired', v_expires
      using errcode = '22023', hint = 'expiry_not_future', detail = json_build_object('expires_at', v_expires)::text;
  end if;
  if v_expires <= v_occurred then
    raise exception 'expires_at % must be after occurred_at %', v_expires, v_occurred using errcode = '22023',
      hint = 'expiry_before_occurrence', detail = json_build_object('expires_at', v_expires, 'occurred_at', v_occurred)::text;
  end if;

  v_balance := v_balance + p_points;
  insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key,
                                     transaction_id, reason, occurred_at)
  values (p_member_id, p_business_unit_id, 'earn', p_points, v_balance, p_idempotency_key,
          p_transaction_id, p_reason, v_occurred)
  on conflict (idempotency_key) where idempotency_key is not null do nothing
  returning id into v_entry;
  if v_entry is null then
    -- Only reachable when the same key is posted at the same moment for ANOTHER member.
    raise exception 'idempotency key "%" was already used with different parameters: member', p_idempotency_key
      using errcode = '23505',
      hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', array['member'])::text;
  end if;
  insert into public.point_lots (member_id, business_unit_id, kind, original_points, remaining_points,
                                 earned_at, expires_at, earn_entry_id)
  values (p_member_id, p_business_unit_id, p_kind, p_points, p_points, v_occurred, v_expires, v_entry)
  returning id into v_lot;
  insert into public.ledger_lot_moves (entry_id, lot_id, points) values (v_entry, v_lot, p_points);
  update public.point_balances set balance = v_balance, updated_at = v_now where member_id = p_member_id;

  return jsonb_build_object('entry_id', v_entry, 'lot_id', v_lot, 'balance', v_balance, 'duplicate', false);
end
$$;
comment on function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz) is
  'Credits points as a new lot (one round trip). expires_at null = private.default_expiry(kind, occurred_at). '
  'Idempotent by key: a repeat returns the original {entry_id, lot_id, balance (= balance_after of that '
  'entry), duplicate: true}; the same key with another member, unit, points, kind, transaction, reason or '
  'explicit expires_at is refused (23505). Errors: 22023 bad value / frozen or cancelled member / unknown or '
  'inactive unit, P0002 unknown member, 42501 not allowed.';

-- 2. Redeem ----------------------------------------------------------------------------------
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
  v_balance bigint;
  v_status public.member_status;
  v_now timestamptz;
  v_entry bigint;
  v_left int;
  v_take int;
  v_lot record;
  v_ids bigint[] := '{}';
  v_takes int[] := '{}';
  v_lots jsonb := '[]';
  v_old public.ledger_entries%rowtype;
  v_diff text[];
begin
  select p.balance, p.status into v_balance, v_status
  from private.begin_posting(p_member_id, p_business_unit_id, p_points, p_idempotency_key, p_reason, 'redeeming points') p;

  select e.* into v_old from public.ledger_entries e where e.idempotency_key = p_idempotency_key;
  if found then
    v_diff := array_remove(array[
      case when v_old.kind <> 'redeem' then 'operation (the key was used for ' || v_old.kind || ')' end,
      case when v_old.member_id <> p_member_id then 'member' end,
      case when v_old.business_unit_id <> p_business_unit_id then 'business unit' end,
      case when v_old.points <> -p_points then 'points (' || -v_old.points || ' before)' end,
      case when v_old.reason is distinct from p_reason then 'reason' end
    ], null);
    if cardinality(v_diff) > 0 then
      raise exception 'idempotency key "%" was already used with different parameters: %',
        p_idempotency_key, array_to_string(v_diff, ', ')
        using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', v_diff, 'entry_id', v_old.id)::text;
    end if;
    select coalesce(jsonb_agg(jsonb_build_object('lot_id', l.id, 'points', -mv.points, 'expires_at', l.expires_at)
                              order by l.expires_at, l.earned_at, l.id), '[]'::jsonb)
    into v_lots
    from public.ledger_lot_moves mv join public.point_lots l on l.id = mv.lot_id
    where mv.entry_id = v_old.id;
    return jsonb_build_object('entry_id', v_old.id, 'balance', v_old.balance_after, 'duplicate', true, 'lots', v_lots);
  end if;

  if v_status <> 'active' then
    raise exception 'member % is %: points cannot be redeemed', p_member_id, v_status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_status)::text;
  end if;

  -- Lots past their expiry are not spendable: expire them now (entries included) so the balance is exact.
  v_now := clock_timestamp();
  if exists (select 1 from public.point_lots l
             where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at <= v_now) then
    v_balance := private.expire_member_lots(p_member_id, v_now, v_balance);
  end if;
  if v_balance < p_points then
    raise exception 'insufficient points: balance %, requested %', v_balance, p_points using errcode = 'P0001',
      hint = 'insufficient_points', detail = json_build_object('balance', v_balance, 'requested', p_points)::text;
  end if;

  v_balance := v_balance - p_points;
  insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key,
                                     reason, occurred_at)
  values (p_member_id, p_business_unit_id, 'redeem', -p_points, v_balance, p_idempotency_key, p_reason, v_now)
  on conflict (idempotency_key) where idempotency_key is not null do nothing
  returning id into v_entry;
  if v_entry is null then
    raise exception 'idempotency key "%" was already used with different parameters: member', p_idempotency_key
      using errcode = '23505',
      hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', array['member'])::text;
  end if;

  -- FIFO: read the member's open lots in (expires_at, earned_at, id) order, straight off the partial
  -- index, only until the amount is covered (usually 1-3 lots), then write all takes in one statement each.
  v_left := p_points;
  for v_lot in
    select l.id, l.remaining_points, l.expires_at
    from public.point_lots l
    where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at > v_now
    order by l.expires_at, l.earned_at, l.id
    limit p_points -- a bound that is never reached (every open lot holds at least 1 point); it makes
                   -- the planner read the index in order instead of sorting all the member's lots
  loop
    v_take := least(v_lot.remaining_points, v_left);
    v_ids := v_ids || v_lot.id;
    v_takes := v_takes || v_take;
    v_lots := v_lots || jsonb_build_object('lot_id', v_lot.id, 'points', v_take, 'expires_at', v_lot.expires_at);
    v_left := v_left - v_take;
    exit when v_left = 0;
  end loop;
  if v_left <> 0 then
    -- Balance and lots disagree: never paper over it.
    raise exception 'ledger invariant violated for member %: balance covers % points but open lots only %',
      p_member_id, p_points, p_points - v_left using errcode = 'XX000', hint = 'ledger_invariant';
  end if;
  update public.point_lots l set remaining_points = l.remaining_points - t.take
  from unnest(v_ids, v_takes) as t (id, take)
  where l.id = t.id;
  insert into public.ledger_lot_moves (entry_id, lot_id, points)
  select v_entry, t.id, -t.take from unnest(v_ids, v_takes) as t (id, take);
  update public.point_balances set balance = v_balance, updated_at = v_now where member_id = p_member_id;

  return jsonb_build_object('entry_id', v_entry, 'balance', v_balance, 'duplicate', false, 'lots', v_lots);
end
$$;
comment on function public.redeem_points(uuid, uuid, int, text, text) is
  'Spends points first-expiring-first (expires_at, earned_at, id), one round trip. Lots already past '
  'expires_at are expired first (expire entries written), so they are never spent and the returned balance is '
  'exact. Refuses a shortfall with P0001 ''insufficient points: balance X, requested Y''. Idempotent by key '
  '(repeat returns the original answer with duplicate: true; other parameters: 23505). Returns '
  '{entry_id, balance, duplicate, lots: [{lot_id, points, expires_at}]}.';

-- 3. Reverse ---------------------------------------------------------------------------------
create or replace function public.reverse_entry(p_entry_id bigint, p_idempotency_key text, p_reason text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_orig public.ledger_entries%rowtype;
  v_old public.ledger_entries%rowtype;
  v_balance bigint;
  v_status public.member_status;
  v_now timestamptz;
  v_entry bigint;
  v_points bigint;
  v_restored bigint;
  v_lot bigint;
  v_by bigint;
  v_lots jsonb;
  v_diff text[];
begin
  if p_entry_id is null then
    perform private.assert_ledger_access(null, 'reversing a ledger entry');
    raise exception 'entry to reverse is required' using errcode = '22023', hint = 'entry_missing';
  end if;
  select e.* into v_orig from public.ledger_entries e where e.id = p_entry_id;
  -- Permission on the entry's unit; for an unknown entry only roles that could post anywhere learn that.
  perform private.assert_ledger_access(v_orig.business_unit_id, 'reversing a ledger entry');
  if v_orig.id is null then
    raise exception 'unknown ledger entry %', p_entry_id using errcode = 'P0002',
      hint = 'entry_unknown', detail = json_build_object('entry_id', p_entry_id)::text;
  end if;
  perform private.assert_idempotency_key(p_idempotency_key);
  if p_reason is null or btrim(p_reason) = '' then
    raise exception 'a reason is required to reverse a ledger entry' using errcode = '22023',
      hint = 'reason_required';
  end if;
  if length(p_reason) > 500 then
    raise exception 'reason is too long (at most 500 characters)' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;

  select b.balance, m.status into v_balance, v_status
  from public.point_balances b join public.members m on m.id = b.member_id
  where b.member_id = v_orig.member_id
  for update of b;

  select e.* into v_old from public.ledger_entries e where e.idempotency_key = p_idempotency_key;
  if found then
    v_diff := array_remove(array[
      case when v_old.kind <> 'reverse' then 'operation (the key was used for ' || v_old.kind || ')' end,
      case when v_old.reverses_entry_id is distinct from p_entry_id then 'entry' end,
      case when v_old.reason is distinct from p_reason then 'reason' end
    ], null);
    if cardinality(v_diff) > 0 then
      raise exception 'idempotency key "%" was already used with different parameters: %',
        p_idempotency_key, array_to_string(v_diff, ', ')
        using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', v_diff, 'entry_id', v_old.id)::text;
    end if;
    select coalesce(jsonb_agg(jsonb_build_object('lot_id', mv.lot_id, 'points', mv.points) order by mv.lot_id), '[]'::jsonb)
    into v_lots from public.ledger_lot_moves mv where mv.entry_id = v_old.id;
    return jsonb_build_object('entry_id', v_old.id, 'reversed_entry_id', p_entry_id, 'points', v_old.points,
                              'not_reversed', abs(v_orig.points) - abs(v_old.points),
                              'balance', v_old.balance_after, 'duplicate', true, 'lots', v_lots);
  end if;

  if v_orig.kind = 'expire' then
    raise exception 'entry % is an expiry: expired points are given back by a compensation earn, not a reversal',
      p_entry_id using errcode = '22023',
      hint = 'entry_is_expiry', detail = json_build_object('entry_id', p_entry_id)::text;
  end if;
  if v_orig.kind = 'reverse' then
    raise exception 'entry % is itself a reversal and cannot be reversed; post a new entry instead', p_entry_id
      using errcode = '22023', hint = 'entry_is_reversal', detail = json_build_object('entry_id', p_entry_id)::text;
  end if;
  select e.id into v_by from public.ledger_entries e where e.reverses_entry_id = p_entry_id;
  if found then
    raise exception 'entry % was already reversed by entry %', p_entry_id, v_by using errcode = '23505',
      hint = 'entry_already_reversed', detail = json_build_object('entry_id', p_entry_id, 'reversed_by', v_by)::text;
  end if;

  v_now := clock_timestamp();
  if exists (select 1 from public.point_lots l
             where l.member_id = v_orig.member_id and l.remaining_points > 0 and l.expires_at <= v_now) then
    v_balance := private.expire_member_lots(v_orig.member_id, v_now, v_balance);
  end if;

  if v_orig.points > 0 then
    -- Credit reversed: take back what is still in the lot(s) it created. The part already spent (or
    -- expired) stays as it is; the answer reports it as not_reversed.
    select coalesce(sum(least(l.remaining_points, mv.points)), 0) into v_points
    from public.ledger_lot_moves mv join public.point_lots l on l.id = mv.lot_id
    where mv.entry_id = p_entry_id and mv.points > 0;
    if v_points = 0 then
      raise exception 'nothing left to reverse: the points of entry % were already spent or expired', p_entry_id
        using errcode = 'P0001',
        hint = 'nothing_to_reverse', detail = json_build_object('entry_id', p_entry_id)::text;
    end if;
    v_balance := v_balance - v_points;
    insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key,
                                       transaction_id, reverses_entry_id, reason, occurred_at)
    values (v_orig.member_id, v_orig.business_unit_id, 'reverse', -v_points, v_balance, p_idempotency_key,
            v_orig.transaction_id, p_entry_id, p_reason, v_now)
    on conflict (idempotency_key) where idempotency_key is not null do nothing
    returning id into v_entry;
    if v_entry is null then
      raise exception 'idempotency key "%" was already used with different parameters: entry', p_idempotency_key
        using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', array['entry'])::text;
    end if;
    with take as (
      select l.id, least(l.remaining_points, mv.points) as points
      from public.ledger_lot_moves mv join public.point_lots l on l.id = mv.lot_id
      where mv.entry_id = p_entry_id and mv.points > 0 and l.remaining_points > 0
    ), upd as (
      update public.point_lots l set remaining_points = l.remaining_points - t.points
      from take t where l.id = t.id
      returning l.id, t.points
    ), moves as (
      insert into public.ledger_lot_moves (entry_id, lot_id, points) select v_entry, u.id, -u.points from upd u
    )
    select jsonb_agg(jsonb_build_object('lot_id', u.id, 'points', -u.points) order by u.id) into v_lots from upd u;
    v_points := -v_points;
  else
    -- Debit reversed: give the points back to the lots they came from. A lot that has expired since
    -- cannot take them (they would be spendable past their expiry); those points go into one new lot of
    -- kind 'adjustment' expiring per private.default_expiry('adjustment', now).
    v_points := -v_orig.points;
    v_balance := v_balance + v_points;
    insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key,
                                       transaction_id, reverses_entry_id, reason, occurred_at)
    values (v_orig.member_id, v_orig.business_unit_id, 'reverse', v_points, v_balance, p_idempotency_key,
            v_orig.transaction_id, p_entry_id, p_reason, v_now)
    on conflict (idempotency_key) where idempotency_key is not null do nothing
    returning id into v_entry;
    if v_entry is null then
      raise exception 'idempotency key "%" was already used with different parameters: entry', p_idempotency_key
        using errcode = '23505',
        hint = 'idempotency_key_reused', detail = json_build_object('key', p_idempotency_key, 'differs', array['entry'])::text;
    end if;
    with back as (
      select mv.lot_id, -mv.points as points from public.ledger_lot_moves mv
      where mv.entry_id = p_entry_id and mv.points < 0
    ), upd as (
      update public.point_lots l set remaining_points = l.remaining_points + b.points
      from back b where l.id = b.lot_id and l.expires_at > v_now
      returning l.id, b.points
    ), moves as (
      insert into public.ledger_lot_moves (entry_id, lot_id, points) select v_entry, u.id, u.points from upd u
    )
    select coalesce(sum(u.points), 0) into v_restored from upd u;
    if v_restored < v_points then
      insert into public.point_lots (member_id, business_unit_id, kind, original_points, remaining_points,
                                     earned_at, expires_at, earn_entry_id)
      values (v_orig.member_id, v_orig.business_unit_id, 'adjustment', v_points - v_restored, v_points - v_restored,
              v_now, private.default_expiry('adjustment', v_now), v_entry)
      returning id into v_lot;
      insert into public.ledger_lot_moves (entry_id, lot_id, points) values (v_entry, v_lot, v_points - v_restored);
    end if;
    select jsonb_agg(jsonb_build_object('lot_id', mv.lot_id, 'points', mv.points) order by mv.lot_id) into v_lots
    from public.ledger_lot_moves mv where mv.entry_id = v_entry;
  end if;

  update public.point_balances set balance = v_balance, updated_at = v_now where member_id = v_orig.member_id;
  return jsonb_build_object('entry_id', v_entry, 'reversed_entry_id', p_entry_id, 'points', v_points,
                            'not_reversed', abs(v_orig.points) - abs(v_points),
                            'balance', v_balance, 'duplicate', false, 'lots', coalesce(v_lots, '[]'::jsonb));
end
$$;
comment on function public.reverse_entry(bigint, text, text) is
  'Posts the correcting entry (kind reverse) for an earn, redeem or adjust entry; a reason is required, one '
  'round trip, idempotent by key. Policy: an entry is reversed at most once (second attempt: 23505); expiry '
  'entries and reversals cannot be reversed (22023; expired points come back through a compensation earn). '
  'Reversing a credit (earn) takes back only what is still in its lot: points already spent or expired stay '
  'as they are (the answer reports them as not_reversed; claw them back by reversing that redemption or by an '
  'approved adjustment); if nothing remains, the reversal is refused (P0001). Reversing a debit (redeem) '
  'returns the points to the lots they were taken from; points whose lot has expired meanwhile go into one new '
  'lot of kind adjustment that expires per private.default_expiry(''adjustment'', now). Allowed for frozen '
  'and cancelled members (corrections must always be possible).';

-- 4. Expiry ----------------------------------------------------------------------------------
-- An expiry run first lists the members that have due lots (one pass over the due lots through the
-- (expires_at) partial index, never over the whole lots table), then works through them in member
-- order, in batches of whole members holding up to p_batch_size due lots. Batching by member rather
-- than by expiry time touches each member's balance row (and its foreign-key lock) once per run, like
-- one big statement does; batches cut by expiry time re-touched the same members in batch after batch
-- when members had several due lots and ran at 0.4x the single statement (bench/README.md).
-- One ledger entry per expired lot (occurred_at = the lot's expires_at): exact balance_as_of and a
-- one-to-one link for statements and reminders.

-- The plan of a run: members with lots due at p_as_of, in member_id order, and how many each.
create or replace function private.due_members(p_as_of timestamptz, out members uuid[], out due_lots int[])
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform private.assert_system_caller('expiring points');
  select coalesce(array_agg(d.member_id order by d.member_id), '{}'), coalesce(array_agg(d.n order by d.member_id), '{}')
  into members, due_lots
  from (select l.member_id, count(*)::int as n from public.point_lots l
        where l.remaining_points > 0 and l.expires_at <= p_as_of
        group by l.member_id) d;
end
$$;

-- One batch: every lot of these members due at p_as_of. Balance rows are locked in member_id order
-- before any lot is touched (the lock order redeem uses); the lots are found through the members' FIFO
-- index range and updated by primary key. Returns busy = true (and does nothing) when another expiry
-- batch holds the expiry lock; the caller then stops, as that run covers the due lots.
create or replace function private.expire_lots_batch(p_as_of timestamptz, p_members uuid[],
  out expired bigint, out busy boolean, out points bigint)
language plpgsql security definer set search_path = ''
as $$
declare
  v_ids bigint[];
  v_entries bigint;
begin
  perform private.assert_system_caller('expiring points');
  expired := 0;
  points := 0;
  busy := not pg_try_advisory_xact_lock(hashtext('public.expire_due_lots'));
  if busy or cardinality(p_members) = 0 then
    return;
  end if;

  perform 1 from public.point_balances b where b.member_id = any (p_members) order by b.member_id for update;
  -- Re-read under the locks: a redemption may have expired or spent some of these lots meanwhile.
  v_ids := array(select l.id from public.point_lots l
                 where l.member_id = any (p_members) and l.remaining_points > 0 and l.expires_at <= p_as_of);
  if cardinality(v_ids) = 0 then
    return;
  end if;

  with upd as (
    update public.point_lots l
    set expired_points = l.remaining_points, remaining_points = 0
    where l.id = any (v_ids) and l.remaining_points > 0
    returning l.id, l.member_id, l.business_unit_id, l.expires_at, l.expired_points as points
  ), numbered as (
    -- ids are drawn after the sort, so each member's highest entry id carries its final balance.
    select u.id, u.member_id, u.business_unit_id, u.expires_at, u.points,
           nextval('public.ledger_entries_id_seq') as entry_id,
           sum(u.points) over (partition by u.member_id order by u.expires_at, u.id) as running
    from upd u
    order by u.member_id, u.expires_at, u.id
  ), bal as (
    update public.point_balances b set balance = b.balance - t.total, updated_at = now()
    from (select u.member_id, sum(u.points) as total from upd u group by u.member_id) t
    where b.member_id = t.member_id
    returning b.member_id, b.balance + t.total as before
  ), entries as (
    insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, reason, occurred_at)
    overriding system value
    select n.entry_id, n.member_id, n.business_unit_id, 'expire', -n.points, bal.before - n.running,
           'points expired', n.expires_at
    from numbered n join bal on bal.member_id = n.member_id
    returning 1
  ), moves as (
    insert into public.ledger_lot_moves (entry_id, lot_id, points)
    select n.entry_id, n.id, -n.points from numbered n
  )
  select (select count(*) from numbered), (select count(*) from entries), (select coalesce(sum(n.points), 0) from numbered n)
  into expired, v_entries, points;
  if v_entries <> expired then
    raise exception 'ledger invariant violated: % lots expired but % entries written (missing balance rows)',
      expired, v_entries using errcode = 'XX000', hint = 'ledger_invariant';
  end if;
end
$$;

-- Shared argument checks of the two entry points below.
create or replace function private.assert_expiry_args(p_as_of timestamptz, p_batch_size int)
returns void
language plpgsql stable set search_path = ''
as $$
begin
  if p_as_of is null or p_as_of > clock_timestamp() then
    raise exception 'as_of must be given and not in the future (got %)', coalesce(p_as_of::text, 'null')
      using errcode = '22023', hint = 'as_of_invalid';
  end if;
  if p_batch_size is null or p_batch_size not between 1 and 1000000 then
    raise exception 'batch size must be between 1 and 1000000, got %', coalesce(p_batch_size::text, 'null')
      using errcode = '22023', hint = 'batch_size_invalid', detail = json_build_object('max', 1000000)::text;
  end if;
end
$$;

-- Where the batch that starts at member p_from ends: whole members, up to p_batch_size due lots (at least
-- one member, however many lots it has).
create or replace function private.expiry_batch_end(p_due_lots int[], p_from int, p_batch_size int)
returns int
language plpgsql immutable set search_path = ''
as $$
declare
  v_to int := p_from;
  v_lots bigint := p_due_lots[p_from];
begin
  while v_to < cardinality(p_due_lots) and v_lots + p_due_lots[v_to + 1] <= p_batch_size loop
    v_to := v_to + 1;
    v_lots := v_lots + p_due_lots[v_to];
  end loop;
  return v_to;
end
$$;

create or replace function public.expire_due_lots(p_as_of timestamptz default now(), p_batch_size int default 50000)
returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_plan record;
  v_total bigint := 0;
  v_n int;
  v_from int := 1;
  v_to int;
  r record;
begin
  perform private.assert_system_caller('expiring points');
  perform private.assert_expiry_args(p_as_of, p_batch_size);
  select * into v_plan from private.due_members(p_as_of);
  v_n := cardinality(v_plan.members);
  while v_from <= v_n loop
    v_to := private.expiry_batch_end(v_plan.due_lots, v_from, p_batch_size);
    select * into r from private.expire_lots_batch(p_as_of, v_plan.members[v_from:v_to]);
    exit when r.busy;
    v_total := v_total + r.expired;
    v_from := v_to + 1;
  end loop;
  return v_total;
end
$$;
comment on function public.expire_due_lots(timestamptz, int) is
  'Expires every lot due at p_as_of (not in the future) in ONE transaction, in batches of whole members '
  '(see private.expire_lots_batch): one expire entry per lot, balances decremented. Returns the number of '
  'lots expired; 0 when nothing is due or another expiry run is active. Safe to repeat and to run '
  'concurrently. The nightly job uses private.expire_due_lots_batched, which commits per batch.';

-- Production path of the nightly job: the same batches, each committed on its own, so a run over a
-- million lots neither holds locks nor keeps one huge transaction open, and a crash loses at most one
-- batch (a rerun plans again from what is still due). A procedure with COMMIT may have neither
-- SECURITY DEFINER nor a SET clause, so every name below is schema-qualified; the functions it calls
-- check the caller (service role or a privileged connection only).
create or replace procedure private.expire_due_lots_batched(
  p_as_of timestamptz default now(), p_batch_size int default 50000, inout p_expired bigint default 0,
  inout p_points bigint default 0)
language plpgsql
as $$
declare
  v_plan record;
  v_n int;
  v_from int := 1;
  v_to int;
  r record;
begin
  perform private.assert_expiry_args(p_as_of, p_batch_size);
  p_expired := 0;
  p_points := 0;
  select * into v_plan from private.due_members(p_as_of);
  v_n := cardinality(v_plan.members);
  while v_from <= v_n loop
    v_to := private.expiry_batch_end(v_plan.due_lots, v_from, p_batch_size);
    select * into r from private.expire_lots_batch(p_as_of, v_plan.members[v_from:v_to]);
    exit when r.busy;
    p_expired := p_expired + r.expired;
    p_points := p_points + r.points;
    v_from := v_to + 1;
    commit;
  end loop;
end
$$;
comment on procedure private.expire_due_lots_batched(timestamptz, int, bigint, bigint) is
  'Nightly expiry, committing after each batch of whole members (up to p_batch_size due lots): '
  'call private.expire_due_lots_batched(now(), 50000, null). Returns the lots (p_expired) and points (p_points) '
  'expired. Restartable (a rerun plans again from what is still due) and safe to run concurrently (batches take a '
  'transaction advisory lock; a run that finds it taken stops, leaving the lots to the run that holds it).';

-- 5. Reads -----------------------------------------------------------------------------------
create or replace function public.balance_as_of(p_member_id uuid, p_at timestamptz)
returns bigint
language plpgsql stable security invoker set search_path = ''
as $$
begin
  if p_member_id is null or p_at is null then
    raise exception 'member and time are required' using errcode = '22023', hint = 'member_and_time_missing';
  end if;
  if not exists (select 1 from public.members m where m.id = p_member_id) then
    raise exception 'unknown member %', p_member_id using errcode = 'P0002',
      hint = 'member_unknown', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  return coalesce((select sum(e.points) from public.ledger_entries e
                   where e.member_id = p_member_id and e.occurred_at <= p_at), 0);
end
$$;
comment on function public.balance_as_of(uuid, timestamptz) is
  'The member''s balance at a past moment, from the ledger by business time (occurred_at; an expiry counts at '
  'the lot''s expires_at). Runs with the caller''s rights (RLS applies).';

create or replace function public.lots_expiring_within(p_member_id uuid, p_days int)
returns setof public.point_lots
language plpgsql stable security invoker set search_path = ''
as $$
begin
  if p_days is null or p_days < 0 or p_days > 3660 then
    raise exception 'days must be between 0 and 3660, got %', coalesce(p_days::text, 'null') using errcode = '22023',
      hint = 'days_out_of_range', detail = json_build_object('max', 3660)::text;
  end if;
  if p_member_id is null then
    return query
      select l.* from public.point_lots l
      where l.remaining_points > 0 and l.expires_at > now() and l.expires_at <= now() + make_interval(days => p_days)
      order by l.expires_at, l.id;
  else
    return query
      select l.* from public.point_lots l
      where l.member_id = p_member_id and l.remaining_points > 0
        and l.expires_at > now() and l.expires_at <= now() + make_interval(days => p_days)
      order by l.expires_at, l.earned_at, l.id;
  end if;
end
$$;
comment on function public.lots_expiring_within(uuid, int) is
  'Open, not yet expired lots whose expiry falls within the next p_days days, soonest first; p_member_id null '
  'means every member (expiry reminders). Runs with the caller''s rights (RLS applies).';

create or replace function private.refuse_lot_change()
returns trigger
language plpgsql set search_path = ''
as $$
begin
  raise exception 'point_lots: % refused (lots are never deleted; only remaining and expired points change, through the ledger functions)', tg_op
    using errcode = 'insufficient_privilege', hint = 'lots_kept';
end
$$;

-- One add_jobs call per statement (a bulk insert of 10,000 rows queues 10,000 jobs in one call). When
-- graphile-worker's schema does not exist yet (a database the engine never ran on), nothing is queued:
-- the engine's catch-up sweep enqueues every transaction without a transaction_earnings row at start.
create or replace function private.enqueue_earn_jobs()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if to_regclass('graphile_worker._private_jobs') is null or not exists (select 1 from new_rows) then
    return null;
  end if;
  perform graphile_worker.add_jobs(array(
    select row('earn_transaction', json_build_object('transaction_id', n.id), null, null, 25,
               'earn:' || n.id, null, null)::graphile_worker.job_spec
    from new_rows n));
  return null;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger append_only before update or delete on public.ledger_entries
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.ledger_entries
  for each statement execute function private.refuse_change();
create trigger append_only before update or delete on public.ledger_lot_moves
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.ledger_lot_moves
  for each statement execute function private.refuse_change();
-- Lots are never deleted, and only remaining/expired points ever change.
create trigger keep_lots before delete on public.point_lots
  for each row execute function private.refuse_lot_change();
create trigger keep_lots_truncate before truncate on public.point_lots
  for each statement execute function private.refuse_lot_change();
create trigger lot_identity_fixed before update on public.point_lots
  for each row
  when (old.member_id is distinct from new.member_id or old.business_unit_id is distinct from new.business_unit_id
        or old.kind is distinct from new.kind or old.original_points is distinct from new.original_points
        or old.earned_at is distinct from new.earned_at or old.expires_at is distinct from new.expires_at
        or old.earn_entry_id is distinct from new.earn_entry_id)
  execute function private.refuse_lot_change();
create trigger enqueue_earn after insert on public.transactions
  referencing new table as new_rows
  for each statement execute function private.enqueue_earn_jobs();
create trigger audit after insert or update or delete on public.member_identities
  for each row execute function private.audit_row();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
alter table public.member_identities enable row level security;
alter table public.transactions enable row level security;
alter table public.point_balances enable row level security;
alter table public.ledger_entries enable row level security;
alter table public.point_lots enable row level security;
alter table public.ledger_lot_moves enable row level security;

create policy "staff read member identities" on public.member_identities
  for select to authenticated using ((select private.is_staff_user()));
create policy "front office links identities of its unit" on public.member_identities
  for insert to authenticated
  with check (private.has_any_role('{staff,manager,director}', business_unit_id));
create policy "unit managers remove identities" on public.member_identities
  for delete to authenticated using (private.has_any_role('{manager,director}', business_unit_id));

create policy "staff read transactions" on public.transactions
  for select to authenticated using ((select private.is_staff_user()));
create policy "front office records transactions of its unit" on public.transactions
  for insert to authenticated
  with check (private.has_any_role('{staff,manager,director}', business_unit_id)
              and operator_id is not distinct from (select auth.uid()));

-- Balances, lots, entries and moves are written only by the ledger functions (security definer).
create policy "staff read balances" on public.point_balances
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read ledger" on public.ledger_entries
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read lots" on public.point_lots
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read lot moves" on public.ledger_lot_moves
  for select to authenticated using ((select private.is_staff_user()));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
-- Explicit, and revoked first: hosted Supabase grants everything on new public tables by default.
revoke all on public.member_identities, public.transactions, public.point_balances, public.ledger_entries,
  public.point_lots, public.ledger_lot_moves from anon, authenticated, service_role;
grant select, insert, delete on public.member_identities to authenticated;
grant select, insert on public.transactions to authenticated;
grant select on public.point_balances, public.ledger_entries, public.point_lots, public.ledger_lot_moves
  to authenticated;
grant select, insert, update, delete on public.member_identities, public.transactions to service_role;
grant select on public.point_balances, public.ledger_entries, public.point_lots, public.ledger_lot_moves
  to service_role;

revoke all on function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz),
  public.redeem_points(uuid, uuid, int, text, text), public.reverse_entry(bigint, text, text),
  public.expire_due_lots(timestamptz, int), public.balance_as_of(uuid, timestamptz),
  public.lots_expiring_within(uuid, int) from public, anon;
grant execute on function public.earn_points(uuid, uuid, int, text, text, timestamptz, uuid, text, timestamptz),
  public.redeem_points(uuid, uuid, int, text, text), public.reverse_entry(bigint, text, text),
  public.balance_as_of(uuid, timestamptz), public.lots_expiring_within(uuid, int)
  to authenticated, service_role;
grant execute on function public.expire_due_lots(timestamptz, int) to service_role;

revoke all on function private.default_expiry(text, timestamptz), private.assert_ledger_access(uuid, text),
  private.begin_posting(uuid, uuid, int, text, text, text),
  private.assert_system_caller(text), private.refuse_lot_change(),
  private.assert_business_unit(uuid), private.assert_idempotency_key(text), private.lock_new_balance(uuid),
  private.expire_member_lots(uuid, timestamptz, bigint),
  private.due_members(timestamptz), private.expire_lots_batch(timestamptz, uuid[]),
  private.assert_expiry_args(timestamptz, int), private.expiry_batch_end(int[], int, int)
  from public, anon, authenticated;
revoke all on procedure private.expire_due_lots_batched(timestamptz, int, bigint, bigint) from public, anon, authenticated;
grant execute on function private.due_members(timestamptz), private.expire_lots_batch(timestamptz, uuid[]),
  private.assert_expiry_args(timestamptz, int), private.expiry_batch_end(int[], int, int) to service_role;
grant execute on procedure private.expire_due_lots_batched(timestamptz, int, bigint, bigint) to service_role;

revoke all on function private.enqueue_earn_jobs() from public, anon, authenticated;
