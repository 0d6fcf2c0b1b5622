-- The tier programme as rules:
-- 1. Growth value comes from the `growth` rules, evaluated by the engine per transaction with its earning rules
--    and added exactly once (public.transaction_growth, one row per transaction) through
--    private.add_transaction_growth, which only the engine (a system caller) may call. record_transaction no longer
--    adds a fixed growth; crossing a threshold still upgrades at once in SQL (private.apply_growth), with tier_history.
--    Transactions recorded before this migration keep the growth they were given (a `legacy` row each), so the
--    engine never adds theirs again; a transaction whose evaluation fails is parked with its points, and its growth
--    follows when an administrator retries it (the same post).
-- 2. Tier thresholds must rise with rank (checked after every change of public.tiers; admins edit, audited).
-- 3. Upgrade gifts: points (into a lot of the tier's gift lot kind) granted once per member, tier and review
--    window on an upgrade into the tier (idempotency key tier-gift:<tier>:<member>:<window start>).
-- 4. Paid memberships: offers per tier and period (public.tier_offers, admins), purchases sold by a unit's staff
--    (public.sell_tier_membership, idempotent per unit and payment reference), expiry back to the earned tier
--    (public.expire_paid_tiers, an engine cron).
-- Lock order stays the ledger's: point_balances row, then lots, then the members row.

-- ── Limits ───────────────────────────────────────────────────────────────────────────────
create or replace function private.tier_limits()
returns jsonb
language sql immutable
as $$
  select '{"growth_max_per_event": 1000000, "upgrade_gift_max_points": 100000, "offer_price_max_fen": 10000000,
           "paid_months_ahead_max": 24}'::jsonb
$$;
comment on function private.tier_limits() is
  'Caps of the tier programme (core/enums/limits.ts holds the same): growth per transaction, upgrade gift points, '
  'price of an offer in fen, months a paid tier may run ahead.';

-- ── Tiers: gifts, rising thresholds ──────────────────────────────────────────────────────
alter table public.tiers
  add column upgrade_gift_points int not null default 0
    constraint tiers_upgrade_gift_points_range check (upgrade_gift_points between 0 and 100000),
  add column upgrade_gift_lot_kind text not null default 'campaign'
    constraint tiers_upgrade_gift_lot_kind_check
    check (upgrade_gift_lot_kind in ('shopping', 'campaign', 'compensation', 'birthday', 'adjustment', 'other'));
comment on column public.tiers.upgrade_gift_points is
  'Points given once when a member is upgraded into this tier (by growth or a paid membership), per review window.';
comment on column public.tiers.upgrade_gift_lot_kind is 'Lot kind of the upgrade gift (decides its default validity).';

create or replace function private.assert_tier_thresholds()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_bad record;
begin
  select lo.code as lower_code, lo.growth_threshold as lower_threshold, hi.code as higher_code,
         hi.growth_threshold as higher_threshold
  into v_bad
  from public.tiers lo join public.tiers hi on hi.rank > lo.rank and hi.growth_threshold <= lo.growth_threshold
  order by lo.rank, hi.rank limit 1;
  if found then
    raise exception 'growth thresholds must rise with rank: % (%) is not above % (%)',
      v_bad.higher_code, v_bad.higher_threshold, v_bad.lower_code, v_bad.lower_threshold
      using errcode = '23514', hint = 'tier_thresholds_not_rising',
      detail = json_build_object('tier', v_bad.higher_code, 'threshold', v_bad.higher_threshold,
                                 'lower_tier', v_bad.lower_code, 'lower_threshold', v_bad.lower_threshold)::text;
  end if;
  return null;
end
$$;
create trigger thresholds_rise after insert or update on public.tiers
  for each statement execute function private.assert_tier_thresholds();

-- ── Tier history reasons ─────────────────────────────────────────────────────────────────
alter table public.tier_history drop constraint tier_history_reason_check;
alter table public.tier_history add constraint tier_history_reason_check
  check (reason in ('registration', 'upgrade', 'review', 'merge', 'purchase', 'paid_expiry'));
