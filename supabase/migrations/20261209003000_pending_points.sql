-- Pending points (待入账): the points a purchase earns can be held for a return window that the hold rules give
-- (rule kind `hold`, core/rule-kinds/kinds/hold.ts: days per unit, channel, tier...). Held points are not in the
-- ledger at all: no ledger entry, no lot, no balance, no settlement entry, no dashboard rollup. So nothing spends,
-- expires, settles or counts them until the engine releases them (private.release_pending_points, cron every 10
-- minutes): the release posts them through earn_points with the key the earn job would have used
-- (txn:<id>:earn[:<kind>]), exactly once. A return of the purchase within the window (public.return_transaction)
-- cancels them without ever touching the spendable balance; after the window the normal reversal (reverse_entry,
-- with the caller's rights) takes back what is left of the posted lots.
--
-- Lock order as everywhere: the member's point_balances row, then the member's pending rows and lots.

-- ── The held lots ────────────────────────────────────────────────────────────────────────
create or replace function private.pending_limits()
returns jsonb
language sql immutable
as $$ select '{"max_hold_days": 90, "max_release_batch": 100000}'::jsonb $$;
comment on function private.pending_limits() is
  'Bounds of pending points: the longest return window (core/rule-kinds/kinds/hold.ts MAX_HOLD_DAYS) and release batch.';

create table public.pending_points (
  id bigint generated always as identity primary key,
  transaction_id uuid not null references public.transactions (id),
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  kind text not null check (kind = any (private.lot_kinds())),
  points int not null check (points > 0 and points <= 1000000),
  -- The lot's expiry by the expiry rules at the purchase (null: the kind's default validity from the release).
  expires_at timestamptz,
  earned_at timestamptz not null,
  release_at timestamptz not null,
  -- The key of the earn entry the release posts: the one the earn job would have posted at once.
  idempotency_key text not null unique check (length(idempotency_key) between 1 and 200),
  status text not null default 'held' check (status in ('held', 'released', 'cancelled', 'lapsed')),
  entry_id bigint references public.ledger_entries (id),
  lot_id bigint references public.point_lots (id),
  settled_at timestamptz,
  settled_by uuid,
  reason text check (length(reason) <= 500),
  created_at timestamptz not null default now(),
  constraint pending_points_window check (release_at > earned_at
    and release_at <= earned_at + make_interval(days => 90)),
  constraint pending_points_settled check ((status = 'held') = (settled_at is null)),
  constraint pending_points_released check ((status = 'released') = (entry_id is not null))
);
create index pending_points_due_idx on public.pending_points (release_at) where status = 'held';
create index pending_points_member_idx on public.pending_points (member_id, created_at desc);
create index pending_points_transaction_idx on public.pending_points (transaction_id);
comment on table public.pending_points is
  'Pending points (待入账): lots a purchase earned, held for its return window (hold rules). Not in the ledger, '
  'the balance, settlement or the dashboards until released (status released: entry_id/lot_id of the posted lot); '
  'a return within the window cancels them (status cancelled); lapsed: the lot would already have expired, or the '
  'member was cancelled, at the release. Changed only by private.release_pending_points and public.return_transaction.';

-- Only status, the posted entry and lot, when, by whom and why change, and only from held; nothing is deleted.
create or replace function private.guard_pending_points()
returns trigger
language plpgsql
as $$
begin
  if tg_op = 'DELETE' or old.status <> 'held'
     or (old.id, old.transaction_id, old.member_id, old.business_unit_id, old.kind, old.points, old.expires_at,
         old.earned_at, old.release_at, old.idempotency_key, old.created_at)
        is distinct from
        (new.id, new.transaction_id, new.member_id, new.business_unit_id, new.kind, new.points, new.expires_at,
         new.earned_at, new.release_at, new.idempotency_key, new.created_at) then
    raise exception 'pending points change only from held to released, cancelled or lapsed' using errcode = '42501',
      hint = 'append_only', detail = json_build_object('table', tg_table_name, 'operation', tg_op)::text;
  end if;
  return new;
