-- Rules that keep failing are suspended, not retired: a published version that fails (stage evaluate or
-- result in public.rule_errors) RULE_SUSPEND_AFTER_FAILURES times within RULE_SUSPEND_WINDOW_MINUTES is
-- marked suspended (suspended_at, suspended_reason) and the engine skips it until an administrator resumes
-- it with public.resume_rule. Suspension is not a lifecycle status: the version stays published (or
-- archived) and keeps its history. Each transaction's earning row lists the rule failures met while it
-- was evaluated.

-- ── Limits (core/enums/limits.ts states the same; tests/db/registry-parity.test.ts compares) ─────────
create or replace function private.engine_limits()
returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object('rule_suspend_after_failures', 3, 'rule_suspend_window_minutes', 10, 'earn_max_attempts', 5)
$$;
comment on function private.engine_limits() is
  'Limits of the engine''s failure handling: failures of a rule within the window that suspend it; failed '
  'evaluations of a transaction before it is parked. core/enums/limits.ts holds the same numbers.';

-- ── Columns ──────────────────────────────────────────────────────────────────────────────
alter table public.rules
  add column suspended_at timestamptz,
  add column suspended_reason text check (length(suspended_reason) <= 2000),
  add constraint rules_suspended check ((suspended_at is null) = (suspended_reason is null)
                                        and (suspended_at is null or published_at is not null));
comment on column public.rules.suspended_at is
  'Set when the engine suspended this published version for failing repeatedly (it is skipped until '
  'public.resume_rule); null: not suspended.';
comment on column public.rules.suspended_reason is 'The last failure that suspended the version (English, for logs; the app shows rule_errors).';

alter table public.transaction_earnings
  add column rule_failures jsonb not null default '[]' check (jsonb_typeof(rule_failures) = 'array');
comment on column public.transaction_earnings.rule_failures is
  'Rules that failed for this transaction and so gave nothing: [{rule_id, rule_key, rule_version, stage, message}] '
  '(the other rules decided the outcome).';

-- Failures of each rule version in the current window (private: counters, not history; rule_errors is the history).
create table private.rule_failure_windows (
  rule_id uuid primary key references public.rules (id),
  failures int not null,
  since timestamptz not null
);

-- ── The lifecycle guard: suspension columns may change on a published version ─────────────
create or replace function private.guard_definition_version()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_kind text := private.definition_kind(tg_relid);
  v_mutable text[] := array['status', 'superseded_at', 'updated_at', 'suspended_at', 'suspended_reason'];
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' or old.published_at is not null then
      raise exception '% % version % was published: it stays as history and cannot be deleted', v_kind, old.key, old.version
        using errcode = 'insufficient_privilege',
        hint = 'definition_published_kept', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version)::text;
    end if;
    return old;
  end if;
  if tg_op = 'INSERT' then
    if (new.status <> 'draft' or new.origin <> 'ui') and not private.is_system_caller() then
      raise exception '% versions are created as drafts and published with publish_%', v_kind, v_kind
        using errcode = 'insufficient_privilege',
        hint = 'definition_draft_only', detail = json_build_object('kind', v_kind)::text;
    end if;
    if new.status = 'published' then
      new.published_at := coalesce(new.published_at, clock_timestamp());
    end if;
    return new;
  end if;
  if old.status = 'draft' and old.published_at is null then
    if new.status = 'published' and new.published_at is null then
      new.published_at := clock_timestamp();
    end if;
    return new;
  end if;
  if to_jsonb(new) - v_mutable is distinct from to_jsonb(old) - v_mutable then
    raise exception '% % version % is %: create a new version instead of editing it', v_kind, old.key, old.version, old.status
      using errcode = 'check_violation',
      hint = 'definition_frozen', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version, 'status', old.status)::text;
  end if;
  if old.status = 'archived' and new.status <> 'archived' then
    raise exception '% % version % is archived and cannot be republished; copy it into a new draft', v_kind, old.key, old.version
      using errcode = 'check_violation',
      hint = 'definition_archived', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version)::text;
  end if;
  if new.status = 'draft' then
    raise exception '% % version % was published and cannot become a draft again', v_kind, old.key, old.version
      using errcode = 'check_violation',
      hint = 'definition_frozen', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version, 'status', old.status)::text;
  end if;
  if to_jsonb(old) ->> 'superseded_at' is not null and to_jsonb(new) -> 'superseded_at' is distinct from to_jsonb(old) -> 'superseded_at' then
    raise exception '% % version % was superseded at %: that moment is history', v_kind, old.key, old.version,
      to_jsonb(old) ->> 'superseded_at' using errcode = 'check_violation',
      hint = 'definition_superseded', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version)::text;
  end if;
  return new;