comment on table public.tier_history is
  'Every tier change of a member: reason is a code (registration, upgrade by growth, review, merge, purchase of a '
  'paid membership, paid_expiry) and details its values (growth, threshold, order_no, merged_member_no, period, '
  'ends_at, payment_ref, gift_points), translated by the app.';

-- ── Members: the paid tier ───────────────────────────────────────────────────────────────
-- paid_tier_id and earned_tier_id name tiers without foreign keys: a second and third key from members to tiers
-- would make PostgREST's embedding `members?select=tiers(...)` (and member_directory's) ambiguous for every client.
-- Only the functions below write them, with ids read from public.tiers; deleting a tier they name is refused.
alter table public.members
  add column paid_tier_id uuid,
  add column paid_until timestamptz,
  add column earned_tier_id uuid,
  add constraint members_paid_tier_complete check ((paid_tier_id is null) = (paid_until is null)
                                                   and (paid_tier_id is not null or earned_tier_id is null));
create index members_paid_until_idx on public.members (paid_until) where paid_until is not null;
comment on column public.members.paid_tier_id is 'Tier bought with a paid membership, until paid_until (null: none).';
create or replace function private.refuse_deleting_named_tier()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select 1 from public.members m where m.paid_tier_id = old.id or m.earned_tier_id = old.id) then
    raise exception 'tier % is held by members with a paid membership', old.code using errcode = '23503',
      hint = 'tier_in_use', detail = json_build_object('tier', old.code)::text;
  end if;
  return old;
end
$$;
create trigger refuse_deleting_named_tier before delete on public.tiers
  for each row execute function private.refuse_deleting_named_tier();
comment on column public.members.earned_tier_id is
  'While a paid tier runs: the tier the member''s growth earns (tier_id is the higher of both); null otherwise.';

-- ── Growth per transaction ───────────────────────────────────────────────────────────────
create table public.transaction_growth (
  transaction_id uuid primary key references public.transactions (id),
  member_id uuid not null references public.members (id),
  growth int not null check (growth between 0 and 1000000000),
  source text not null check (source in ('legacy', 'rules')),
  rule_versions jsonb not null default '[]' check (jsonb_typeof(rule_versions) = 'array'),
  tier_changed boolean not null default false,
  added_at timestamptz not null default now()
);
create index transaction_growth_member_idx on public.transaction_growth (member_id);
comment on table public.transaction_growth is
  'The growth value added for each transaction, exactly once (this row is written with it): source rules (the growth '
  'rules, versions applied) or legacy (1 per whole yuan, before growth became rules).';

insert into public.transaction_growth (transaction_id, member_id, growth, source, added_at)
select t.id, t.member_id, t.growth_points, 'legacy', t.created_at from public.transactions t;

alter table public.transaction_growth enable row level security;
create policy "staff read transaction growth" on public.transaction_growth
  for select to authenticated using ((select private.is_staff_user()));
revoke all on public.transaction_growth from public, anon, authenticated, service_role;
grant select on public.transaction_growth to authenticated, service_role;

-- Upgrade gift of a tier, once per member, tier and review window. Caller holds the member's balance row
-- (earn_points locks it otherwise: the lock order is the ledger's). A refusal of the ledger (e.g. a frozen
-- member) gives no gift and does not undo the upgrade. Returns the gift's points (0: none).
create or replace function private.grant_upgrade_gift(p_member_id uuid, p_tier_id uuid, p_business_unit_id uuid)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_tier public.tiers;
  v_window timestamptz;
  v_points int;
begin
  select * into v_tier from public.tiers where id = p_tier_id;
  v_points := least(coalesce(v_tier.upgrade_gift_points, 0), (private.tier_limits() ->> 'upgrade_gift_max_points')::int);
  if v_points <= 0 or p_business_unit_id is null then
    return 0;
  end if;
  select m.tier_reviewed_at into v_window from public.members m where m.id = p_member_id;
  begin
    perform private.earn_points_unchecked(
      p_member_id, p_business_unit_id, v_points,
      'tier-gift:' || v_tier.id || ':' || p_member_id || ':' || floor(extract(epoch from v_window))::bigint,
      v_tier.upgrade_gift_lot_kind, null, null, 'tier upgrade gift: ' || v_tier.code, now());
  exception when sqlstate '22023' then
    return 0;
  end;
  return v_points;
