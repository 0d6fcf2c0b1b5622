-- Recording a consumption transaction (with its growth and any tier upgrade; the engine earns its points
-- and records its evaluation in transaction_earnings), tier reviews with history, and merging two member
-- records of one person.
-- Lock order follows the ledger's: point_balances rows (in member_id order) first, then lots, then
-- the members rows.

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.tier_history (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id) on delete cascade,
  from_tier_id uuid references public.tiers (id),
  to_tier_id uuid not null references public.tiers (id),
  reason text not null check (reason in ('registration', 'upgrade', 'review', 'merge')),
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
  changed_by uuid default auth.uid(),
  changed_at timestamptz not null default now()
);
create index tier_history_member_idx on public.tier_history (member_id, changed_at);
comment on table public.tier_history is
  'Every tier change of a member: reason is a code (registration, upgrade by growth, review, merge) and details '
  'its values (growth, threshold, order_no, merged_member_no), translated by the app.';

create table public.member_merges (
  id bigint generated always as identity primary key,
  survivor_id uuid not null references public.members (id),
  merged_id uuid not null unique references public.members (id),
  moved jsonb not null,
  merged_by uuid default auth.uid(),
  merged_at timestamptz not null default now()
);
comment on table public.member_merges is 'Merges of duplicate member records: the merged record is cancelled and points into the survivor.';

-- One row per transaction the engine evaluated, written in the same database transaction as its earn
-- entries: "evaluated exactly once" is checkable, and the catch-up sweep knows what is done.
create table public.transaction_earnings (
  transaction_id uuid primary key references public.transactions (id),
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  points int not null check (points >= 0),
  outcome text not null check (outcome in ('earned', 'none', 'expired', 'refused', 'legacy')),
  lots jsonb not null default '[]' check (jsonb_typeof(lots) = 'array'),
  expires_at timestamptz,
  rule_versions jsonb not null default '[]' check (jsonb_typeof(rule_versions) = 'array'),
  error text,
  evaluated_at timestamptz not null default now()
);
create index transaction_earnings_member_idx on public.transaction_earnings (member_id);
comment on table public.transaction_earnings is
  'The engine''s evaluation of each transaction: points earned (0 when no rule gave any), the lots posted '
  '[{kind, points, entry_id, lot_id, expires_at}], the rule versions that applied, and refusals (e.g. frozen '
  'member). outcome expired: its lots would already have expired when it was evaluated (a late transaction); legacy: '
  'earned before the rules engine (1 point per yuan). expires_at: earliest expiry of its posted lots.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- Adds growth and upgrades the tier at once when a threshold is crossed (never downgrades: that is
-- the review's job). Caller holds whatever locks it needs; this locks the member row.
create or replace function private.add_growth(p_member_id uuid, p_growth int, p_order_no text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_member public.members;
  v_current public.tiers;
  v_target public.tiers;
begin
  update public.members set growth_value = growth_value + greatest(p_growth, 0)
  where id = p_member_id returning * into v_member;
  select * into v_current from public.tiers where id = v_member.tier_id;
  select * into v_target from public.tiers where growth_threshold <= v_member.growth_value order by rank desc limit 1;
  if v_target.rank > v_current.rank then
    update public.members set tier_id = v_target.id where id = p_member_id;
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    values (p_member_id, v_current.id, v_target.id, 'upgrade',
            jsonb_build_object('growth', v_member.growth_value, 'threshold', v_target.growth_threshold, 'order_no', p_order_no));
    return jsonb_build_object('growth_value', v_member.growth_value, 'tier_code', v_target.code, 'tier_changed', true);
  end if;
  return jsonb_build_object('growth_value', v_member.growth_value, 'tier_code', v_current.code, 'tier_changed', false);
end
$$;

-- Records one consumption with its growth and any tier upgrade; the engine earns its points.
-- Idempotent on (business unit, order number).
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
  v_txn public.transactions;
  v_status public.member_status;
  v_growth_points int;
  v_growth jsonb;
  v_earned public.transaction_earnings;
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

  -- Growth stays 1 per whole yuan and synchronous (tiers upgrade at once); points come from the engine.
  v_growth_points := floor(p_amount)::int;
  insert into public.transactions (business_unit_id, order_no, member_id, amount, items, occurred_at, channel, growth_points)
  values (p_business_unit_id, btrim(p_order_no), p_member_id, p_amount, coalesce(p_items, '[]'), coalesce(p_occurred_at, now()),
          coalesce(p_channel, 'front_desk'), v_growth_points)
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

  v_growth := private.add_growth(p_member_id, v_growth_points, v_txn.order_no);
  return jsonb_build_object(
    'transaction_id', v_txn.id, 'duplicate', false, 'points', null, 'pending', true,
    'entry_id', null, 'lot_id', null,
    'balance', (select b.balance from public.point_balances b where b.member_id = p_member_id)
  ) || v_growth;
end
$$;
comment on function public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb) is
  'Records a consumption for a member at a business unit with its growth (1 per whole yuan) and any tier upgrade, '
  'in one transaction, and queues its earn job: the rules engine posts the points moments later. Answers '
  '{transaction_id, duplicate, points: null, pending: true, entry_id: null, lot_id: null, balance (before the '
  'earn), growth_value, tier_code, tier_changed}; poll transaction_earnings (or the ledger) for the points. The '
  'same order number twice records once (a repeat answers the points once evaluated, pending until then).';