end
$$;
create trigger guard before update or delete on public.pending_points
  for each row execute function private.guard_pending_points();
create trigger audit after update on public.pending_points
  for each row execute function private.audit_row();

alter table public.pending_points enable row level security;
create policy "staff read pending points" on public.pending_points
  for select to authenticated using ((select private.is_staff_user()));
revoke all on public.pending_points from public, anon, authenticated, service_role;
grant select on public.pending_points to authenticated, service_role;

-- A member's points apart: spendable (the balance) and pending.
create or replace view public.member_point_summary with (security_invoker = true) as
  select b.member_id, b.balance,
         coalesce((select sum(p.points) from public.pending_points p
                   where p.member_id = b.member_id and p.status = 'held'), 0)::bigint as pending,
         (select min(p.release_at) from public.pending_points p
          where p.member_id = b.member_id and p.status = 'held') as next_release_at
  from public.point_balances b;
comment on view public.member_point_summary is
  'Per member: the spendable balance and the pending points (待入账) apart, with the next release.';
revoke all on public.member_point_summary from public, anon, authenticated, service_role;
grant select on public.member_point_summary to authenticated, service_role;

-- ── The earn job's posting, with held lots ──────────────────────────────────────────────
alter table public.transaction_earnings drop constraint transaction_earnings_outcome_check;
alter table public.transaction_earnings add constraint transaction_earnings_outcome_check
  check (outcome in ('earned', 'held', 'none', 'expired', 'refused', 'legacy'));
comment on column public.transaction_earnings.outcome is
  'earned: posted as lots; held: pending for a return window (public.pending_points, lots carry held true and '
  'pending_id); none, expired, refused, legacy: see the table.';