end
$$;

-- Adds growth to a member and upgrades at once when a threshold is crossed (never downgrades: that is the
-- review's job). While a paid tier runs the growth moves the earned tier, and the member's tier only when the
-- earned one goes above it (an earned upgrade above the paid tier wins). Grants the upgrade gift of the new tier.
create or replace function private.apply_growth(p_member_id uuid, p_growth int, p_order_no text, p_business_unit_id uuid)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_member public.members;
  v_current public.tiers;
  v_earned public.tiers;
  v_target public.tiers;
  v_gift int;
begin
  update public.members set growth_value = growth_value + greatest(p_growth, 0)
  where id = p_member_id returning * into v_member;
  select * into v_current from public.tiers where id = v_member.tier_id;
  select * into v_earned from public.tiers where id = coalesce(v_member.earned_tier_id, v_member.tier_id);
  select * into v_target from public.tiers where growth_threshold <= v_member.growth_value order by rank desc limit 1;
  if v_member.paid_tier_id is not null and v_target.rank > v_earned.rank then
    update public.members set earned_tier_id = v_target.id where id = p_member_id;
  end if;
  if v_target.rank > v_current.rank then
    update public.members set tier_id = v_target.id,
           earned_tier_id = case when paid_tier_id is null then null else v_target.id end
    where id = p_member_id;
    v_gift := private.grant_upgrade_gift(p_member_id, v_target.id, p_business_unit_id);
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    values (p_member_id, v_current.id, v_target.id, 'upgrade',
            jsonb_build_object('growth', v_member.growth_value, 'threshold', v_target.growth_threshold,
                               'order_no', p_order_no, 'gift_points', v_gift));
    return jsonb_build_object('growth_value', v_member.growth_value, 'tier_code', v_target.code, 'tier_changed', true);
  end if;
  return jsonb_build_object('growth_value', v_member.growth_value, 'tier_code', v_current.code, 'tier_changed', false);
end
$$;

-- The engine's growth of one transaction: added once (a second call, or one racing it, finds the row and changes
-- nothing), capped per event. Engine only.
create or replace function private.add_transaction_growth(p_transaction_id uuid, p_growth int, p_rule_versions jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_max int := (private.tier_limits() ->> 'growth_max_per_event')::int;
  v_txn public.transactions;
  v_growth int;
  v_res jsonb;
begin
  perform private.assert_system_caller('adding growth');
  if p_growth is null or p_growth < 0 then
    raise exception 'growth must be a whole number of at least 0, got %', coalesce(p_growth::text, 'null')
      using errcode = '22023', hint = 'growth_not_valid', detail = json_build_object('growth', p_growth)::text;
  end if;
  v_growth := least(p_growth, v_max);
  select * into v_txn from public.transactions where id = p_transaction_id;
  if not found then
    raise exception 'unknown transaction %', p_transaction_id using errcode = '22023',
      hint = 'transaction_unknown', detail = json_build_object('transaction_id', p_transaction_id)::text;
  end if;
  insert into public.transaction_growth (transaction_id, member_id, growth, source, rule_versions)
  values (v_txn.id, v_txn.member_id, v_growth, 'rules', coalesce(p_rule_versions, '[]'))
  on conflict (transaction_id) do nothing;
  if not found then
    return jsonb_build_object('transaction_id', v_txn.id, 'duplicate', true,
                              'growth', (select g.growth from public.transaction_growth g where g.transaction_id = v_txn.id));
  end if;
  update public.transactions set growth_points = v_growth where id = v_txn.id;
  v_res := private.apply_growth(v_txn.member_id, v_growth, v_txn.order_no, v_txn.business_unit_id);
  if (v_res ->> 'tier_changed')::boolean then
    update public.transaction_growth set tier_changed = true where transaction_id = v_txn.id;
  end if;
  return jsonb_build_object('transaction_id', v_txn.id, 'duplicate', false, 'growth', v_growth) || v_res;
end
$$;
comment on function private.add_transaction_growth(uuid, int, jsonb) is
  'Adds the growth the growth rules gave a transaction (capped at private.tier_limits() growth_max_per_event), once: '
  'public.transaction_growth holds one row per transaction. Upgrades at once when a threshold is crossed. Engine only.';

-- ── Recording a transaction: no growth here any more ─────────────────────────────────────
create or replace function private.record_transaction_unchecked(
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
  v_txn public.transactions;
  v_status public.member_status;
  v_earned public.transaction_earnings;
  v_member public.members;
begin
  perform private.assert_ledger_access(p_business_unit_id, 'recording a transaction');
  perform private.assert_business_unit(p_business_unit_id);
  if p_amount is null or p_amount <= 0 then
    raise exception 'amount must be a positive number of yuan, got %', coalesce(p_amount::text, 'null') using errcode = '22023',
      hint = 'amount_not_positive';
  end if;
  if p_amount <> round(p_amount, 2) then
    raise exception 'amount % has more than 2 decimals', p_amount using errcode = '22023', hint = 'amount_decimals';
  end if;
  if p_amount > 10000000 then
    raise exception 'amount % exceeds the limit of 10,000,000 yuan per transaction', p_amount using errcode = '22023',
      hint = 'amount_over_limit', detail = json_build_object('max', 10000000)::text;
  end if;
  if p_order_no is null or btrim(p_order_no) = '' then
    raise exception 'order number is required' using errcode = '22023', hint = 'order_no_missing';
  end if;
  if p_occurred_at > now() + interval '5 minutes' then
    raise exception 'occurred_at % lies in the future', p_occurred_at using errcode = '22023',
      hint = 'occurred_in_future', detail = json_build_object('occurred_at', p_occurred_at)::text;
  end if;
  select status into v_status from public.members where id = p_member_id;
  if not found then
    raise exception 'unknown member %', p_member_id using errcode = 'P0002',
      hint = 'member_unknown', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  if v_status <> 'active' then
    raise exception 'member % is %: transactions cannot be recorded', p_member_id, v_status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_status)::text;
  end if;

  -- Growth and points both come from the engine (growth rules, earning rules), in one post.
  insert into public.transactions (business_unit_id, order_no, member_id, amount, items, occurred_at, channel, growth_points)
  values (p_business_unit_id, btrim(p_order_no), p_member_id, p_amount, coalesce(p_items, '[]'), coalesce(p_occurred_at, now()),
          coalesce(p_channel, 'front_desk'), 0)
  on conflict (business_unit_id, order_no) do nothing
  returning * into v_txn;

  if v_txn.id is null then
    select * into v_txn from public.transactions where business_unit_id = p_business_unit_id and order_no = btrim(p_order_no);
    if v_txn.member_id <> p_member_id or v_txn.amount <> p_amount then
      raise exception 'order % was already recorded for this business unit with a different member or amount', p_order_no
        using errcode = '23505', hint = 'order_conflict', detail = json_build_object('order_no', p_order_no)::text;
    end if;
    select * into v_earned from public.transaction_earnings e where e.transaction_id = v_txn.id;
    return jsonb_build_object('transaction_id', v_txn.id, 'duplicate', true,
      'points', v_earned.points, 'pending', v_earned.transaction_id is null, 'entry_id', null, 'lot_id', null,
      'balance', (select b.balance from public.point_balances b where b.member_id = p_member_id));
  end if;

  select * into v_member from public.members where id = p_member_id;
  return jsonb_build_object(
    'transaction_id', v_txn.id, 'duplicate', false, 'points', null, 'pending', true,
    'entry_id', null, 'lot_id', null,
    'balance', (select b.balance from public.point_balances b where b.member_id = p_member_id),
    'growth_value', v_member.growth_value,
    'tier_code', (select t.code from public.tiers t where t.id = v_member.tier_id), 'tier_changed', false);
end
$$;
comment on function public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb) is
  'Records a consumption (see private.record_transaction_unchecked) and queues its earn job: the engine posts its '
  'points and its growth (the growth rules; a crossed threshold upgrades then). Answers {transaction_id, duplicate, '
  'points: null, pending: true, entry_id: null, lot_id: null, balance, growth_value, tier_code, tier_changed: false} '
  'before the engine ran. occurred_at is finite, at most the clock skew ahead and, for users, within the back-dating '
  'window (the system replays history). An unknown member answers 404 (PT404) through the API.';

