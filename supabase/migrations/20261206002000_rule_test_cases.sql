-- Saved test cases of rules, verified by the engine, gating publication.
--
-- A rule key has test cases (public.rule_test_cases: a name, an input in the kind's data contract, the expected
-- result), written by the drafters of rules and read by all staff; every change is audited. The engine verifies a
-- version on request (public.request_rule_verification queues the job verify_rule_tests; engine/rule-tests.ts runs
-- each case with core/rules and the kind's result check, the same evaluator as the earn job) and records the verdict
-- in public.rule_test_verdicts through private.record_rule_test_verdict, which only the system may call: no API role
-- writes that table. A verdict names what it verified: the version (rule id), a digest of its kind and logic, and a
-- digest of the key's case set at that moment (ids, names, inputs, expectations).
--
-- publish_rule (direct, or as the final step of an approval request) refuses a version whose key has test cases
-- unless the latest verdict for that version's exact logic and the key's current case set passed:
-- rule_tests_unverified (none for this logic and case set: a case was added or changed since, or never run),
-- rule_tests_failed (it failed). A key without test cases publishes as before, as do versions the start-up sync
-- makes from the files in workflows/ (reviewed in the repository, published by the system).
-- Changing a case and publishing take the same per-key lock, so a case added while a publish is in flight waits.

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.rule_test_cases (
  id uuid primary key default gen_random_uuid(),
  rule_key text not null check (rule_key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  input jsonb not null check (jsonb_typeof(input) = 'object' and octet_length(input::text) <= 65536),
  expected jsonb not null check (octet_length(expected::text) <= 16384),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid default auth.uid(),
  updated_at timestamptz not null default now(),
  constraint rule_test_cases_name unique (rule_key, name)
);
comment on table public.rule_test_cases is
  'Saved test cases of a rule key: input (the kind''s data, workflows/README.md) and expected result (an earning '
  'rule''s points, else the kind''s result). Once a key has cases, publish_rule needs a passing engine verdict for '
  'the version and the current cases (public.rule_test_verdicts).';

create table public.rule_test_verdicts (
  id bigint generated always as identity primary key,
  rule_id uuid not null references public.rules (id) on delete cascade,
  rule_key text not null,
  rule_version int not null,
  logic_digest text not null check (logic_digest ~ '^[0-9a-f]{32}$'),
  cases_digest text not null check (cases_digest ~ '^[0-9a-f]{32}$'),
  case_count int not null check (case_count between 0 and 100),
  passed boolean not null,
  details jsonb not null default '[]' check (jsonb_typeof(details) = 'array' and octet_length(details::text) <= 262144),
  requested_by uuid,
  checked_at timestamptz not null default clock_timestamp()
);
create index rule_test_verdicts_rule on public.rule_test_verdicts (rule_id, id desc);
comment on table public.rule_test_verdicts is
  'What the engine found running a rule version''s test cases (job verify_rule_tests): for the logic and case set '
  'named by their digests, pass or fail and each case''s actual result. Written only by the engine.';

-- ── Digests ──────────────────────────────────────────────────────────────────────────────
create or replace function private.rule_logic_digest(p_kind text, p_logic jsonb)
returns text
language sql immutable set search_path = ''
as $$ select md5(jsonb_build_array(p_kind, p_logic)::text) $$;

create or replace function private.rule_cases_digest(p_key text)
returns text
language sql stable security definer set search_path = ''
as $$
  select md5(coalesce(jsonb_agg(jsonb_build_array(c.id, c.name, c.input, c.expected) order by c.id), '[]'::jsonb)::text)
  from public.rule_test_cases c where c.rule_key = p_key
$$;

create or replace function private.lock_rule_tests(p_key text)
returns void
language sql volatile set search_path = ''
as $$ select pg_advisory_xact_lock(hashtext('rule_test_cases'), hashtext(coalesce(p_key, ''))) $$;

-- ── Cases: checks and lock ───────────────────────────────────────────────────────────────
create or replace function private.check_rule_test_case()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.lock_rule_tests(old.rule_key);
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  perform private.lock_rule_tests(new.rule_key);
  if not exists (select 1 from public.rules r where r.key = new.rule_key) then
    raise exception 'rule % does not exist: test cases belong to an existing rule', new.rule_key
      using errcode = '22023', hint = 'rule_test_rule_missing', detail = json_build_object('key', new.rule_key)::text;
  end if;
  if tg_op = 'INSERT' and (select count(*) from public.rule_test_cases c where c.rule_key = new.rule_key) >= 100 then
    raise exception 'rule % already has 100 test cases', new.rule_key
      using errcode = '22023', hint = 'rule_tests_too_many', detail = json_build_object('key', new.rule_key, 'max', 100)::text;
  end if;
  if tg_op = 'UPDATE' then
    new.created_by := old.created_by;
    new.created_at := old.created_at;
  end if;
  new.updated_by := auth.uid();
  new.updated_at := clock_timestamp();
  return new;
end
$$;

create trigger checks before insert or update or delete on public.rule_test_cases
  for each row execute function private.check_rule_test_case();
create trigger audit after insert or update or delete on public.rule_test_cases
  for each row execute function private.audit_row();

-- Verdicts are never edited (a deleted draft takes its own with it).
create trigger append_only before update on public.rule_test_verdicts
  for each row execute function private.refuse_change();

-- ── Asking for and recording a verification ──────────────────────────────────────────────
create or replace function public.request_rule_verification(p_key text, p_version int)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_rule public.rules;
  v_job bigint;
begin
  if auth.uid() is null or not private.drafts_definitions('rule') then
    raise exception 'permission denied: only drafters of rules run their test cases' using errcode = '42501',
      hint = 'definition_drafter_only', detail = json_build_object('action', 'request_rule_verification', 'kind', 'rule')::text;
  end if;
  select * into v_rule from public.rules r where r.key = p_key and r.version = p_version;
  if not found then
    raise exception 'rule % has no version %', coalesce(p_key, 'null'), coalesce(p_version::text, 'null')
      using errcode = 'P0002', hint = 'rule_version_missing', detail = json_build_object('key', p_key, 'version', p_version)::text;
  end if;
  if v_rule.status <> 'draft' then
    raise exception 'rule % version % is % (only a draft is verified)', p_key, p_version, v_rule.status
      using errcode = '22023', hint = 'rule_not_draft', detail = json_build_object('key', p_key, 'version', p_version)::text;
  end if;
  v_job := private.enqueue_job('verify_rule_tests', json_build_object('rule_id', v_rule.id, 'requested_by', auth.uid()),
                               'verify_rule_tests:' || v_rule.id, -5, 3);
  if v_job is null then
    raise exception 'the rules engine has not been started on this database (no job queue yet)' using errcode = '55000',
      hint = 'engine_not_started';
  end if;
  return jsonb_build_object('job_id', v_job, 'rule_id', v_rule.id, 'queued_at', clock_timestamp());
end
$$;
comment on function public.request_rule_verification(text, int) is
  'Queues the engine''s verification of draft p_version of rule p_key against the key''s test cases (drafters of '
  'rules); the verdict appears in rule_test_verdicts. A repeat before it ran replaces the queued job.';

-- What the engine reads for a verification: the version, its digests and the cases, in one snapshot.
create or replace function private.rule_verification_input(p_rule_id uuid)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'rule_id', r.id, 'key', r.key, 'version', r.version, 'kind', r.kind, 'status', r.status, 'logic', r.logic,
    'logic_digest', private.rule_logic_digest(r.kind, r.logic),
    'cases_digest', private.rule_cases_digest(r.key),
    'tier_ladder', coalesce((select jsonb_agg(t.code order by t.rank) from public.tiers t), '[]'::jsonb),
    'cases', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'input', c.input, 'expected', c.expected)
                                        order by c.id)
                       from public.rule_test_cases c where c.rule_key = r.key), '[]'::jsonb))
  from public.rules r where r.id = p_rule_id