end
$$;

-- ── Counting failures and suspending ─────────────────────────────────────────────────────
-- After each failure row written (or counted again) for a published rule: count it in the rule's window
-- (a window older than the limit starts over); at the limit the version is suspended, which bumps the
-- rules generation so every engine reloads and skips it.
create or replace function private.count_rule_failure()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.engine_limits();
  v_window interval := make_interval(mins => (v_limits ->> 'rule_suspend_window_minutes')::int);
  v_failures int;
begin
  if new.stage not in ('evaluate', 'result') then
    return null;
  end if;
  insert into private.rule_failure_windows as w (rule_id, failures, since)
  values (new.rule_id, 1, now())
  on conflict (rule_id) do update
    set failures = case when w.since < now() - v_window then 1 else w.failures + 1 end,
        since = case when w.since < now() - v_window then now() else w.since end
  returning w.failures into v_failures;
  if v_failures >= (v_limits ->> 'rule_suspend_after_failures')::int then
    update public.rules r
    set suspended_at = now(),
        suspended_reason = left(format('%s failures within %s minutes; last (%s): %s', v_failures,
                                       v_limits ->> 'rule_suspend_window_minutes', new.stage, new.message), 2000)
    where r.id = new.rule_id and r.published_at is not null and r.suspended_at is null;
  end if;
  return null;
end
$$;

create trigger count_failure after insert or update of occurrences on public.rule_errors
  for each row execute function private.count_rule_failure();

-- The failures recorded for a transaction while it is posted (post_earnings writes them to rule_errors,
-- pointing at the transaction, just before its earning row): copied onto that row.
create or replace function private.note_rule_failures()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  select coalesce(jsonb_agg(jsonb_build_object('rule_id', e.rule_id, 'rule_key', e.rule_key, 'rule_version', e.rule_version,
                                               'stage', e.stage, 'message', e.message) order by e.rule_key), '[]')
  into new.rule_failures
  from public.rule_errors e
  where e.transaction_id = new.transaction_id and e.last_seen = now() and e.stage in ('evaluate', 'result');
  return new;
end
$$;

create index rule_errors_transaction_idx on public.rule_errors (transaction_id) where transaction_id is not null;
create trigger note_rule_failures before insert on public.transaction_earnings
  for each row execute function private.note_rule_failures();

-- ── Resuming ─────────────────────────────────────────────────────────────────────────────
create or replace function public.resume_rule(p_rule_id uuid)
returns public.rules
language plpgsql security definer set search_path = ''
as $$
declare
  v_rule public.rules;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may resume rules' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'resume_rule')::text;
  end if;
  select * into v_rule from public.rules r where r.id = p_rule_id for update;
  if not found or v_rule.suspended_at is null then
    raise exception 'rule version % is not suspended', coalesce(p_rule_id::text, 'null') using errcode = '22023',
      hint = 'rule_not_suspended', detail = json_build_object('rule_id', p_rule_id)::text;
  end if;
  delete from private.rule_failure_windows w where w.rule_id = p_rule_id;
  update public.rules r set suspended_at = null, suspended_reason = null where r.id = p_rule_id returning * into v_rule;
  return v_rule;
end
$$;
comment on function public.resume_rule(uuid) is
  'Resumes a suspended rule version (administrators; audited as an update of the rule): the engine runs it again '
  'from its next evaluation, with a fresh failure count. Errors (HINT): 42501 admin_only; 22023 rule_not_suspended.';

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on table private.rule_failure_windows from public, anon, authenticated;
revoke all on function private.engine_limits(), private.count_rule_failure(), private.note_rule_failures()
  from public, anon, authenticated;
revoke all on function public.resume_rule(uuid) from public, anon;
grant execute on function public.resume_rule(uuid) to authenticated, service_role;