-- ── The engine's post: points and growth together ────────────────────────────────────────
-- As 20261202000600_engine.sql, plus: an item's `growth` (with `growth_rules`; absent: 1 per whole yuan) is added through
-- private.add_transaction_growth in the same database transaction as its points (after them, so the member row
-- is locked after the balance row, the ledger's order). A refused item (e.g. frozen member) still gets its growth:
-- the purchase was recorded while the member was active.
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
  v_outcome text;
  v_error text;
  v_expires timestamptz;
  v_expired boolean;
  v_growth jsonb;
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

    v_lots := '[]'; v_total := 0; v_n := 0; v_first := null; v_error := null; v_expired := false;
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
        v_res := public.earn_points(
          v_txn.member_id, v_txn.business_unit_id, (v_lot ->> 'points')::int,
          'txn:' || v_txn.id || ':earn' || case when v_n = 0 then '' else ':' || (v_lot ->> 'kind') end,
          v_lot ->> 'kind', v_expires, v_txn.id, left(v_item ->> 'reason', 500), v_txn.occurred_at);
        v_lots := v_lots || jsonb_build_object(
          'kind', v_lot ->> 'kind', 'points', (v_lot ->> 'points')::int,
          'entry_id', (v_res ->> 'entry_id')::bigint, 'lot_id', (v_res ->> 'lot_id')::bigint, 'expires_at', v_expires);
        v_total := v_total + (v_lot ->> 'points')::int;
        v_n := v_n + 1;
      end loop;
      if v_n > 0 then
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
    -- An engine older than the growth rules posts no `growth`: the transaction then gets the growth it had
    -- before them (1 per whole yuan), so a rolling upgrade never loses growth.
    v_growth := private.add_transaction_growth(
      v_txn.id,
      case when v_item ? 'growth' then (v_item ->> 'growth')::int else floor(v_txn.amount)::int end,
      coalesce(v_item -> 'growth_rules', '[]'));
    v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', v_outcome, 'points', v_total,
                                         'growth', v_growth -> 'growth', 'tier_changed', v_growth -> 'tier_changed');
  end loop;
  return v_out;
