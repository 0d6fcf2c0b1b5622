-- Transactions whose evaluation keeps failing are parked, not retried forever. The engine records each
-- failed attempt at an earn job (private.record_earn_failure); at EARN_MAX_ATTEMPTS the transaction is
-- parked: its job ends, the catch-up sweep leaves it alone, and it shows as failed with its error until an
-- administrator retries it (public.retry_earning, audited). A job locked by an engine that died counts as a
-- failed attempt too when the sweep finds it abandoned, so a transaction that kills the engine every time
-- cannot hold it in a crash loop.

create table public.earn_failures (
  transaction_id uuid primary key references public.transactions (id),
  attempts int not null check (attempts >= 0),
  error text not null check (length(error) <= 2000),
  first_failed_at timestamptz not null default now(),
  last_failed_at timestamptz not null default now(),
  parked_at timestamptz,
  retried_at timestamptz,
  retried_by uuid
);
create index earn_failures_parked_idx on public.earn_failures (parked_at desc) where parked_at is not null;
comment on table public.earn_failures is
  'Failed evaluations of transactions by the engine: attempts since the last retry, the latest error, and parked_at '
  'once the engine stopped trying (private.engine_limits() earn_max_attempts). public.retry_earning re-queues one.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- Counts a failed attempt at evaluating a transaction; returns true when the transaction is (now) parked.
-- A transaction already evaluated is left alone (false).
create or replace function private.record_earn_failure(p_transaction_id uuid, p_error text)
returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_parked timestamptz;
begin
  perform private.assert_system_caller('recording earn failures');
  if exists (select 1 from public.transaction_earnings e where e.transaction_id = p_transaction_id)
     or not exists (select 1 from public.transactions t where t.id = p_transaction_id) then
    return false;
  end if;
  insert into public.earn_failures as f (transaction_id, attempts, error)
  values (p_transaction_id, 1, left(coalesce(p_error, 'unknown error'), 2000))
  on conflict (transaction_id) do update
    set attempts = f.attempts + 1, error = excluded.error, last_failed_at = now()
  returning f.parked_at into v_parked;
  if v_parked is null then
    update public.earn_failures f set parked_at = now()
    where f.transaction_id = p_transaction_id
      and f.attempts >= (private.engine_limits() ->> 'earn_max_attempts')::int
    returning f.parked_at into v_parked;
    if v_parked is not null and to_regclass('graphile_worker._private_jobs') is not null then
      -- A job locked by a dead engine would come back after graphile-worker's lock timeout: this ends it.
      perform graphile_worker.remove_job('earn:' || p_transaction_id);
    end if;
  end if;
  return v_parked is not null;
end
$$;

-- The catch-up sweep (see 20261202000600_engine.sql), now also: an abandoned job (locked longer than
-- p_stale: its engine died) counts as a failed attempt of its transaction, and parked transactions are
-- never re-queued.
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
  perform private.record_earn_failure(t.id, 'the engine stopped while evaluating this transaction')
  from public.transactions t
  join graphile_worker._private_jobs j on j.key = 'earn:' || t.id
  where (p_since is null or t.created_at >= p_since)
    and j.locked_at is not null and j.locked_at <= now() - p_stale
    and not exists (select 1 from public.transaction_earnings e where e.transaction_id = t.id);
  -- (graphile_worker's types are named only inside statements: they are resolved when run)
  select count(*) into v_count from (
    select graphile_worker.add_jobs(array_agg(todo.spec))
    from (select row('earn_transaction', json_build_object('transaction_id', t.id), null, null, 25,
                     'earn:' || t.id, null, null)::graphile_worker.job_spec as spec
          from public.transactions t
          where (p_since is null or t.created_at >= p_since)
            and not exists (select 1 from public.transaction_earnings e where e.transaction_id = t.id)
            and not exists (select 1 from public.earn_failures f where f.transaction_id = t.id and f.parked_at is not null)
            and not exists (select 1 from graphile_worker._private_jobs j
                            where j.key = 'earn:' || t.id
                              and (j.locked_at is null or j.locked_at > now() - p_stale))
          limit p_limit) todo
    having count(*) > 0) q;
  return v_count;
end
$$;

-- Re-queues a parked transaction (administrators): its attempts start over; audited as an update of its
-- earn_failures row (who, when, why).
create or replace function public.retry_earning(p_transaction_id uuid)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_job bigint;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may retry a failed transaction' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'retry_earning')::text;
  end if;
  update public.earn_failures f
  set parked_at = null, attempts = 0, retried_at = now(), retried_by = auth.uid()
  where f.transaction_id = p_transaction_id and f.parked_at is not null
    and not exists (select 1 from public.transaction_earnings e where e.transaction_id = f.transaction_id);
  if not found then
    raise exception 'transaction % is not parked as failed', coalesce(p_transaction_id::text, 'null') using errcode = '22023',
      hint = 'earning_not_parked', detail = json_build_object('transaction_id', p_transaction_id)::text;
  end if;
  v_job := private.enqueue_job('earn_transaction', json_build_object('transaction_id', p_transaction_id),
                               'earn:' || p_transaction_id, 0, 25);
  if v_job is null then
    raise exception 'the rules engine has not been started on this database (no job queue yet)' using errcode = '55000',
      hint = 'engine_not_started';
  end if;
  return jsonb_build_object('transaction_id', p_transaction_id, 'job_id', v_job, 'queued_at', now());
end
$$;
comment on function public.retry_earning(uuid) is
  'Re-queues the earn job of a transaction parked as failed (administrators, audited). Errors (HINT): 42501 admin_only; '
  '22023 earning_not_parked; 55000 engine_not_started.';

-- ── Triggers, policies, grants ───────────────────────────────────────────────────────────
create trigger audit after insert or update or delete on public.earn_failures
  for each row execute function private.audit_row('transaction_id');

alter table public.earn_failures enable row level security;
create policy "staff read earn failures" on public.earn_failures
  for select to authenticated using ((select private.is_staff_user()));

revoke all on public.earn_failures from anon, authenticated, service_role;
grant select on public.earn_failures to authenticated, service_role;
revoke all on function private.record_earn_failure(uuid, text), private.enqueue_unearned(interval, int, timestamptz)
  from public, anon, authenticated;
revoke all on function public.retry_earning(uuid) from public, anon;
grant execute on function public.retry_earning(uuid) to authenticated, service_role;