-- Tier review: members whose review period has ended are re-ranked by the growth of that period;
-- only here can a tier go down. Growth restarts for the next window. Set-based; safe to run twice.
create or replace function public.review_tiers(p_as_of timestamptz default now())
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_changed int;
begin
  perform private.assert_system_caller('tier review');
  with due as (
    select m.id, m.tier_id, m.growth_value,
           (select t.id from public.tiers t where t.growth_threshold <= m.growth_value order by t.rank desc limit 1) as earned_tier
    from public.members m
    join public.tiers cur on cur.id = m.tier_id
    where m.status = 'active' and m.merged_into is null
      and m.tier_reviewed_at + make_interval(months => cur.review_period_months) <= p_as_of
    for update of m
  ), changed as (
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    select d.id, d.tier_id, d.earned_tier, 'review', jsonb_build_object('growth', d.growth_value)
    from due d where d.earned_tier is distinct from d.tier_id
    returning member_id
  ), reset as (
    update public.members m
    set tier_id = d.earned_tier, growth_value = 0, tier_reviewed_at = p_as_of
    from due d where m.id = d.id
    returning m.id
  )
  select count(*) into v_changed from changed;
  return v_changed;
end
$$;

-- Moves one member's open points into another in ledger terms (append-only): an 'adjust' entry
-- empties the source's lots, another creates mirror lots (same kind, unit, earn and expiry dates)
-- for the target. Caller holds both balance rows locked.
create or replace function private.transfer_points(p_from uuid, p_to uuid, p_key text, p_reason text)
returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_from_balance bigint;
  v_to_balance bigint;
  v_total bigint;
  v_out bigint;
  v_in bigint;
  v_unit uuid;
begin
  select balance into v_from_balance from public.point_balances where member_id = p_from;
  v_from_balance := private.expire_member_lots(p_from, now(), v_from_balance);
  update public.point_balances set balance = v_from_balance, updated_at = now() where member_id = p_from;
  select balance into v_to_balance from public.point_balances where member_id = p_to;
  select coalesce(sum(remaining_points), 0) into v_total from public.point_lots where member_id = p_from and remaining_points > 0;
  if v_total = 0 then
    return 0;
  end if;
  select business_unit_id into v_unit from public.point_lots where member_id = p_from and remaining_points > 0
  order by expires_at, earned_at, id limit 1;

  insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key, reason)
  values (p_from, v_unit, 'adjust', -v_total, v_from_balance - v_total, p_key || ':out', p_reason)
  returning id into v_out;
  insert into public.ledger_entries (member_id, business_unit_id, kind, points, balance_after, idempotency_key, reason)
  values (p_to, v_unit, 'adjust', v_total, v_to_balance + v_total, p_key || ':in', p_reason)
  returning id into v_in;

  with src as (
    update public.point_lots l set remaining_points = 0
    from (select id, remaining_points as points from public.point_lots
          where member_id = p_from and remaining_points > 0) s
    where l.id = s.id
    returning l.id, l.business_unit_id, l.kind, s.points, l.earned_at, l.expires_at
  ), out_moves as (
    insert into public.ledger_lot_moves (entry_id, lot_id, points) select v_out, id, -points from src
  ), mirrored as (
    insert into public.point_lots (member_id, business_unit_id, kind, original_points, remaining_points, earned_at, expires_at, earn_entry_id)
    select p_to, business_unit_id, kind, points, points, earned_at, expires_at, v_in from src
    returning id, original_points
  )
  insert into public.ledger_lot_moves (entry_id, lot_id, points) select v_in, id, original_points from mirrored;

  update public.point_balances set balance = balance - v_total, updated_at = now() where member_id = p_from;
  update public.point_balances set balance = balance + v_total, updated_at = now() where member_id = p_to;
  return v_total;
end
$$;

-- Merges a duplicate record into the survivor. Without p_confirm it only reports what would move.
-- Confirmed: points move by ledger entries, transactions and identities are re-pointed, growth is
-- added, the higher tier is kept, and the duplicate is cancelled with merged_into set. Irreversible.
create or replace function public.merge_members(p_survivor_id uuid, p_merged_id uuid, p_confirm boolean default false)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_survivor public.members;
  v_merged public.members;
  v_moved jsonb;
  v_points bigint;
  v_tier uuid;