-- p_items[].hold_days: the return window the hold rules give (0 or absent: post at once). A hold that would already
-- have ended (a late transaction) posts at once.
create or replace function private.post_earnings(p_items jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_item jsonb;
  v_lot jsonb;
  v_txn public.transactions;
  v_res jsonb;
  v_lots jsonb;
  v_total bigint;
  v_first timestamptz;
  v_n int;
  v_held int;
  v_outcome text;
  v_error text;
  v_expires timestamptz;
  v_expired boolean;
  v_growth jsonb;
  v_hold int;
  v_release timestamptz;
  v_key text;
  v_status public.member_status;
  v_pending bigint;
  v_out jsonb := '[]';
begin
  perform private.assert_system_caller('posting earnings');
  for v_item in
    select i.value from jsonb_array_elements(p_items) i
    order by (i.value ->> 'member_id')::uuid, (i.value ->> 'transaction_id')::uuid
  loop
    perform 1 from public.point_balances b where b.member_id = (v_item ->> 'member_id')::uuid for update;
    select * into v_txn from public.transactions t where t.id = (v_item ->> 'transaction_id')::uuid;
    if not found then
      v_out := v_out || jsonb_build_object('transaction_id', v_item -> 'transaction_id', 'outcome', 'missing');
      continue;
    end if;
    if v_txn.member_id <> (v_item ->> 'member_id')::uuid or v_txn.business_unit_id <> (v_item ->> 'business_unit_id')::uuid then
      v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', 'stale');
      continue;
    end if;
    if exists (select 1 from public.transaction_earnings e where e.transaction_id = v_txn.id) then
      v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', 'duplicate');
      continue;
    end if;

    if jsonb_array_length(coalesce(v_item -> 'errors', '[]')) > 0 then
      insert into public.rule_errors as re (rule_id, rule_key, rule_version, stage, message, detail, transaction_id)
      select (x ->> 'rule_id')::uuid, x ->> 'rule_key', (x ->> 'rule_version')::int, x ->> 'stage',
             left(x ->> 'message', 2000), x -> 'detail', v_txn.id
      from jsonb_array_elements(v_item -> 'errors') x
      where exists (select 1 from public.rules r where r.id = (x ->> 'rule_id')::uuid)
      on conflict (rule_id, stage, message) do update
        set occurrences = re.occurrences + 1, last_seen = now(), transaction_id = excluded.transaction_id;
    end if;

    -- The return window: whole days, bounded; ended already (late transaction) = none.
    v_hold := case when jsonb_typeof(v_item -> 'hold_days') = 'number'
                   then least(greatest(floor((v_item ->> 'hold_days')::numeric)::int, 0),
                              (private.pending_limits() ->> 'max_hold_days')::int)
                   else 0 end;
    v_release := case when v_hold > 0 then v_txn.occurred_at + make_interval(days => v_hold) end;
    if v_release is not null and v_release <= clock_timestamp() then
      v_release := null;
    end if;

    v_lots := '[]'; v_total := 0; v_n := 0; v_held := 0; v_first := null; v_error := null; v_expired := false;
    v_outcome := 'none';
    begin
      for v_lot in select l.value from jsonb_array_elements(coalesce(v_item -> 'lots', '[]')) l loop
        v_expires := coalesce((v_lot ->> 'expires_at')::timestamptz,
                              private.default_expiry(v_lot ->> 'kind', least(v_txn.occurred_at, clock_timestamp())));
        if v_expires <= clock_timestamp() then
          v_lots := v_lots || jsonb_build_object('kind', v_lot ->> 'kind', 'points', 0,
                                                 'expired_points', (v_lot ->> 'points')::int, 'expires_at', v_expires);
          v_expired := true;
          continue;
        end if;
        v_key := 'txn:' || v_txn.id || ':earn' || case when v_n + v_held = 0 then '' else ':' || (v_lot ->> 'kind') end;
        if v_release is not null and (v_lot ->> 'points')::int > 0 then
          -- Held: checked as earn_points would check it (an inactive member earns nothing, pending or not).
          select m.status into v_status from public.members m where m.id = v_txn.member_id;
          if v_status <> 'active' then
            raise exception 'member % is %: no points are earned', v_txn.member_id, v_status using errcode = '22023',
              hint = 'member_inactive', detail = json_build_object('member_id', v_txn.member_id, 'status', v_status)::text;
          end if;
          insert into public.pending_points (transaction_id, member_id, business_unit_id, kind, points, expires_at,
                                             earned_at, release_at, idempotency_key)
          values (v_txn.id, v_txn.member_id, v_txn.business_unit_id, v_lot ->> 'kind', (v_lot ->> 'points')::int,
                  (v_lot ->> 'expires_at')::timestamptz, v_txn.occurred_at, v_release, v_key)
          returning id into v_pending;
          v_lots := v_lots || jsonb_build_object(
            'kind', v_lot ->> 'kind', 'points', (v_lot ->> 'points')::int, 'held', true, 'pending_id', v_pending,
            'release_at', v_release, 'expires_at', v_expires);
          v_total := v_total + (v_lot ->> 'points')::int;
          v_held := v_held + 1;
          continue;
        end if;
        v_res := public.earn_points(
          v_txn.member_id, v_txn.business_unit_id, (v_lot ->> 'points')::int, v_key,
          v_lot ->> 'kind', v_expires, v_txn.id, left(v_item ->> 'reason', 500), v_txn.occurred_at);
        v_lots := v_lots || jsonb_build_object(
          'kind', v_lot ->> 'kind', 'points', (v_lot ->> 'points')::int,
          'entry_id', (v_res ->> 'entry_id')::bigint, 'lot_id', (v_res ->> 'lot_id')::bigint, 'expires_at', v_expires);
        v_total := v_total + (v_lot ->> 'points')::int;
        v_n := v_n + 1;
      end loop;
      if v_held > 0 then
        v_outcome := 'held';
      elsif v_n > 0 then
        v_outcome := 'earned';
      elsif v_expired then
        v_outcome := 'expired';
      end if;
    exception when sqlstate '22023' or sqlstate 'P0002' or sqlstate '23505' then
      v_outcome := 'refused';
      v_error := sqlerrm;
      v_lots := '[]';
      v_total := 0;
    end;
    select min((l ->> 'expires_at')::timestamptz) into v_first from jsonb_array_elements(v_lots) l where (l ->> 'points')::int > 0;
    insert into public.transaction_earnings (transaction_id, member_id, business_unit_id, points, outcome, lots,
                                             expires_at, rule_versions, error)
    values (v_txn.id, v_txn.member_id, v_txn.business_unit_id, v_total, v_outcome, v_lots, v_first,
            coalesce(v_item -> 'rule_versions', '[]'), v_error);
    v_growth := private.add_transaction_growth(
      v_txn.id, coalesce((v_item ->> 'growth')::int, 0), coalesce(v_item -> 'growth_rules', '[]'));
    v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', v_outcome, 'points', v_total,
                                         'growth', v_growth -> 'growth', 'tier_changed', v_growth -> 'tier_changed');
  end loop;
  return v_out;