end
$$;
comment on function private.post_earnings(jsonb) is
  'The engine''s posting of a batch of evaluated transactions, one database transaction: earn_points per lot '
  '(idempotency key txn:<id>:earn[:<kind>]), the transaction_earnings row and the growth (private.add_transaction_growth) '
  'together. Returns per item {transaction_id, outcome: earned|none|expired|refused|duplicate|stale|missing, points, growth, '
  'tier_changed}.';

-- ── Tier review, aware of paid tiers ─────────────────────────────────────────────────────
create or replace function public.review_tiers(p_as_of timestamptz default now())
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_changed int;
begin
  perform private.assert_system_caller('tier review');
  with due as (
    select m.id, m.tier_id, m.growth_value, m.paid_tier_id,
           (select t.id from public.tiers t where t.growth_threshold <= m.growth_value order by t.rank desc limit 1) as earned_tier,
           (select t.rank from public.tiers t where t.growth_threshold <= m.growth_value order by t.rank desc limit 1) as earned_rank,
           paid.rank as paid_rank
    from public.members m
    join public.tiers cur on cur.id = m.tier_id
    left join public.tiers paid on paid.id = m.paid_tier_id
    where m.status = 'active' and m.merged_into is null
      and m.tier_reviewed_at + make_interval(months => cur.review_period_months) <= p_as_of
    for update of m
  ), decided as (
    select d.*, case when d.paid_rank > d.earned_rank then d.paid_tier_id else d.earned_tier end as new_tier from due d
  ), changed as (
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    select d.id, d.tier_id, d.new_tier, 'review', jsonb_build_object('growth', d.growth_value)
    from decided d where d.new_tier is distinct from d.tier_id
    returning member_id
  ), reset as (
    update public.members m
    set tier_id = d.new_tier, growth_value = 0, tier_reviewed_at = p_as_of,
        earned_tier_id = case when d.paid_tier_id is null then null else d.earned_tier end
    from decided d where m.id = d.id
    returning m.id
  )
  select count(*) into v_changed from changed;
  return v_changed;