$$;

create or replace function private.record_rule_test_verdict(p_rule_id uuid, p_logic_digest text, p_cases_digest text,
                                                            p_case_count int, p_passed boolean, p_details jsonb, p_requested_by uuid)
returns public.rule_test_verdicts
language plpgsql security definer set search_path = ''
as $$
declare
  v_rule public.rules;
  v_row public.rule_test_verdicts;
begin
  perform private.assert_system_caller('recording a rule test verdict');
  select * into v_rule from public.rules r where r.id = p_rule_id;
  if not found then
    raise exception 'rule version % does not exist', p_rule_id using errcode = 'P0002', hint = 'rule_version_missing';
  end if;
  insert into public.rule_test_verdicts (rule_id, rule_key, rule_version, logic_digest, cases_digest, case_count, passed, details, requested_by)
  values (v_rule.id, v_rule.key, v_rule.version, p_logic_digest, p_cases_digest, p_case_count, p_passed, coalesce(p_details, '[]'), p_requested_by)
  returning * into v_row;
  return v_row;
end
$$;

-- ── The gate ─────────────────────────────────────────────────────────────────────────────
create or replace function private.assert_rule_tests_passed(p_rule public.rules)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_cases int;
  v_verdict public.rule_test_verdicts;
begin
  perform private.lock_rule_tests(p_rule.key);
  select count(*) into v_cases from public.rule_test_cases c where c.rule_key = p_rule.key;
  if v_cases = 0 or (p_rule.origin = 'file' and private.is_system_caller()) then
    return;
  end if;
  select * into v_verdict from public.rule_test_verdicts v
  where v.rule_id = p_rule.id and v.logic_digest = private.rule_logic_digest(p_rule.kind, p_rule.logic)
    and v.cases_digest = private.rule_cases_digest(p_rule.key)
  order by v.id desc limit 1;
  if not found then
    raise exception 'rule % version % has % test case(s) not run on it since it or they last changed: run the test cases first',
      p_rule.key, p_rule.version, v_cases
      using errcode = '55000', hint = 'rule_tests_unverified',
            detail = json_build_object('key', p_rule.key, 'version', p_rule.version, 'cases', v_cases)::text;
  end if;
  if not v_verdict.passed then
    raise exception 'rule % version % fails % of its % test case(s)', p_rule.key, p_rule.version,
      (select count(*) from jsonb_array_elements(v_verdict.details) d where d ->> 'passed' is distinct from 'true'), v_cases
      using errcode = '55000', hint = 'rule_tests_failed',
            detail = json_build_object('key', p_rule.key, 'version', p_rule.version, 'cases', v_cases,
              'failed', (select count(*) from jsonb_array_elements(v_verdict.details) d where d ->> 'passed' is distinct from 'true'))::text;
  end if;
