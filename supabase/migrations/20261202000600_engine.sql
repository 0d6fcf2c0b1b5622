-- The rules engine (engine/, a Node worker on graphile-worker): what it writes (rule errors, the
-- notifications outbox, automatic tags, what-if runs, a log of job runs), how jobs are queued, and its
-- two round trips per batch of earn jobs. Inserting a transaction enqueues its earn job in the same
-- database transaction (ledger migration); the job (engine/earn.ts) evaluates the earning and expiry
-- rules in force at the transaction's occurred_at and posts the points through private.post_earnings
-- (earn_points with key txn:<id>:earn) together with its transaction_earnings row.

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
-- Rule problems the engine met: a published rule it cannot compile (stage load), a rule that failed
-- for some event (evaluate), or returned something that is not a valid result for its kind (result).
create table public.rule_errors (
  id bigint generated always as identity primary key,
  rule_id uuid not null references public.rules (id),
  rule_key text not null,
  rule_version int not null,
  stage text not null check (stage in ('load', 'evaluate', 'result')),
  message text not null check (length(message) <= 2000),
  detail jsonb,
  transaction_id uuid,
  occurrences bigint not null default 1,
  first_seen timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  unique (rule_id, stage, message)
);
comment on table public.rule_errors is
  'Problems of published rules met by the engine, one row per rule, stage and message (occurrences counts '
  'repeats, transaction_id is the latest example). A rule with a load error is skipped; a rule failing for one '
  'event contributes nothing to that event.';

create table public.notifications_outbox (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  channel text not null check (channel ~ '^[a-z][a-z0-9_-]{0,31}$'),
  template text not null check (template ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  dedupe_key text not null check (length(dedupe_key) between 1 and 200),
  due_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'cancelled')),
  attempts int not null default 0 check (attempts >= 0),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (member_id, template, dedupe_key)
);
create index notifications_outbox_pending_idx on public.notifications_outbox (due_at, id) where status = 'pending';
comment on table public.notifications_outbox is
  'Messages to members, written idempotently by the engine (e.g. points_expiring, dedupe_key <lot_id>:<days '
  'before>) and sent by channel adapters (sms, email, push, webhook), which mark status, attempts and sent_at.';

-- Tags that auto-tagging added (so it removes only those when a rule stops giving them, never manual ones).
create table public.member_auto_tags (
  member_id uuid primary key references public.members (id) on delete cascade,
  tags text[] not null default '{}',
  updated_at timestamptz not null default now()
);
comment on table public.member_auto_tags is
  'Tags of each member that the tagging rules added (members.tags holds manual and automatic tags together).';

create table public.what_if_runs (
  id uuid primary key default gen_random_uuid(),
  rule_keys text[] not null default '{}' check (cardinality(rule_keys) <= 100),
  days int not null default 30 check (days between 1 and 3660),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  progress numeric(5, 4) not null default 0 check (progress between 0 and 1),
  result jsonb,
  error text,
  requested_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index what_if_runs_created_idx on public.what_if_runs (created_at desc);
comment on table public.what_if_runs is
  'Simulations of draft rules over the last `days` days of real transactions: insert a row (status queued) and '
  'the engine fills progress and result (issued vs simulated points and liability per business unit and tier), '
  'writing nothing else. rule_keys: keys whose newest draft replaces (or joins) the published rules.';

create table public.engine_runs (
  id bigint generated always as identity primary key,
  job text not null,
  payload jsonb,
  started_at timestamptz not null,
  finished_at timestamptz not null default now(),
  ok boolean not null,
  result jsonb,
  error text
);
create index engine_runs_job_idx on public.engine_runs (job, finished_at desc);
comment on table public.engine_runs is 'One row per scheduled or requested engine job run (expiry, reminders, tier review, tagging).';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- Adds a graphile-worker job when the engine's schema exists (it is created by the engine at start,
-- or by the stack before the demo seed); returns the job id, or null when there is no job queue yet.
create or replace function private.enqueue_job(p_task text, p_payload json, p_job_key text default null,
                                               p_priority int default 0, p_max_attempts int default 25)
returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_id bigint;
begin
  if to_regclass('graphile_worker._private_jobs') is null then
    return null;
  end if;
  select j.id into v_id
  from graphile_worker.add_job(p_task, p_payload, job_key => p_job_key, priority => p_priority,
                               max_attempts => p_max_attempts) j;
  return v_id;
end
$$;

-- Runs the expiry job now (admins); the daily cron runs it too. Returns the job id.
create or replace function public.request_expiry_run()
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_job bigint;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may start an expiry run' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'expiry_run')::text;
  end if;
  v_job := private.enqueue_job('expire_lots', json_build_object('requested_by', auth.uid(), 'requested_at', now()),
                               'expire_lots:requested', 5, 3);
  if v_job is null then
    raise exception 'the rules engine has not been started on this database (no job queue yet)' using errcode = '55000',
      hint = 'engine_not_started';
  end if;
  return jsonb_build_object('job_id', v_job, 'queued_at', now());
end
$$;
comment on function public.request_expiry_run() is
  'Queues an expiry run (private.expire_due_lots_batched) for the engine at once (administrators); a repeat '
  'before it ran replaces the queued one. Its result is logged in engine_runs (job expire_lots).';

create or replace function private.enqueue_what_if()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.enqueue_job('what_if', json_build_object('run_id', new.id), 'what_if:' || new.id, 10, 3);
  return null;
end
$$;

-- Catch-up sweep: queues an earn job for every transaction without a transaction_earnings row that has
-- no job, or whose job has been locked for longer than p_stale (its worker died: graphile-worker would
-- only release it after 4 hours). Returns the number of jobs queued. One sweep at a time.

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

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger enqueue after insert on public.what_if_runs
  for each row execute function private.enqueue_what_if();
create trigger audit after insert or update or delete on public.member_auto_tags
  for each row execute function private.audit_row('member_id');

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
alter table public.rule_errors enable row level security;
alter table public.notifications_outbox enable row level security;
alter table public.member_auto_tags enable row level security;
alter table public.what_if_runs enable row level security;
alter table public.engine_runs enable row level security;

create policy "staff read rule errors" on public.rule_errors
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read automatic tags" on public.member_auto_tags
  for select to authenticated using ((select private.is_staff_user()));
create policy "directors read the outbox" on public.notifications_outbox
  for select to authenticated using ((select private.has_any_role('{director}')));
create policy "directors read engine runs" on public.engine_runs
  for select to authenticated using ((select private.has_any_role('{director}')));

create policy "analysts read what-if runs" on public.what_if_runs
  for select to authenticated using ((select private.has_any_role('{director,analyst}')));
create policy "analysts request what-if runs" on public.what_if_runs
  for insert to authenticated
  with check ((select private.has_any_role('{director,analyst}')) and status = 'queued' and progress = 0
              and result is null and started_at is null and finished_at is null
              and requested_by is not distinct from (select auth.uid()));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.rule_errors, public.notifications_outbox, public.member_auto_tags, public.what_if_runs,
  public.engine_runs from anon, authenticated, service_role;
grant select on public.rule_errors, public.member_auto_tags, public.notifications_outbox, public.engine_runs
  to authenticated;
grant select, insert on public.what_if_runs to authenticated;
grant select on public.rule_errors, public.member_auto_tags, public.engine_runs, public.what_if_runs to service_role;
-- Channel adapters run with the service role: they read pending messages and mark the result.
grant select, update on public.notifications_outbox to service_role;

revoke all on function public.request_expiry_run() from public, anon;
grant execute on function public.request_expiry_run() to authenticated, service_role;
revoke all on function private.enqueue_job(text, json, text, int, int), private.enqueue_what_if(),
  private.enqueue_unearned(interval, int, timestamptz), private.earn_contexts(uuid[]), private.post_earnings(jsonb)
  from public, anon, authenticated;
grant execute on function private.earn_contexts(uuid[]), private.post_earnings(jsonb) to service_role;
