-- Engine tuning after 20261103000100 (already applied on shared development databases, so changed here):
-- 1. private.post_earnings reads one row fewer per lot: the expiry it computes (the rules' instant, or
--    private.default_expiry for the lot kind) is handed to earn_points explicitly. Same signature, answers
--    and behaviour.
-- 2. The catch-up sweep can be limited to recent transactions (below).

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

-- The catch-up sweep runs every minute in every engine: limited to recent transactions (p_since) it reads a
-- day of them through a BRIN index instead of every transaction; a full sweep (p_since null) runs at
-- engine start and hourly. Replaces the two-argument version of 20261103000100.
create index transactions_created_brin on public.transactions using brin (created_at);

drop function private.enqueue_unearned(interval, int);
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
revoke all on function private.enqueue_unearned(interval, int, timestamptz) from public, anon, authenticated;
