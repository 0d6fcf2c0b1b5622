-- Earning moves to the rules engine: inserting a transaction enqueues its earn job in the same database
-- transaction; the job (engine/earn.ts) evaluates the earning and expiry rules in force at the
-- transaction's occurred_at and posts the points through private.post_earnings (earn_points with
-- key txn:<id>:earn) together with its transaction_earnings row. record_transaction keeps recording
-- the transaction, growth and tier upgrade synchronously and answers points null, pending true.

-- ── Enqueue on insert ────────────────────────────────────────────────────────────────────
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

create trigger enqueue_earn after insert on public.transactions
  referencing new table as new_rows
  for each statement execute function private.enqueue_earn_jobs();

-- Catch-up sweep: queues an earn job for every transaction without a transaction_earnings row that has
-- no job, or whose job has been locked for longer than p_stale (its worker died: graphile-worker would
-- only release it after 4 hours). Returns the number of jobs queued. One sweep at a time.
-- The catch-up sweep runs every minute in every engine: limited to recent transactions (p_since) it reads a
-- day of them through a BRIN index instead of every transaction; a full sweep (p_since null) runs at
-- engine start and hourly.
create index transactions_created_brin on public.transactions using brin (created_at);

create or replace function private.enqueue_unearned(p_stale interval default '2 minutes', p_limit int default 100000,
                                                    p_since timestamptz default null)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  if to_regclass('graphile_worker._private_jobs') is null then
    return 0;
  end if;
  if not pg_try_advisory_xact_lock(hashtext('private.enqueue_unearned')) then
    return 0;
  end if;
  -- (graphile_worker's types are named only inside statements: they are resolved when run)
  select count(*) into v_count from (
    select graphile_worker.add_jobs(array_agg(todo.spec))
    from (select row('earn_transaction', json_build_object('transaction_id', t.id), null, null, 25,
                     'earn:' || t.id, null, null)::graphile_worker.job_spec as spec
          from public.transactions t
          where (p_since is null or t.created_at >= p_since)
            and not exists (select 1 from public.transaction_earnings e where e.transaction_id = t.id)
            and not exists (select 1 from graphile_worker._private_jobs j
                            where j.key = 'earn:' || t.id
                              and (j.locked_at is null or j.locked_at > now() - p_stale))
          limit p_limit) todo
    having count(*) > 0) q;
  return v_count;
end
$$;
comment on function private.enqueue_unearned(interval, int, timestamptz) is
  'Queues earn jobs for transactions (created since p_since; null: all) never evaluated whose job is missing or '
  'stuck (locked longer than p_stale: its worker died). Run by every engine at start and periodically; one at a '
  'time; jobs are idempotent.';

-- ── The engine's two round trips per batch of earn jobs ──────────────────────────────────
-- 1. Context of a batch of transactions, in the shape the earning rules receive (workflows/README.md),
--    plus the rules generation. Takes the rules lock shared first, so a publish in flight commits
--    before the rows (and generation) are read: a rule published before a transaction occurred is
--    always visible to its evaluation. The member's tier is the tier at occurred_at: the from_tier of
--    the first tier change at or after it (a purchase that upgrades earns at the tier it was made in).
create or replace function private.earn_contexts(p_ids uuid[])
returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_result jsonb;
begin
  perform private.assert_system_caller('reading earn contexts');
  perform pg_advisory_xact_lock_shared(private.rules_lock_key());
  select jsonb_build_object(
    'generation', (select s.rules_generation from private.engine_state s),
    'items', coalesce(jsonb_agg(jsonb_build_object(
      'transaction_id', t.id,
      'member_id', t.member_id,
      'business_unit_id', t.business_unit_id,
      'evaluated', e.transaction_id is not null,
      'transaction', jsonb_build_object(
        'amount', t.amount, 'channel', t.channel, 'occurred_at', t.occurred_at, 'order_no', t.order_no,
        'items', t.items, 'business_unit', jsonb_build_object('code', bu.code, 'kind', bu.kind)),
      'member', jsonb_build_object(
        'tier', coalesce(then_tier.code, cur.code), 'tags', to_jsonb(m.tags), 'birthday', m.birthday,
        'growth_value', m.growth_value, 'joined_at', m.created_at, 'status', m.status,
        'home_business_unit', home.code))), '[]'::jsonb))
  into v_result
  from unnest(p_ids) as x (id)
  join public.transactions t on t.id = x.id
  join public.members m on m.id = t.member_id
  join public.tiers cur on cur.id = m.tier_id
  join public.business_units bu on bu.id = t.business_unit_id
  left join public.business_units home on home.id = m.home_business_unit_id
  left join public.transaction_earnings e on e.transaction_id = t.id
  left join lateral (
    select h.from_tier_id from public.tier_history h
    where h.member_id = t.member_id and h.changed_at >= t.occurred_at
    order by h.changed_at, h.id limit 1) h on true
  left join public.tiers then_tier on then_tier.id = h.from_tier_id;
  return v_result;
end
$$;

-- 2. Posting a batch of evaluated transactions: per item (in member order, the ledger's lock order)
--    the member's balance row is locked, the transaction re-read (stale: its member or unit changed
--    since the context was read, e.g. by a merge: the job retries), an item already evaluated is a
--    duplicate, and otherwise its lots are earned (earn_points, key txn:<id>:earn for the first lot,
--    txn:<id>:earn:<kind> for further lots of other kinds) and its transaction_earnings row written,
--    all in this one database transaction. A lot that would already have expired is not posted (outcome
--    expired when none is left). A refusal of the ledger (frozen or cancelled member,
--    inactive unit, expiry already past) is recorded as outcome refused with the message, not retried.
--    Item: {transaction_id, member_id, business_unit_id, lots: [{kind, points, expires_at|null}],
--           rule_versions: [...], reason, errors: [{rule_id, rule_key, rule_version, stage, message}]}.
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
        -- A late transaction whose lot would already have expired (e.g. a 90-day birthday lot of a purchase
        -- recorded 100 days later) gets no lot; its other lots are still posted.
        v_expires := coalesce((v_lot ->> 'expires_at')::timestamptz,
                              private.default_expiry(v_lot ->> 'kind', least(v_txn.occurred_at, clock_timestamp())));
        if v_expires <= clock_timestamp() then
          v_lots := v_lots || jsonb_build_object('kind', v_lot ->> 'kind', 'points', 0,
                                                 'expired_points', (v_lot ->> 'points')::int, 'expires_at', v_expires);
          v_expired := true;
          continue;
        end if;
        -- The expiry is passed explicitly: the lot gets exactly the instant recorded here (no re-read).
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
    v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', v_outcome, 'points', v_total);
  end loop;
  return v_out;
end
$$;
comment on function private.post_earnings(jsonb) is
  'The engine''s posting of a batch of evaluated transactions, one database transaction: earn_points per lot '
  '(idempotency key txn:<id>:earn[:<kind>]) and the transaction_earnings row together. Returns per item '
  '{transaction_id, outcome: earned|none|expired|refused|duplicate|stale|missing, points}.';

-- ── record_transaction: same signature and answer keys, points now come from the engine ────
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
    raise exception 'amount must be a positive number of yuan, got %', coalesce(p_amount::text, 'null') using errcode = '22023';
  end if;
  if p_amount <> round(p_amount, 2) then
    raise exception 'amount % has more than 2 decimals', p_amount using errcode = '22023';
  end if;
  if p_amount > 10000000 then
    raise exception 'amount % exceeds the limit of 10,000,000 yuan per transaction', p_amount using errcode = '22023';
  end if;
  if p_order_no is null or btrim(p_order_no) = '' then
    raise exception 'order number is required' using errcode = '22023';
  end if;
  if p_occurred_at > now() + interval '5 minutes' then
    raise exception 'occurred_at % lies in the future', p_occurred_at using errcode = '22023';
  end if;
  select status into v_status from public.members where id = p_member_id;
  if not found then
    raise exception 'unknown member %', p_member_id using errcode = 'P0002';
  end if;
  if v_status <> 'active' then
    raise exception 'member % is %: transactions cannot be recorded', p_member_id, v_status using errcode = '22023';
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
        using errcode = '23505';
    end if;
    select * into v_earned from public.transaction_earnings e where e.transaction_id = v_txn.id;
    return jsonb_build_object('transaction_id', v_txn.id, 'duplicate', true,
      'points', v_earned.points, 'pending', v_earned.transaction_id is null, 'entry_id', null, 'lot_id', null,
      'balance', (select b.balance from public.point_balances b where b.member_id = p_member_id));
  end if;

  v_growth := private.add_growth(p_member_id, v_growth_points, 'order ' || v_txn.order_no);
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

-- ── Transactions evaluated before the engine existed ──────────────────────────────────────
-- They earned 1 point per yuan inside record_transaction: record them as evaluated (outcome legacy)
-- with the lots they got, so the catch-up sweep leaves them alone.
insert into public.transaction_earnings (transaction_id, member_id, business_unit_id, points, outcome, lots,
                                         expires_at, rule_versions, evaluated_at)
select t.id, t.member_id, t.business_unit_id, coalesce(sum(e.points), 0)::int, 'legacy',
       coalesce(jsonb_agg(jsonb_build_object('kind', l.kind, 'points', e.points, 'entry_id', e.id, 'lot_id', l.id,
                                             'expires_at', l.expires_at) order by e.id)
                filter (where e.id is not null), '[]'::jsonb),
       min(l.expires_at), '[]'::jsonb, now()
from public.transactions t
left join public.ledger_entries e on e.transaction_id = t.id and e.kind = 'earn'
left join public.point_lots l on l.earn_entry_id = e.id
group by t.id, t.member_id, t.business_unit_id
on conflict (transaction_id) do nothing;

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function private.enqueue_earn_jobs(), private.enqueue_unearned(interval, int, timestamptz),
  private.earn_contexts(uuid[]), private.post_earnings(jsonb) from public, anon, authenticated;
grant execute on function private.earn_contexts(uuid[]), private.post_earnings(jsonb) to service_role;
