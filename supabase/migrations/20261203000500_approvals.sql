-- Approvals: a staff member submits a request (a points adjustment today); it passes the steps of a
-- versioned approval flow, each decided by an approver role in a scope; the final approval executes the
-- action in the same transaction through the ledger functions. Everything is traced in approval_events.
--   * approval_flows: versioned definitions (private.add_definition_kind), steps as JSON, validated on write.
--   * approval_requests: the request, its data a snapshot fixed at submission, the flow version it started with.
--   * approval_tasks: one per step reached; approval_decisions: one per approver and task (append-only).
--   * Requests, tasks and decisions change only through the functions below: nobody decides their own
--     request, a task takes one decision (two deciders at once: one wins, the other is told), and the
--     action runs exactly once (its idempotency key is the request's).

-- ── Types ────────────────────────────────────────────────────────────────────────────────
create type public.approval_request_status as enum ('pending', 'approved', 'rejected', 'withdrawn', 'failed');
create type public.approval_task_status as enum ('pending', 'approved', 'rejected', 'cancelled');

-- ── Flow conditions: a bounded JSON-logic subset evaluated in SQL ─────────────────────────
-- Conditions decide whether a step applies (e.g. {">": [{"var": "points_abs"}, 1000]}). Allowed:
-- var, and, or, !, !!, ==, !=, ===, !==, >, >=, <, <= and in; at most 16 levels and 4 KB.
create or replace function private.flow_condition_problem(p_logic jsonb, p_depth int default 0)
returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v_op text;
  v_args jsonb;
  v_arg jsonb;
  v_problem text;
begin
  if p_depth > 16 then
    return 'nested more than 16 levels';
  end if;
  if jsonb_typeof(p_logic) = 'array' then
    for v_arg in select value from jsonb_array_elements(p_logic) loop
      v_problem := private.flow_condition_problem(v_arg, p_depth + 1);
      if v_problem is not null then return v_problem; end if;
    end loop;
    return null;
  end if;
  if jsonb_typeof(p_logic) <> 'object' then
    return null;
  end if;
  if (select count(*) from jsonb_object_keys(p_logic)) <> 1 then
    return 'an operation is an object with exactly one key';
  end if;
  v_op := (select k from jsonb_object_keys(p_logic) k);
  if v_op not in ('var', 'and', 'or', '!', '!!', '==', '!=', '===', '!==', '>', '>=', '<', '<=', 'in') then
    return format('operation "%s" is not allowed in flow conditions', left(v_op, 40));
  end if;
  v_args := p_logic -> v_op;
  if v_op = 'var' then
    if jsonb_typeof(v_args) = 'array' then v_args := v_args -> 0; end if;
    if jsonb_typeof(v_args) <> 'string' or v_args #>> '{}' !~ '^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$' then
      return 'var names a field as text, e.g. {"var": "points_abs"}';
    end if;
    return null;
  end if;
  return private.flow_condition_problem(v_args, p_depth + 1);
end
$$;

create or replace function private.flow_truthy(p_value jsonb)
returns boolean
language sql immutable set search_path = ''
as $$
  select case jsonb_typeof(p_value)
    when 'null' then false
    when 'boolean' then p_value::text::boolean
    when 'number' then p_value::text::numeric <> 0
    when 'string' then p_value #>> '{}' <> ''
    when 'array' then jsonb_array_length(p_value) > 0
    when 'object' then true
    else false end
$$;

-- Loose comparison as JSON-logic does it for the values conditions meet: numbers (and numeric text)
-- compare as numbers, anything else as text. Returns -1, 0, 1, or null when either side is null.
create or replace function private.flow_compare(p_left jsonb, p_right jsonb)
returns int
language plpgsql immutable set search_path = ''
as $$
declare
  v_l numeric;
  v_r numeric;
begin
  if p_left is null or p_right is null or jsonb_typeof(p_left) = 'null' or jsonb_typeof(p_right) = 'null' then
    return null;
  end if;
  begin
    v_l := (p_left #>> '{}')::numeric;
    v_r := (p_right #>> '{}')::numeric;
    return sign(v_l - v_r)::int;
  exception when others then
    return sign(case when (p_left #>> '{}') < (p_right #>> '{}') then -1 when (p_left #>> '{}') > (p_right #>> '{}') then 1 else 0 end)::int;
  end;
end
$$;

create or replace function private.flow_value(p_logic jsonb, p_data jsonb)
returns jsonb
language plpgsql immutable set search_path = ''
as $$
declare
  v_op text;
  v_args jsonb;
  v_value jsonb;
  v_list jsonb;
  v_cmp int;
  i int;
begin
  if jsonb_typeof(p_logic) <> 'object' then
    return p_logic;
  end if;
  v_op := (select k from jsonb_object_keys(p_logic) k limit 1);
  v_args := p_logic -> v_op;
  if jsonb_typeof(v_args) <> 'array' then
    v_args := jsonb_build_array(v_args);
  end if;
  case v_op
    when 'var' then
      return coalesce(p_data #> string_to_array(v_args ->> 0, '.'), v_args -> 1, 'null'::jsonb);
    when 'and', 'or' then
      v_value := 'null'::jsonb;
      for i in 0 .. jsonb_array_length(v_args) - 1 loop
        v_value := private.flow_value(v_args -> i, p_data);
        if private.flow_truthy(v_value) = (v_op = 'or') then
          return v_value;
        end if;
      end loop;
      return v_value;
    when '!' then
      return to_jsonb(not private.flow_truthy(private.flow_value(v_args -> 0, p_data)));
    when '!!' then
      return to_jsonb(private.flow_truthy(private.flow_value(v_args -> 0, p_data)));
    when '==', '===', '!=', '!==', '>', '>=', '<', '<=' then
      -- Chained like JSON-logic's "between": {"<": [a, b, c]} is a < b < c. A null side compares as
      -- unequal: false for every operator but != and !==.
      for i in 0 .. jsonb_array_length(v_args) - 2 loop
        v_cmp := private.flow_compare(private.flow_value(v_args -> i, p_data), private.flow_value(v_args -> (i + 1), p_data));
        if not coalesce(case v_op
            when '==' then v_cmp = 0 when '===' then v_cmp = 0
            when '!=' then v_cmp <> 0 when '!==' then v_cmp <> 0
            when '>' then v_cmp > 0 when '>=' then v_cmp >= 0
            when '<' then v_cmp < 0 else v_cmp <= 0 end, v_op in ('!=', '!==')) then
          return 'false'::jsonb;
        end if;
      end loop;
      return 'true'::jsonb;
    when 'in' then
      v_value := private.flow_value(v_args -> 0, p_data);
      v_list := private.flow_value(v_args -> 1, p_data);
      if jsonb_typeof(v_list) = 'array' then
        return to_jsonb(exists (select 1 from jsonb_array_elements(v_list) e where private.flow_compare(e, v_value) = 0));
      end if;
      return to_jsonb(jsonb_typeof(v_list) = 'string' and strpos(v_list #>> '{}', v_value #>> '{}') > 0);
    else
      raise exception 'operation "%" is not allowed in flow conditions', v_op
        using errcode = '22023', hint = 'flow_condition_invalid', detail = json_build_object('operation', v_op)::text;
  end case;
end
$$;

-- ── Flows ────────────────────────────────────────────────────────────────────────────────
create table public.approval_flows (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_-]{1,63}$'),
  version int not null check (version > 0),
  status public.config_status not null default 'draft',
  name text not null check (length(btrim(name)) between 1 and 100),
  name_en text check (name_en is null or length(btrim(name_en)) between 1 and 100),
  description text check (length(description) <= 1000),
  action text not null check (action in ('points_adjustment')),
  form_key text not null check (form_key ~ '^[a-z][a-z0-9_-]{1,63}$'),
  steps jsonb not null,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  unique (key, version)
);
create unique index approval_flows_one_published on public.approval_flows (key) where status = 'published';
comment on table public.approval_flows is
  'Approval flows as versioned definitions: ordered steps, each {key, name, name_en, approver_role, scope '
  '(requester_unit | group | unit with unit_code), mode (any | all), condition (JSON-logic subset or null), '
  'sla_hours, reminder_hours, escalate_to (a role)}, and the action run on final approval.';
call private.add_definition_kind('approval_flow', 'public.approval_flows', 'approval flows');

-- What is wrong with a flow's steps, or null.
create or replace function private.approval_flow_problem(p_steps jsonb)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_step jsonb;
  v_i int := 0;
  v_keys text[] := '{}';
  v_problem text;
  v_roles text[] := (select array_agg(e::text) from unnest(enum_range(null::public.app_role)) e);
  v_unconditional boolean := false;
begin
  if jsonb_typeof(p_steps) <> 'array' or jsonb_array_length(p_steps) not between 1 and 10 then
    return jsonb_build_object('code', 'flow_steps_count', 'max', 10);
  end if;
  for v_step in select value from jsonb_array_elements(p_steps) loop
    v_i := v_i + 1;
    if jsonb_typeof(v_step) <> 'object' or coalesce(v_step ->> 'key', '') !~ '^[a-z][a-z0-9_]{0,31}$' then
      return jsonb_build_object('code', 'flow_step_key', 'step', v_i);
    end if;
    if (v_step ->> 'key') = any (v_keys) then
      return jsonb_build_object('code', 'flow_step_key_repeated', 'step', v_i, 'key', v_step ->> 'key');
    end if;
    v_keys := v_keys || (v_step ->> 'key');
    if coalesce(length(btrim(v_step ->> 'name')), 0) not between 1 and 100 then
      return jsonb_build_object('code', 'flow_step_name', 'step', v_i);
    end if;
    if not coalesce(v_step ->> 'approver_role', '') = any (v_roles) or v_step ->> 'approver_role' = 'analyst' then
      return jsonb_build_object('code', 'flow_step_role', 'step', v_i, 'role', v_step ->> 'approver_role');
    end if;
    if v_step ? 'escalate_to' and jsonb_typeof(v_step -> 'escalate_to') <> 'null'
       and (not coalesce(v_step ->> 'escalate_to', '') = any (v_roles) or v_step ->> 'escalate_to' = 'analyst') then
      return jsonb_build_object('code', 'flow_step_role', 'step', v_i, 'role', v_step ->> 'escalate_to');
    end if;
    if coalesce(v_step ->> 'scope', '') not in ('requester_unit', 'group', 'unit') then
      return jsonb_build_object('code', 'flow_step_scope', 'step', v_i);
    end if;
    if v_step ->> 'scope' = 'unit'
       and not exists (select 1 from public.business_units u where u.code = v_step ->> 'unit_code') then
      return jsonb_build_object('code', 'flow_step_unit', 'step', v_i, 'unit_code', v_step ->> 'unit_code');
    end if;
    if coalesce(v_step ->> 'mode', '') not in ('any', 'all') then
      return jsonb_build_object('code', 'flow_step_mode', 'step', v_i);
    end if;
    if jsonb_typeof(v_step -> 'sla_hours') is distinct from 'number' then
      return jsonb_build_object('code', 'flow_step_sla', 'step', v_i, 'max_hours', 720);
    end if;
    if (v_step ->> 'sla_hours')::numeric not between 1 and 720 then
      return jsonb_build_object('code', 'flow_step_sla', 'step', v_i, 'max_hours', 720);
    end if;
    if jsonb_typeof(v_step -> 'reminder_hours') not in ('null', 'number') then
      return jsonb_build_object('code', 'flow_step_sla', 'step', v_i, 'max_hours', 720);
    end if;
    if jsonb_typeof(v_step -> 'reminder_hours') = 'number'
       and (v_step ->> 'reminder_hours')::numeric not between 0.5 and (v_step ->> 'sla_hours')::numeric then
      return jsonb_build_object('code', 'flow_step_sla', 'step', v_i, 'max_hours', 720);
    end if;
    if v_step ? 'condition' and jsonb_typeof(v_step -> 'condition') <> 'null' then
      if length((v_step -> 'condition')::text) > 4096 then
        return jsonb_build_object('code', 'flow_condition_invalid', 'step', v_i, 'problem', 'longer than 4 KB');
      end if;
      v_problem := private.flow_condition_problem(v_step -> 'condition');
      if v_problem is not null then
        return jsonb_build_object('code', 'flow_condition_invalid', 'step', v_i, 'problem', v_problem);
      end if;
    else
      v_unconditional := true;
    end if;
  end loop;
  if not v_unconditional then
    return jsonb_build_object('code', 'flow_without_unconditional_step');
  end if;
  return null;
end
$$;

create or replace function private.check_approval_flow()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_problem jsonb;
begin
  if tg_op = 'UPDATE' and new.steps is not distinct from old.steps then
    return new;
  end if;
  v_problem := private.approval_flow_problem(new.steps);
  if v_problem is not null then
    raise exception 'approval flow % is invalid: %', new.key, v_problem
      using errcode = '22023', hint = 'approval_flow_invalid', detail = (v_problem || jsonb_build_object('key', new.key))::text;
  end if;
  new.updated_at := now();
  return new;
end
$$;
create trigger approval_flows_valid before insert or update on public.approval_flows
  for each row execute function private.check_approval_flow();
create trigger audit after insert or update or delete on public.approval_flows
  for each row execute function private.audit_row();

create or replace function public.publish_approval_flow(p_key text, p_version int)
returns public.approval_flows
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.approval_flows;
begin
  if not private.has_role('admin') and not private.is_system_caller() then
    raise exception 'permission denied: only administrators publish approval flows' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'publish approval flow')::text;
  end if;
  perform private.publish_definition_version('public.approval_flows', p_key, p_version, clock_timestamp());
  select * into v_row from public.approval_flows where key = p_key and version = p_version;
  return v_row;
end
$$;

-- ── Requests, tasks, decisions, events ───────────────────────────────────────────────────
create table public.approval_requests (
  id uuid primary key default gen_random_uuid(),
  flow_id uuid not null references public.approval_flows (id),
  action text not null,
  business_unit_id uuid not null references public.business_units (id),
  member_id uuid not null references public.members (id),
  data jsonb not null check (jsonb_typeof(data) = 'object' and length(data::text) <= 20000),
  status public.approval_request_status not null default 'pending',
  current_step int,
  requested_by uuid not null,
  requested_at timestamptz not null default now(),
  decided_at timestamptz,
  result jsonb,
  failure_code text,
  failure_message text check (length(failure_message) <= 1000),
  resubmission_of uuid references public.approval_requests (id),
  idempotency_key text not null check (length(idempotency_key) between 8 and 100),
  unique (requested_by, idempotency_key)
);
create index approval_requests_status on public.approval_requests (status, requested_at desc);
create index approval_requests_member on public.approval_requests (member_id, requested_at desc);
create index approval_requests_requester on public.approval_requests (requested_by, requested_at desc);
comment on table public.approval_requests is
  'Requests through an approval flow (the flow version they started with). data is the snapshot submitted; '
  'result the action''s answer (ledger entry) once executed; failure_* why execution failed.';

create table public.approval_tasks (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references public.approval_requests (id),
  step_index int not null check (step_index >= 0),
  step_key text not null,
  step_name text not null,
  step_name_en text,
  approver_role public.app_role not null,
  business_unit_id uuid references public.business_units (id),
  mode text not null check (mode in ('any', 'all')),
  required_approvals int not null default 1 check (required_approvals >= 1),
  status public.approval_task_status not null default 'pending',
  opened_at timestamptz not null default now(),
  reminder_at timestamptz,
  due_at timestamptz not null,
  escalate_to public.app_role,
  reminded_at timestamptz,
  escalated_at timestamptz,
  decided_at timestamptz,
  unique (request_id, step_index)
);
create index approval_tasks_pending on public.approval_tasks (approver_role, business_unit_id) where status = 'pending';
create index approval_tasks_due on public.approval_tasks (due_at) where status = 'pending';
comment on table public.approval_tasks is
  'One per flow step a request reached: who may decide it (approver_role, business_unit_id null = group-wide), '
  'how many approvals it needs (any: 1; all: every eligible approver when it opened), its SLA and escalation.';

create table public.approval_decisions (
  id bigint generated always as identity primary key,
  task_id uuid not null references public.approval_tasks (id),
  decided_by uuid not null,
  decision text not null check (decision in ('approve', 'reject')),
  comment text check (length(comment) <= 500),
  decided_at timestamptz not null default clock_timestamp(),
  unique (task_id, decided_by)
);

create table public.approval_events (
  id bigint generated always as identity primary key,
  request_id uuid not null references public.approval_requests (id),
  at timestamptz not null default clock_timestamp(),
  actor_id uuid,
  event text not null check (event in ('submitted', 'step_opened', 'step_skipped', 'approved', 'rejected',
    'withdrawn', 'reminded', 'escalated', 'executed', 'failed', 'resubmitted')),
  step_index int,
  comment text check (length(comment) <= 500),
  details jsonb not null default '{}'
);
create index approval_events_request on public.approval_events (request_id, id);
comment on table public.approval_events is 'The timeline of every request: each transition, who made it, when and why.';

create trigger approval_decisions_append_only before update or delete on public.approval_decisions
  for each row execute function private.refuse_change();
create trigger approval_events_append_only before update or delete on public.approval_events
  for each row execute function private.refuse_change();
create trigger approval_requests_audit after insert or update on public.approval_requests
  for each row execute function private.audit_row();
create trigger approval_tasks_audit after insert or update on public.approval_tasks
  for each row execute function private.audit_row();

-- The snapshot is fixed: no function ever changes what was submitted.
create or replace function private.refuse_request_data_change()
returns trigger
language plpgsql
as $$
begin
  if new.data is distinct from old.data or new.flow_id <> old.flow_id or new.member_id <> old.member_id
     or new.business_unit_id <> old.business_unit_id or new.requested_by <> old.requested_by then
    raise exception 'approval request % was submitted: its data, flow, member, unit and requester are fixed', old.id
      using errcode = 'insufficient_privilege', hint = 'approval_request_fixed', detail = json_build_object('request_id', old.id)::text;
  end if;
  return new;
end
$$;
create trigger approval_requests_fixed before update on public.approval_requests
  for each row execute function private.refuse_request_data_change();

-- ── Helpers ──────────────────────────────────────────────────────────────────────────────
create or replace function private.approval_event(p_request uuid, p_event text, p_step int default null,
  p_comment text default null, p_details jsonb default '{}')
returns void
language sql security definer set search_path = ''
as $$
  insert into public.approval_events (request_id, actor_id, event, step_index, comment, details)
  values (p_request, auth.uid(), p_event, p_step, p_comment, p_details)
$$;

-- Whether user p_user may decide tasks of role p_role in unit p_unit (null: group-wide, which only a
-- group-wide holder of the role, or an administrator, may decide).
create or replace function private.is_approver(p_user uuid, p_role public.app_role, p_unit uuid)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.role_assignments ra
    where ra.user_id = p_user
      and (ra.role = 'admin' or (ra.role = p_role and (ra.business_unit_id is null or ra.business_unit_id = p_unit))))
$$;

-- What the conditions of a request's steps read: its data, the points' size and the unit's code.
create or replace function private.approval_condition_data(p_request public.approval_requests)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select p_request.data || jsonb_build_object(
    'points_abs', abs(coalesce((p_request.data ->> 'points')::bigint, 0)),
    'business_unit', (select u.code from public.business_units u where u.id = p_request.business_unit_id))
$$;

-- Opens the first step from p_from whose condition holds; returns false when no step is left.
create or replace function private.open_next_step(p_request public.approval_requests, p_from int)
returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_steps jsonb := (select f.steps from public.approval_flows f where f.id = p_request.flow_id);
  v_data jsonb := private.approval_condition_data(p_request);
  v_step jsonb;
  v_unit uuid;
  v_required int := 1;
  v_now timestamptz := clock_timestamp();
begin
  for i in p_from .. jsonb_array_length(v_steps) - 1 loop
    v_step := v_steps -> i;
    if jsonb_typeof(v_step -> 'condition') is not null and jsonb_typeof(v_step -> 'condition') <> 'null'
       and not private.flow_truthy(private.flow_value(v_step -> 'condition', v_data)) then
      perform private.approval_event(p_request.id, 'step_skipped', i, null, jsonb_build_object('step_key', v_step ->> 'key'));
      continue;
    end if;
    v_unit := case v_step ->> 'scope'
      when 'requester_unit' then p_request.business_unit_id
      when 'unit' then (select u.id from public.business_units u where u.code = v_step ->> 'unit_code')
      else null end;
    if v_step ->> 'mode' = 'all' then
      select greatest(count(distinct ra.user_id), 1)::int into v_required
      from public.role_assignments ra
      where ra.user_id <> p_request.requested_by
        and ra.role = (v_step ->> 'approver_role')::public.app_role
        and (ra.business_unit_id is null or ra.business_unit_id = v_unit)
        and (v_unit is not null or ra.business_unit_id is null);
    end if;
    insert into public.approval_tasks (request_id, step_index, step_key, step_name, step_name_en, approver_role,
      business_unit_id, mode, required_approvals, opened_at, reminder_at, due_at, escalate_to)
    values (p_request.id, i, v_step ->> 'key', v_step ->> 'name', v_step ->> 'name_en',
      (v_step ->> 'approver_role')::public.app_role, v_unit, v_step ->> 'mode', v_required, v_now,
      v_now + (v_step ->> 'reminder_hours')::numeric * interval '1 hour',
      v_now + (v_step ->> 'sla_hours')::numeric * interval '1 hour',
      (v_step ->> 'escalate_to')::public.app_role);
    update public.approval_requests set current_step = i where id = p_request.id;
    perform private.approval_event(p_request.id, 'step_opened', i, null, jsonb_build_object('step_key', v_step ->> 'key'));
    return true;
  end loop;
  return false;
end
$$;

-- Runs the approved action in the approver's transaction, as the system (the ledger functions refuse
-- staff-made points; the request is the authority). A refusal by the ledger fails the request with its
-- reason and changes nothing else.
create or replace function private.execute_approval(p_request public.approval_requests)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_claims text := current_setting('request.jwt.claims', true);
  v_points bigint := (p_request.data ->> 'points')::bigint;
  v_reason text := left(p_request.data ->> 'reason', 500);
  v_key text := 'approval:' || p_request.id;
  v_result jsonb;
  v_hint text;
  v_message text;
begin
  begin
    perform set_config('request.jwt.claims', json_build_object('role', 'service_role')::text, true);
    perform set_config('app.reason', 'approval-request', true);
    if v_points > 0 then
      v_result := public.earn_points(p_request.member_id, p_request.business_unit_id, v_points::int, v_key,
        coalesce(p_request.data ->> 'lot_kind', 'compensation'),
        case when p_request.data ? 'validity_days'
             then clock_timestamp() + make_interval(days => (p_request.data ->> 'validity_days')::int) end,
        null, v_reason);
    else
      v_result := public.redeem_points(p_request.member_id, p_request.business_unit_id, (-v_points)::int, v_key, v_reason);
    end if;
    perform set_config('request.jwt.claims', coalesce(v_claims, ''), true);
    perform set_config('app.reason', '', true);
  exception when others then
    get stacked diagnostics v_hint = pg_exception_hint, v_message = message_text;
    perform set_config('request.jwt.claims', coalesce(v_claims, ''), true);
    perform set_config('app.reason', '', true);
    update public.approval_requests
       set status = 'failed', decided_at = clock_timestamp(), failure_code = nullif(v_hint, ''), failure_message = left(v_message, 1000)
     where id = p_request.id;
    perform private.approval_event(p_request.id, 'failed', null, null,
      jsonb_build_object('reason', nullif(v_hint, ''), 'message', left(v_message, 1000)));
    return;
  end;
  update public.approval_requests set status = 'approved', decided_at = clock_timestamp(), result = v_result
   where id = p_request.id;
  perform private.approval_event(p_request.id, 'executed', null, null, v_result);
end
$$;

-- Checks the data of a points adjustment against the flow's published form and the adjustment's limits.
create or replace function private.assert_adjustment_data(p_form_key text, p_data jsonb)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_schema jsonb := (select f.schema from public.form_definitions f where f.key = p_form_key and f.status = 'published');
  v_points numeric;
begin
  if v_schema is null then
    raise exception 'the form % of this flow is not published', p_form_key using errcode = '22023',
      hint = 'flow_form_missing', detail = json_build_object('form_key', p_form_key)::text;
  end if;
  perform private.assert_json_schema(v_schema, p_data, 'the request');
  v_points := (p_data ->> 'points')::numeric;
  if v_points is null or v_points = 0 or v_points <> trunc(v_points) or abs(v_points) > 1000000 then
    raise exception 'points must be a whole number between -1000000 and 1000000 other than 0, got %', coalesce(p_data ->> 'points', 'null')
      using errcode = '22023', hint = 'adjustment_points_invalid', detail = json_build_object('points', p_data -> 'points', 'max', 1000000)::text;
  end if;
end
$$;

-- ── Public functions ─────────────────────────────────────────────────────────────────────
-- Submits a request through the published version of flow p_flow_key. p_data is the form's data, with
-- member_id (the member the adjustment is for). A repeat of p_idempotency_key by the same user returns
-- the request it made. Returns the request.
create or replace function public.submit_approval_request(p_flow_key text, p_business_unit_id uuid, p_data jsonb,
  p_idempotency_key text, p_resubmission_of uuid default null)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_flow public.approval_flows;
  v_request public.approval_requests;
  v_member uuid;
  v_status public.member_status;
begin
  if v_user is null then
    raise exception 'permission denied: requests are submitted by a signed-in staff member' using errcode = '42501',
      hint = 'not_signed_in', detail = json_build_object('action', 'submit approval request')::text;
  end if;
  if p_business_unit_id is null or not private.has_any_role('{staff,manager,director}'::public.app_role[], p_business_unit_id) then
    raise exception 'permission denied: requests for business unit % need the staff, manager or director role there',
      coalesce(p_business_unit_id::text, '(none)') using errcode = '42501',
      hint = 'unit_role_required', detail = json_build_object('action', 'submit approval request', 'business_unit_id', p_business_unit_id)::text;
  end if;
  perform private.assert_business_unit(p_business_unit_id);
  if p_idempotency_key is null or length(p_idempotency_key) not between 8 and 100 then
    raise exception 'an idempotency key of 8 to 100 characters is required' using errcode = '22023',
      hint = 'idempotency_key_invalid', detail = json_build_object('min', 8, 'max', 100)::text;
  end if;
  select * into v_request from public.approval_requests r where r.requested_by = v_user and r.idempotency_key = p_idempotency_key;
  if found then
    return v_request;
  end if;
  select * into v_flow from public.approval_flows f where f.key = p_flow_key and f.status = 'published';
  if not found then
    raise exception 'approval flow % is not published', coalesce(p_flow_key, 'null') using errcode = '22023',
      hint = 'flow_unknown', detail = json_build_object('flow_key', p_flow_key)::text;
  end if;
  if p_data is null or jsonb_typeof(p_data) <> 'object' then
    raise exception 'the request data must be an object' using errcode = '22023', hint = 'approval_data_invalid';
  end if;
  begin
    v_member := (p_data ->> 'member_id')::uuid;
  exception when others then
    v_member := null;
  end;
  select m.status into v_status from public.members m where m.id = v_member;
  if not found then
    raise exception 'unknown member %', coalesce(p_data ->> 'member_id', 'null') using errcode = 'P0002',
      hint = 'member_unknown', detail = json_build_object('member_id', p_data ->> 'member_id')::text;
  end if;
  if v_status <> 'active' then
    raise exception 'member % is %: no adjustment can be requested', v_member, v_status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', v_member, 'status', v_status)::text;
  end if;
  perform private.assert_adjustment_data(v_flow.form_key, p_data);
  if p_resubmission_of is not null and not exists (
      select 1 from public.approval_requests r
      where r.id = p_resubmission_of and r.requested_by = v_user and r.status in ('rejected', 'withdrawn', 'failed')) then
    raise exception 'only your own rejected, withdrawn or failed request can be resubmitted' using errcode = '22023',
      hint = 'approval_resubmit_invalid', detail = json_build_object('request_id', p_resubmission_of)::text;
  end if;

  insert into public.approval_requests (flow_id, action, business_unit_id, member_id, data, requested_by,
    idempotency_key, resubmission_of)
  values (v_flow.id, v_flow.action, p_business_unit_id, v_member, p_data, v_user, p_idempotency_key, p_resubmission_of)
  returning * into v_request;
  perform private.approval_event(v_request.id, case when p_resubmission_of is null then 'submitted' else 'resubmitted' end,
    null, null, jsonb_build_object('flow_key', v_flow.key, 'flow_version', v_flow.version, 'resubmission_of', p_resubmission_of));
  perform private.open_next_step(v_request, 0);
  select * into v_request from public.approval_requests r where r.id = v_request.id;
  return v_request;
end
$$;

-- Approves or rejects a task. Refused: one's own request, a task one may not decide, a task already
-- decided (by anyone, or by this approver), a rejection without a comment. The final approval runs
-- the action. Returns the request as it is after the decision.
create or replace function public.decide_approval_task(p_task_id uuid, p_decision text, p_comment text default null)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_task public.approval_tasks;
  v_request public.approval_requests;
  v_approvals int;
  v_comment text := nullif(btrim(p_comment), '');
begin
  if p_decision is null or p_decision not in ('approve', 'reject') then
    raise exception 'decision must be approve or reject, got %', coalesce(p_decision, 'null') using errcode = '22023',
      hint = 'approval_decision_invalid', detail = json_build_object('decision', p_decision)::text;
  end if;
  if length(v_comment) > 500 then
    raise exception 'comment is too long (at most 500 characters)' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;
  if p_decision = 'reject' and v_comment is null then
    raise exception 'a rejection needs a comment saying why' using errcode = '22023', hint = 'approval_reject_comment';
  end if;
  select r.* into v_request from public.approval_requests r
    where r.id = (select t.request_id from public.approval_tasks t where t.id = p_task_id)
    for update;
  select * into v_task from public.approval_tasks t where t.id = p_task_id for update;
  if v_task.id is null or v_request.id is null then
    raise exception 'unknown approval task %', coalesce(p_task_id::text, 'null') using errcode = 'P0002',
      hint = 'approval_task_unknown', detail = json_build_object('task_id', p_task_id)::text;
  end if;
  if v_user is null or not private.is_approver(v_user, v_task.approver_role, v_task.business_unit_id) then
    raise exception 'permission denied: this step is decided by the % role', v_task.approver_role using errcode = '42501',
      hint = 'approval_not_approver', detail = json_build_object('task_id', p_task_id, 'role', v_task.approver_role)::text;
  end if;
  if v_request.requested_by = v_user then
    raise exception 'permission denied: nobody approves their own request' using errcode = '42501',
      hint = 'approval_self', detail = json_build_object('request_id', v_request.id)::text;
  end if;
  if v_task.status <> 'pending' or v_request.status <> 'pending' then
    raise exception 'this step was already decided (%): the request is %', v_task.status, v_request.status
      using errcode = '55000', hint = 'approval_task_decided',
            detail = json_build_object('task_id', p_task_id, 'task_status', v_task.status, 'request_status', v_request.status)::text;
  end if;
  if exists (select 1 from public.approval_decisions d where d.task_id = p_task_id and d.decided_by = v_user) then
    raise exception 'you already decided this step' using errcode = '55000', hint = 'approval_task_decided',
      detail = json_build_object('task_id', p_task_id, 'task_status', v_task.status, 'request_status', v_request.status)::text;
  end if;

  insert into public.approval_decisions (task_id, decided_by, decision, comment) values (p_task_id, v_user, p_decision, v_comment);
  if p_decision = 'reject' then
    update public.approval_tasks set status = 'rejected', decided_at = clock_timestamp() where id = p_task_id;
    update public.approval_requests set status = 'rejected', decided_at = clock_timestamp() where id = v_request.id;
    perform private.approval_event(v_request.id, 'rejected', v_task.step_index, v_comment);
  else
    perform private.approval_event(v_request.id, 'approved', v_task.step_index, v_comment);
    select count(*) into v_approvals from public.approval_decisions d where d.task_id = p_task_id and d.decision = 'approve';
    if v_approvals >= v_task.required_approvals then
      update public.approval_tasks set status = 'approved', decided_at = clock_timestamp() where id = p_task_id;
      if not private.open_next_step(v_request, v_task.step_index + 1) then
        perform private.execute_approval(v_request);
      end if;
    end if;
  end if;
  select * into v_request from public.approval_requests r where r.id = v_request.id;
  return v_request;
end
$$;

-- Decides several tasks, each on its own: returns [{task_id, ok, status | reason, message}].
create or replace function public.decide_approval_tasks(p_task_ids uuid[], p_decision text, p_comment text default null)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_out jsonb := '[]';
  v_request public.approval_requests;
  v_hint text;
  v_message text;
begin
  if cardinality(p_task_ids) > 100 then
    raise exception 'at most 100 tasks at once' using errcode = '22023', hint = 'approval_bulk_too_many',
      detail = json_build_object('max', 100)::text;
  end if;
  foreach v_id in array coalesce(p_task_ids, '{}') loop
    begin
      v_request := public.decide_approval_task(v_id, p_decision, p_comment);
      v_out := v_out || jsonb_build_object('task_id', v_id, 'ok', true, 'status', v_request.status);
    exception when others then
      get stacked diagnostics v_hint = pg_exception_hint, v_message = message_text;
      v_out := v_out || jsonb_build_object('task_id', v_id, 'ok', false, 'reason', nullif(v_hint, ''), 'message', v_message);
    end;
  end loop;
  return v_out;
end
$$;

-- The requester withdraws a pending request; its open step is cancelled.
create or replace function public.withdraw_approval_request(p_request_id uuid, p_comment text default null)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_request public.approval_requests;
begin
  select * into v_request from public.approval_requests r where r.id = p_request_id for update;
  if not found then
    raise exception 'unknown approval request %', coalesce(p_request_id::text, 'null') using errcode = 'P0002',
      hint = 'approval_request_unknown', detail = json_build_object('request_id', p_request_id)::text;
  end if;
  if v_request.requested_by is distinct from auth.uid() then
    raise exception 'permission denied: only the requester withdraws a request' using errcode = '42501',
      hint = 'approval_not_requester', detail = json_build_object('request_id', p_request_id)::text;
  end if;
  if v_request.status <> 'pending' then
    raise exception 'the request is %: only a pending request can be withdrawn', v_request.status using errcode = '55000',
      hint = 'approval_not_pending', detail = json_build_object('request_id', p_request_id, 'status', v_request.status)::text;
  end if;
  update public.approval_tasks set status = 'cancelled', decided_at = clock_timestamp()
   where request_id = p_request_id and status = 'pending';
  update public.approval_requests set status = 'withdrawn', decided_at = clock_timestamp() where id = p_request_id
  returning * into v_request;
  perform private.approval_event(p_request_id, 'withdrawn', null, left(nullif(btrim(p_comment), ''), 500));
  return v_request;
end
$$;

-- Whether the signed-in user may decide this task now (a computed field: ?select=*,can_decide).
create or replace function public.can_decide(t public.approval_tasks)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select t.status = 'pending'
     and private.is_approver(auth.uid(), t.approver_role, t.business_unit_id)
     and not exists (select 1 from public.approval_requests r where r.id = t.request_id and r.requested_by = auth.uid())
     and not exists (select 1 from public.approval_decisions d where d.task_id = t.id and d.decided_by = auth.uid())
$$;

-- Counts for the menu and the home page.
create or replace function public.approval_counts()
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'to_decide', (select count(*) from public.approval_tasks t where public.can_decide(t)),
    'my_pending', (select count(*) from public.approval_requests r where r.requested_by = auth.uid() and r.status = 'pending'))
$$;

-- The engine's deadline job: a reminder when a step's reminder time passes, an escalation to the step's
-- escalation role (group-wide) when its SLA passes. Each happens once per task. Returns the counts.
create or replace function public.run_approval_deadlines(p_now timestamptz default now())
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_task public.approval_tasks;
  v_reminded int := 0;
  v_escalated int := 0;
begin
  perform private.assert_system_caller('approval deadlines');
  if p_now is null or not isfinite(p_now) or abs(extract(epoch from p_now - now())) > 366 * 86400 then
    raise exception 'p_now must be within a year of now' using errcode = '22023', hint = 'timestamp_out_of_range',
      detail = json_build_object('value', p_now)::text;
  end if;
  for v_task in
    update public.approval_tasks t set reminded_at = p_now
     where t.status = 'pending' and t.reminded_at is null and t.reminder_at <= p_now and t.due_at > p_now
    returning t.*
  loop
    perform private.approval_event(v_task.request_id, 'reminded', v_task.step_index, null,
      jsonb_build_object('role', v_task.approver_role, 'due_at', v_task.due_at));
    v_reminded := v_reminded + 1;
  end loop;
  for v_task in
    update public.approval_tasks t
       set escalated_at = p_now,
           approver_role = coalesce(t.escalate_to, t.approver_role),
           business_unit_id = case when t.escalate_to is null then t.business_unit_id end,
           required_approvals = 1
     where t.status = 'pending' and t.escalated_at is null and t.due_at <= p_now
    returning t.*
  loop
    perform private.approval_event(v_task.request_id, 'escalated', v_task.step_index, null,
      jsonb_build_object('to_role', v_task.approver_role));
    v_escalated := v_escalated + 1;
  end loop;
  return jsonb_build_object('reminded', v_reminded, 'escalated', v_escalated);
end
$$;

-- ── Access ───────────────────────────────────────────────────────────────────────────────
alter table public.approval_requests enable row level security;
alter table public.approval_tasks enable row level security;
alter table public.approval_decisions enable row level security;
alter table public.approval_events enable row level security;

-- Requesters read their own; staff, managers and directors read those of their units (admins all).
create or replace function private.can_read_approval_request(p_request uuid)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.approval_requests r
    where r.id = p_request
      and (r.requested_by = auth.uid()
           or private.has_any_role('{staff,manager,director}'::public.app_role[], r.business_unit_id)
           or exists (select 1 from public.approval_tasks t where t.request_id = r.id
                        and private.is_approver(auth.uid(), t.approver_role, t.business_unit_id))))
$$;

create policy "involved staff read approval requests" on public.approval_requests for select to authenticated
  using ((select private.can_read_approval_request(id)));
create policy "involved staff read approval tasks" on public.approval_tasks for select to authenticated
  using ((select private.can_read_approval_request(request_id)));
create policy "involved staff read approval decisions" on public.approval_decisions for select to authenticated
  using ((select private.can_read_approval_request((select t.request_id from public.approval_tasks t where t.id = task_id))));
create policy "involved staff read approval events" on public.approval_events for select to authenticated
  using ((select private.can_read_approval_request(request_id)));

grant select on public.approval_requests, public.approval_tasks, public.approval_decisions, public.approval_events to authenticated;
revoke insert, update, delete, truncate on public.approval_requests, public.approval_tasks, public.approval_decisions,
  public.approval_events from anon, authenticated;
grant select, insert, update, delete on public.approval_flows to authenticated;

revoke all on function private.flow_condition_problem(jsonb, int), private.flow_truthy(jsonb), private.flow_compare(jsonb, jsonb),
  private.flow_value(jsonb, jsonb), private.approval_flow_problem(jsonb), private.check_approval_flow(),
  private.refuse_request_data_change(), private.approval_event(uuid, text, int, text, jsonb),
  private.is_approver(uuid, public.app_role, uuid), private.approval_condition_data(public.approval_requests),
  private.open_next_step(public.approval_requests, int), private.execute_approval(public.approval_requests),
  private.assert_adjustment_data(text, jsonb), private.can_read_approval_request(uuid)
  from public, anon, authenticated;
grant execute on function private.can_read_approval_request(uuid) to authenticated;
revoke all on function public.publish_approval_flow(text, int), public.submit_approval_request(text, uuid, jsonb, text, uuid),
  public.decide_approval_task(uuid, text, text), public.decide_approval_tasks(uuid[], text, text),
  public.withdraw_approval_request(uuid, text), public.can_decide(public.approval_tasks), public.approval_counts(),
  public.run_approval_deadlines(timestamptz) from public, anon;
grant execute on function public.publish_approval_flow(text, int), public.submit_approval_request(text, uuid, jsonb, text, uuid),
  public.decide_approval_task(uuid, text, text), public.decide_approval_tasks(uuid[], text, text),
  public.withdraw_approval_request(uuid, text), public.can_decide(public.approval_tasks), public.approval_counts()
  to authenticated;
grant execute on function public.run_approval_deadlines(timestamptz), public.publish_approval_flow(text, int) to service_role;