end
$$;
comment on function public.review_tiers(timestamptz) is
  'Tier review (system): members whose review period ended are re-ranked by that period''s growth (a running paid '
  'tier above it is kept); growth restarts. Safe to run twice.';

-- ── Paid memberships ─────────────────────────────────────────────────────────────────────
create table public.tier_offers (
  id uuid primary key default gen_random_uuid(),
  tier_id uuid not null references public.tiers (id) on delete cascade,
  period text not null check (period in ('month', 'quarter', 'year')),
  price_fen int not null constraint tier_offers_price_range check (price_fen between 1 and 10000000),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (tier_id, period)
);
comment on table public.tier_offers is
  'Paid memberships on sale: a tier for a month, a quarter or a year at a price in fen (admins edit, audited).';
create trigger audit after insert or update or delete on public.tier_offers
  for each row execute function private.audit_row();
call private.add_admin_managed_policies('public.tier_offers', 'tier offers');
revoke all on public.tier_offers from public, anon, authenticated, service_role;
grant select, insert, update, delete on public.tier_offers to authenticated;
grant select on public.tier_offers to service_role;

create table public.tier_purchases (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  offer_id uuid not null references public.tier_offers (id),
  tier_id uuid not null references public.tiers (id),
  period text not null check (period in ('month', 'quarter', 'year')),
  price_fen int not null check (price_fen between 1 and 10000000),
  business_unit_id uuid not null references public.business_units (id),
  payment_ref text not null check (payment_ref ~ '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$'),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  sold_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  unique (business_unit_id, payment_ref)
);
create index tier_purchases_member_idx on public.tier_purchases (member_id, ends_at desc);
comment on table public.tier_purchases is
  'Paid memberships sold (append-only): the member holds the tier from starts_at to ends_at; one row per payment '
  'reference of a business unit (public.sell_tier_membership).';
alter table public.tier_purchases enable row level security;
create policy "staff read tier purchases" on public.tier_purchases
  for select to authenticated using ((select private.is_staff_user()));
revoke all on public.tier_purchases from public, anon, authenticated, service_role;
grant select on public.tier_purchases to authenticated, service_role;