end
$$;

create or replace function public.publish_rule(p_key text, p_version int)
returns public.rules
language plpgsql security definer set search_path = ''
as $$
declare
  v_rule public.rules;
  v_problems text[];
  v_at timestamptz;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may publish rules' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'publish_rule')::text;
  end if;
  perform pg_advisory_xact_lock(private.rules_lock_key());
  perform private.lock_definition_key('public.rules', p_key);
  select * into v_rule from public.rules r where r.key = p_key and r.version = p_version;
  if not found then
    raise exception 'rule % has no version %', coalesce(p_key, 'null'), coalesce(p_version::text, 'null')
      using errcode = 'P0002', hint = 'rule_version_missing';
  end if;
  if v_rule.status <> 'draft' then
    raise exception 'rule % version % is % (only a draft can be published)', p_key, p_version, v_rule.status
      using errcode = '22023', hint = 'rule_not_draft';
  end if;
  v_problems := private.rule_logic_problems(v_rule.logic);
  if cardinality(v_problems) > 0 then
    raise exception 'rule % version % is not valid JSON-logic: %', p_key, p_version, array_to_string(v_problems, '; ')
      using errcode = '22023', hint = 'rule_logic_invalid';
  end if;
  perform private.assert_rule_tests_passed(v_rule);
  if not exists (select 1 from public.rule_sets s
                 where s.kind = v_rule.kind and s.business_unit_id is not distinct from v_rule.business_unit_id) then
    insert into public.rule_sets (kind, business_unit_id, combination)
    select v_rule.kind, v_rule.business_unit_id, g.combination
    from public.rule_sets g
    where v_rule.business_unit_id is not null and g.kind = v_rule.kind and g.business_unit_id is null;
    if not found then
      raise exception 'no % rule set for the group: it is part of the installation and must be restored first', v_rule.kind
        using errcode = '22023', hint = 'rule_set_missing';
    end if;
  end if;
  v_at := clock_timestamp();
  perform private.publish_definition_version('public.rules', p_key, p_version, v_at);
  select * into v_rule from public.rules r where r.id = v_rule.id;
  return v_rule;
end
$$;
comment on function public.publish_rule(text, int) is
  'Publishes draft version p_version of rule p_key (administrators, or the system for an approved request): shape-checks '
  'the logic, needs a passing engine verdict for the version and the key''s current test cases when it has any, creates '
  'the rule set of a business unit that has none of the rule''s kind, and supersedes the previously published version. '
  'Errors (HINT): 42501 admin_only; P0002 rule_version_missing; 22023 rule_not_draft, rule_logic_invalid, rule_set_missing; '
  '55000 rule_tests_unverified, rule_tests_failed.';

-- ── Rolling back: a new draft from an earlier version, with why ──────────────────────────
create or replace function public.create_rule_rollback_draft(p_key text, p_from_version int, p_reason text)
returns public.rules
language plpgsql security definer set search_path = ''
as $$
declare
  v_from public.rules;
  v_row public.rules;
  v_reason text := nullif(btrim(p_reason), '');