end
$$;
comment on function private.post_earnings(jsonb) is
  'The engine''s posting of a batch of evaluated transactions, one database transaction: earn_points per lot '
  '(idempotency key txn:<id>:earn[:<kind>]) or, when the hold rules gave a return window (hold_days), a pending '
  'row per lot with that key (public.pending_points), the transaction_earnings row and the growth together. '
  'Returns per item {transaction_id, outcome: earned|held|none|expired|refused|duplicate|stale|missing, points, '
  'growth, tier_changed}.';
revoke all on function private.post_earnings(jsonb) from public, anon, authenticated;

-- ── Release ──────────────────────────────────────────────────────────────────────────────
-- Posts every held lot whose window ended by p_as_of (at most p_limit), member by member in member order. Each is
-- re-read under the member's balance lock, so two releases at once post it once (the second finds it released),
-- and a return that got the lock first leaves it cancelled. Returns how many lots it posted.
create or replace function private.release_pending_points(p_as_of timestamptz default now(), p_limit int default 10000)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_cand record;
  v_p public.pending_points;
  v_status public.member_status;
  v_expires timestamptz;
  v_res jsonb;
  v_count int := 0;
begin
  perform private.assert_system_caller('releasing pending points');
  if p_as_of is null or not isfinite(p_as_of) or p_as_of > now() + interval '1 day' then
    raise exception 'the release moment must be a finite timestamp, at most a day ahead' using errcode = '22023',
      hint = 'timestamp_not_finite';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > (private.pending_limits() ->> 'max_release_batch')::int then
    raise exception 'release batch must be between 1 and %', private.pending_limits() ->> 'max_release_batch'
      using errcode = '22023', hint = 'invalid_batch',
      detail = json_build_object('max', (private.pending_limits() ->> 'max_release_batch')::int)::text;
  end if;
  for v_cand in
    select p.id, p.member_id from public.pending_points p
    where p.status = 'held' and p.release_at <= p_as_of
    order by p.member_id, p.id
    limit p_limit
  loop
    perform 1 from public.point_balances b where b.member_id = v_cand.member_id for update;
    select * into v_p from public.pending_points p where p.id = v_cand.id for update;
    if v_p.status <> 'held' then
      continue;
    end if;
    select m.status into v_status from public.members m where m.id = v_p.member_id;
    if v_status = 'frozen' then
      continue; -- released once the member is unfrozen
    end if;
    v_expires := coalesce(v_p.expires_at, private.default_expiry(v_p.kind, v_p.earned_at));
    if v_status = 'cancelled' or v_expires <= clock_timestamp() then
      update public.pending_points
      set status = 'lapsed', settled_at = clock_timestamp(),
          reason = case when v_status = 'cancelled' then 'member_cancelled' else 'expired_before_release' end
      where id = v_p.id;
      continue;
    end if;
    v_res := public.earn_points(v_p.member_id, v_p.business_unit_id, v_p.points, v_p.idempotency_key, v_p.kind,
                                v_expires, v_p.transaction_id, null, clock_timestamp());
    update public.pending_points
    set status = 'released', settled_at = clock_timestamp(),
        entry_id = (v_res ->> 'entry_id')::bigint, lot_id = (v_res ->> 'lot_id')::bigint
    where id = v_p.id;
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;
comment on function private.release_pending_points(timestamptz, int) is
  'Posts the pending points whose return window ended (engine cron release_pending_points, every 10 minutes) '
  'through earn_points with their own key, once even when run twice at once. A frozen member''s wait; a cancelled '
  'member''s, or lots whose expiry passed, lapse. Returns how many lots were posted.';