-- Sells a paid membership: staff, managers or directors of the selling unit (admins everywhere). Idempotent on
-- (unit, payment reference): a repeat answers the first sale; the same reference for another member or offer is
-- refused. Buying the tier that runs extends it; a tier the member already holds by growth, or one lower than
-- the paid tier running, is refused. The validity may run at most private.tier_limits() paid_months_ahead_max
-- months ahead.
create or replace function public.sell_tier_membership(p_member_id uuid, p_offer_id uuid, p_business_unit_id uuid,
                                                       p_payment_ref text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_offer public.tier_offers;
  v_tier public.tiers;
  v_member public.members;
  v_current public.tiers;
  v_earned public.tiers;
  v_paid public.tiers;
  v_old public.tier_purchases;
  v_purchase public.tier_purchases;
  v_starts timestamptz;
  v_ends timestamptz;
  v_gift int := 0;
  v_ahead int := (private.tier_limits() ->> 'paid_months_ahead_max')::int;
begin
  perform private.assert_ledger_access(p_business_unit_id, 'selling a paid membership');
  perform private.assert_business_unit(p_business_unit_id);
  if p_payment_ref is null or p_payment_ref !~ '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$' then
    raise exception 'payment reference must be 1 to 64 letters, digits or _.:/- characters' using errcode = '22023',
      hint = 'payment_ref_invalid', detail = json_build_object('max', 64)::text;
  end if;
  select * into v_offer from public.tier_offers where id = p_offer_id;
  if not found or not v_offer.active then
    raise exception 'offer % is not on sale', coalesce(p_offer_id::text, 'null') using errcode = '22023',
      hint = 'tier_offer_unavailable', detail = json_build_object('offer_id', p_offer_id)::text;
  end if;
  select * into v_tier from public.tiers where id = v_offer.tier_id;
  -- The ledger's lock order: the balance row, then the member row.
  perform 1 from public.point_balances b where b.member_id = p_member_id for update;
  select * into v_member from public.members where id = p_member_id for update;
  if not found then
    raise exception 'unknown member %', p_member_id using errcode = '22023',
      hint = 'member_unknown', detail = json_build_object('member_id', p_member_id)::text;
  end if;

  select * into v_old from public.tier_purchases
  where business_unit_id = p_business_unit_id and payment_ref = p_payment_ref;
  if found then
    if v_old.member_id <> p_member_id or v_old.offer_id <> p_offer_id then
      raise exception 'payment reference % was already used for another sale', p_payment_ref using errcode = '23505',
        hint = 'payment_ref_reused', detail = json_build_object('payment_ref', p_payment_ref)::text;
    end if;
    return jsonb_build_object('purchase_id', v_old.id, 'duplicate', true, 'tier_code', v_tier.code,
                              'starts_at', v_old.starts_at, 'ends_at', v_old.ends_at);
  end if;

  if v_member.status <> 'active' or v_member.merged_into is not null then
    raise exception 'member % is %: a membership cannot be sold', p_member_id, v_member.status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_member.status)::text;
  end if;
  select * into v_current from public.tiers where id = v_member.tier_id;
  select * into v_earned from public.tiers where id = coalesce(v_member.earned_tier_id, v_member.tier_id);
  select * into v_paid from public.tiers where id = v_member.paid_tier_id;
  if v_earned.rank >= v_tier.rank then
    raise exception 'member already holds tier % or higher', v_tier.code using errcode = '22023',
      hint = 'tier_already_held', detail = json_build_object('tier', v_tier.code)::text;
  end if;
  if v_paid.id is not null and v_paid.rank > v_tier.rank then
    raise exception 'a higher paid tier (%) runs until %', v_paid.code, v_member.paid_until using errcode = '22023',
      hint = 'paid_tier_higher', detail = json_build_object('tier', v_paid.code, 'paid_until', v_member.paid_until)::text;
  end if;
  v_starts := case when v_paid.id = v_tier.id and v_member.paid_until > now() then v_member.paid_until else now() end;
  v_ends := v_starts + case v_offer.period when 'month' then interval '1 month' when 'quarter' then interval '3 months'
                                           else interval '1 year' end;
  if v_ends > now() + make_interval(months => v_ahead) then
    raise exception 'a paid tier may run at most % months ahead', v_ahead using errcode = '22023',
      hint = 'paid_tier_too_far', detail = json_build_object('max_months', v_ahead, 'ends_at', v_ends)::text;
  end if;

  insert into public.tier_purchases (member_id, offer_id, tier_id, period, price_fen, business_unit_id, payment_ref,
                                     starts_at, ends_at)
  values (p_member_id, v_offer.id, v_tier.id, v_offer.period, v_offer.price_fen, p_business_unit_id, p_payment_ref,
          v_starts, v_ends)
  returning * into v_purchase;

  update public.members
  set paid_tier_id = v_tier.id, paid_until = v_ends, earned_tier_id = v_earned.id,
      tier_id = case when v_tier.rank > v_current.rank then v_tier.id else tier_id end
  where id = p_member_id;
  if v_tier.rank > v_current.rank then
    v_gift := private.grant_upgrade_gift(p_member_id, v_tier.id, p_business_unit_id);
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    values (p_member_id, v_current.id, v_tier.id, 'purchase',
            jsonb_build_object('period', v_offer.period, 'ends_at', v_ends, 'payment_ref', p_payment_ref,
                               'price_fen', v_offer.price_fen, 'gift_points', v_gift));
  end if;
  return jsonb_build_object('purchase_id', v_purchase.id, 'duplicate', false, 'tier_code', v_tier.code,
                            'starts_at', v_starts, 'ends_at', v_ends, 'tier_changed', v_tier.rank > v_current.rank,
                            'gift_points', v_gift);