begin
  if auth.uid() is null or not private.drafts_definitions('rule') then
    raise exception 'permission denied: only drafters of rules roll them back' using errcode = '42501',
      hint = 'definition_drafter_only', detail = json_build_object('action', 'create_rule_rollback_draft', 'kind', 'rule')::text;
  end if;
  if v_reason is null or length(v_reason) > 500 then
    raise exception 'a reason of 1 to 500 characters is required' using errcode = '22023',
      hint = 'reason_required', detail = json_build_object('max', 500)::text;
  end if;
  perform private.lock_definition_key('public.rules', p_key);
  select * into v_from from public.rules r where r.key = p_key and r.version = p_from_version and r.published_at is not null;
  if not found then
    raise exception 'rule % has no published version %', coalesce(p_key, 'null'), coalesce(p_from_version::text, 'null')
      using errcode = 'P0002', hint = 'rule_version_missing', detail = json_build_object('key', p_key, 'version', p_from_version)::text;
  end if;
  if exists (select 1 from public.rules r where r.key = p_key and r.status = 'draft') then
    raise exception 'rule % already has a draft: publish or delete it first', p_key
      using errcode = '55000', hint = 'rule_draft_exists', detail = json_build_object('key', p_key)::text;
  end if;
  perform set_config('app.reason', left(format('rollback to v%s: %s', p_from_version, v_reason), 1000), true);
  insert into public.rules (key, version, kind, business_unit_id, name, name_en, description, description_en, priority,
                            logic, lot_kind, active_from, active_to, status, created_by)
  select v_from.key, max(r.version) + 1, v_from.kind, v_from.business_unit_id, v_from.name, v_from.name_en, v_from.description,
         v_from.description_en, v_from.priority, v_from.logic, v_from.lot_kind, v_from.active_from, v_from.active_to, 'draft', auth.uid()
  from public.rules r where r.key = p_key
  returning * into v_row;
  perform set_config('app.reason', '', true);
  return v_row;
end
$$;
comment on function public.create_rule_rollback_draft(text, int, text) is
  'Drafters of rules: a new draft of p_key copying published (or once published) version p_from_version, with the '
  'reason recorded in the audit log; it publishes the normal way (test cases, approval).';

-- ── The bench's sample from a real transaction ───────────────────────────────────────────
-- The data the earning rules receive for one transaction, as private.earn_contexts builds it, read with the
-- caller's own rights (row-level security applies): null when the caller cannot read it.
create or replace function public.rule_sample_context(p_transaction_id uuid)
returns jsonb
language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object(
    'transaction', jsonb_build_object(
      'amount', t.amount, 'channel', t.channel, 'occurred_at', t.occurred_at, 'order_no', t.order_no,
      'items', t.items, 'business_unit', jsonb_build_object('code', bu.code, 'kind', bu.kind)),
    'member', jsonb_build_object(
      'tier', coalesce(then_tier.code, cur.code), 'tags', to_jsonb(m.tags), 'birthday', m.birthday,
      'growth_value', m.growth_value, 'joined_at', m.created_at, 'status', m.status,
      'home_business_unit', home.code))
  from public.transactions t
  join public.members m on m.id = t.member_id
  join public.tiers cur on cur.id = m.tier_id
  join public.business_units bu on bu.id = t.business_unit_id
  left join public.business_units home on home.id = m.home_business_unit_id
  left join lateral (
    select h.from_tier_id from public.tier_history h
    where h.member_id = t.member_id and h.changed_at >= t.occurred_at
    order by h.changed_at, h.id limit 1) h on true
  left join public.tiers then_tier on then_tier.id = h.from_tier_id
  where t.id = p_transaction_id
$$;

-- ── Policies and grants ──────────────────────────────────────────────────────────────────
alter table public.rule_test_cases enable row level security;
alter table public.rule_test_verdicts enable row level security;
create policy "staff read rule test cases" on public.rule_test_cases for select to authenticated
  using ((select private.is_staff_user()));
create policy "drafters write rule test cases" on public.rule_test_cases for insert to authenticated
  with check ((select private.drafts_definitions('rule')));
create policy "drafters edit rule test cases" on public.rule_test_cases for update to authenticated
  using ((select private.drafts_definitions('rule'))) with check ((select private.drafts_definitions('rule')));
create policy "drafters delete rule test cases" on public.rule_test_cases for delete to authenticated
  using ((select private.drafts_definitions('rule')));
create policy "staff read rule test verdicts" on public.rule_test_verdicts for select to authenticated
  using ((select private.is_staff_user()));

revoke all on public.rule_test_cases, public.rule_test_verdicts from anon, authenticated, service_role;
grant select, insert, update, delete on public.rule_test_cases to authenticated;
grant select on public.rule_test_cases, public.rule_test_verdicts to authenticated, service_role;

revoke all on function public.request_rule_verification(text, int), public.create_rule_rollback_draft(text, int, text),
  public.rule_sample_context(uuid) from public, anon;
grant execute on function public.request_rule_verification(text, int), public.create_rule_rollback_draft(text, int, text),
  public.rule_sample_context(uuid) to authenticated;
revoke all on function private.rule_logic_digest(text, jsonb), private.rule_cases_digest(text), private.lock_rule_tests(text),
  private.check_rule_test_case(), private.rule_verification_input(uuid),
  private.record_rule_test_verdict(uuid, text, text, int, boolean, jsonb, uuid), private.assert_rule_tests_passed(public.rules)
  from public, anon, authenticated, service_role;