revoke all on function private.release_pending_points(timestamptz, int) from public, anon, authenticated;
grant execute on function private.release_pending_points(timestamptz, int) to service_role;

-- ── Returns ──────────────────────────────────────────────────────────────────────────────
-- A return of a purchase (退货): within the window its held lots are cancelled, the balance is not touched; lots
-- already posted (window over) are reversed by reverse_entry with the caller's rights (what was spent stays spent).
-- Idempotent: a second call cancels nothing more and reverses nothing more.
create or replace function public.return_transaction(p_transaction_id uuid, p_reason text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_txn public.transactions;
  v_cancelled int := 0;
  v_cancelled_points bigint := 0;
  v_reversed int := 0;
  v_reversed_points bigint := 0;
  v_entry record;
  v_res jsonb;
begin
  if p_transaction_id is null then
    perform private.assert_ledger_access(null, 'returning a purchase');
    raise exception 'the purchase to return is required' using errcode = '22023', hint = 'transaction_missing';
  end if;
  select * into v_txn from public.transactions t where t.id = p_transaction_id;
  perform private.assert_ledger_access(v_txn.business_unit_id, 'returning a purchase');
  if v_txn.id is null then
    raise exception 'unknown transaction %', p_transaction_id using errcode = 'P0002',
      hint = 'transaction_unknown', detail = json_build_object('transaction_id', p_transaction_id)::text;
  end if;
  if p_reason is null or btrim(p_reason) = '' then
    raise exception 'a reason is required to return a purchase' using errcode = '22023', hint = 'reason_required';
  end if;
  if length(p_reason) > 500 then
    raise exception 'reason is too long (at most 500 characters)' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;

  perform 1 from public.point_balances b where b.member_id = v_txn.member_id for update;
  with c as (
    update public.pending_points p
    set status = 'cancelled', settled_at = clock_timestamp(), settled_by = auth.uid(), reason = p_reason
    where p.transaction_id = v_txn.id and p.status = 'held'
    returning p.points
  )
  select count(*), coalesce(sum(points), 0) into v_cancelled, v_cancelled_points from c;

  -- After the window: the normal reversal of what was posted and not yet reversed.
  for v_entry in
    select e.id from public.ledger_entries e
    where e.transaction_id = v_txn.id and e.kind = 'earn'
      and not exists (select 1 from public.ledger_entries r where r.reverses_entry_id = e.id)
    order by e.id
  loop
    begin
      v_res := public.reverse_entry(v_entry.id, 'return:' || v_txn.id || ':' || v_entry.id, p_reason);
      v_reversed := v_reversed + 1;
      v_reversed_points := v_reversed_points - (v_res ->> 'points')::bigint;
    exception when sqlstate 'P0001' then
      null; -- nothing left to reverse: spent or expired, as a reversal of it would say
    end;
  end loop;
  return jsonb_build_object('transaction_id', v_txn.id, 'cancelled', v_cancelled, 'cancelled_points', v_cancelled_points,
                            'reversed', v_reversed, 'reversed_points', v_reversed_points);
end
$$;
comment on function public.return_transaction(uuid, text) is
  'A return of a purchase (退货) by the front office of its unit: pending points of the purchase (待入账) are '
  'cancelled without touching the balance; points already posted are reversed (reverse_entry, the caller''s rights). '
  'Idempotent. Errors: 42501, 22023 reason_required / reason_too_long, P0002 transaction_unknown.';
revoke all on function public.return_transaction(uuid, text) from public, anon;
grant execute on function public.return_transaction(uuid, text) to authenticated, service_role;