end
$$;
comment on function public.sell_tier_membership(uuid, uuid, uuid, text) is
  'Sells a paid membership (staff of the unit): the offer''s tier until the period ends, recorded in tier_purchases, '
  'idempotent per unit and payment reference. Errors (HINT): 42501 unit_role_required; 22023 payment_ref_invalid, '
  'tier_offer_unavailable, member_unknown, member_inactive, tier_already_held, paid_tier_higher, paid_tier_too_far; '
  '23505 payment_ref_reused.';

-- Paid tiers that ended return their members to the tier their growth earns (system; an engine cron; set-based
-- and safe to run twice: an expired membership is cleared in the same statement).
create or replace function public.expire_paid_tiers(p_as_of timestamptz default now())
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_changed int;
begin
  perform private.assert_system_caller('expiring paid tiers');
  with due as (
    select m.id, m.tier_id, m.paid_until, coalesce(m.earned_tier_id, m.tier_id) as earned_tier
    from public.members m
    where m.paid_until is not null and m.paid_until <= p_as_of
    for update of m
  ), changed as (
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    select d.id, d.tier_id, d.earned_tier, 'paid_expiry', jsonb_build_object('ended_at', d.paid_until)
    from due d where d.earned_tier is distinct from d.tier_id
    returning member_id
  ), cleared as (
    update public.members m
    set tier_id = d.earned_tier, paid_tier_id = null, paid_until = null, earned_tier_id = null
    from due d where m.id = d.id
    returning m.id
  )
  select count(*) into v_changed from changed;
  return v_changed;
end
$$;
comment on function public.expire_paid_tiers(timestamptz) is
  'Ends paid tiers whose validity is over: the member returns to the tier their growth earns (tier_history '
  'paid_expiry). System only (the engine''s expire_paid_tiers cron).';

-- ── The member directory shows the paid tier ─────────────────────────────────────────────
create or replace view public.member_directory with (security_barrier = true) as
select m.id, m.member_no, m.name,
       case when pd.unmasked then m.phone else private.mask_phone(m.phone) end as phone,
       case when pd.unmasked then m.email else private.mask_email(m.email) end as email,
       case when pd.unmasked then m.birthday end as birthday,
       extract(month from m.birthday)::smallint as birthday_month,
       m.gender, m.tier_id, m.growth_value, m.tags, m.status, m.home_business_unit_id, m.custom,
       m.created_at, m.updated_at, m.form_version, m.merged_into, m.tier_reviewed_at,
       case when pd.unmasked then m.phone_before_merge else private.mask_phone(m.phone_before_merge) end as phone_before_merge,
       not pd.unmasked as personal_data_masked,
       m.paid_tier_id, m.paid_until, m.earned_tier_id
from public.members m
cross join (select private.sees_personal_data() as unmasked) pd
where (select private.is_staff_user());

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function private.tier_limits(), private.assert_tier_thresholds(), private.refuse_deleting_named_tier(),
  private.grant_upgrade_gift(uuid, uuid, uuid), private.apply_growth(uuid, int, text, uuid),
  private.add_transaction_growth(uuid, int, jsonb)
  from public, anon, authenticated, service_role;
revoke all on function public.expire_paid_tiers(timestamptz) from public, anon;
grant execute on function public.expire_paid_tiers(timestamptz) to service_role;
revoke all on function public.sell_tier_membership(uuid, uuid, uuid, text) from public, anon;
grant execute on function public.sell_tier_membership(uuid, uuid, uuid, text) to authenticated, service_role;