begin
  if not (coalesce(auth.role(), 'service_role') = 'service_role' or private.has_any_role('{manager,director}')) then
    raise exception 'permission denied: merging members needs the manager, director or admin role' using errcode = '42501',
      hint = 'merge_role_required';
  end if;
  if p_survivor_id is null or p_merged_id is null or p_survivor_id = p_merged_id then
    raise exception 'merge needs two different members' using errcode = '22023', hint = 'merge_same_member';
  end if;
  -- balance rows first, in member_id order (the ledger's lock order)
  perform 1 from public.point_balances where member_id in (p_survivor_id, p_merged_id) order by member_id for update;
  select * into v_survivor from public.members where id = p_survivor_id for update;
  if not found then raise exception 'unknown member %', p_survivor_id using errcode = 'P0002',
  hint = 'member_unknown', detail = json_build_object('member_id', p_survivor_id)::text; end if;
  select * into v_merged from public.members where id = p_merged_id for update;
  if not found then raise exception 'unknown member %', p_merged_id using errcode = 'P0002',
  hint = 'member_unknown', detail = json_build_object('member_id', p_merged_id)::text; end if;
  if v_merged.merged_into is not null or v_survivor.merged_into is not null then
    raise exception 'member % was already merged into another record', coalesce(v_merged.merged_into, v_survivor.merged_into)
      using errcode = '22023', hint = 'member_already_merged';
  end if;

  v_moved := jsonb_build_object(
    'points', (select coalesce(sum(remaining_points), 0) from public.point_lots
               where member_id = p_merged_id and remaining_points > 0 and expires_at > now()),
    'lots', (select count(*) from public.point_lots where member_id = p_merged_id and remaining_points > 0 and expires_at > now()),
    'ledger_entries', (select count(*) from public.ledger_entries where member_id = p_merged_id),
    'transactions', (select count(*) from public.transactions where member_id = p_merged_id),
    'identities', (select count(*) from public.member_identities where member_id = p_merged_id),
    'growth_value', v_merged.growth_value);
  if not p_confirm then
    return jsonb_build_object('survivor_id', p_survivor_id, 'merged_id', p_merged_id, 'moved', v_moved, 'confirmed', false,
      'balance_after', (select balance from public.point_balances where member_id = p_survivor_id) + (v_moved ->> 'points')::bigint);
  end if;

  perform set_config('app.reason', 'member-merge', true);
  v_points := private.transfer_points(p_merged_id, p_survivor_id, 'merge:' || p_merged_id,
                                      format('merged from %s', v_merged.member_no));
  update public.transactions set member_id = p_survivor_id where member_id = p_merged_id;
  update public.member_identities set member_id = p_survivor_id where member_id = p_merged_id;
  select t.id into v_tier from public.tiers t
  where t.id in (v_survivor.tier_id, v_merged.tier_id) order by t.rank desc limit 1;
  update public.members set status = 'cancelled', merged_into = p_survivor_id, phone_before_merge = phone,
                            phone = null
  where id = p_merged_id;
  update public.members set growth_value = growth_value + v_merged.growth_value, tier_id = v_tier,
                            tags = array(select distinct unnest(v_survivor.tags || v_merged.tags))
  where id = p_survivor_id;
  if v_tier <> v_survivor.tier_id then
    insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
    values (p_survivor_id, v_survivor.tier_id, v_tier, 'merge', jsonb_build_object('merged_member_no', v_merged.member_no));
  end if;
  insert into public.member_merges (survivor_id, merged_id, moved) values (p_survivor_id, p_merged_id, v_moved);
  return jsonb_build_object('survivor_id', p_survivor_id, 'merged_id', p_merged_id, 'moved', v_moved, 'confirmed', true,
    'balance_after', (select balance from public.point_balances where member_id = p_survivor_id), 'points_moved', v_points);
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger audit after insert or update or delete on public.member_merges
  for each row execute function private.audit_row();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
alter table public.tier_history enable row level security;
alter table public.member_merges enable row level security;
alter table public.transaction_earnings enable row level security;
create policy "staff read tier history" on public.tier_history
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read merges" on public.member_merges
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read transaction earnings" on public.transaction_earnings
  for select to authenticated using ((select private.is_staff_user()));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.tier_history, public.member_merges from anon, authenticated, service_role;
grant select on public.tier_history, public.member_merges to authenticated;
grant select on public.tier_history, public.member_merges to service_role;
revoke all on function public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb),
  public.review_tiers(timestamptz), public.merge_members(uuid, uuid, boolean) from public, anon;
grant execute on function public.record_transaction(uuid, uuid, text, numeric, text, timestamptz, jsonb),
  public.merge_members(uuid, uuid, boolean) to authenticated, service_role;
grant execute on function public.review_tiers(timestamptz) to service_role;
revoke all on function private.add_growth(uuid, int, text), private.transfer_points(uuid, uuid, text, text)
  from public, anon, authenticated;
revoke all on public.transaction_earnings from anon, authenticated, service_role;
grant select on public.transaction_earnings to authenticated, service_role;
