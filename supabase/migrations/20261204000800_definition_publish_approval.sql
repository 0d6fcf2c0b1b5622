-- Publishing through approval: per kind of definition (rules and approval flows), an administrator may
-- switch on "publishing needs approval". Then publish_<kind> refuses users (reason
-- definition_publish_needs_approval) and request_definition_publish files an approval request through the
-- published flow `definition-publish` (workflows/approvals/definition-publish.json) instead:
--   * the request pins the kind, key and version, and a digest of the draft's content;
--   * nobody who wrote the draft (its creator and every user the audit log shows changing it) decides it;
--   * the final approval publishes exactly that version, in the same transaction, as the system on behalf of
--     the requester; when the version is no longer a draft or its content changed since the request, the
--     request fails with that reason and nothing is published; a rejection leaves the draft as it is.

-- ── Approval flows and requests learn a second action ────────────────────────────────────
alter table public.approval_flows drop constraint approval_flows_action_check;
alter table public.approval_flows add constraint approval_flows_action_check
  check (action in ('points_adjustment', 'definition_publish'));
alter table public.approval_flows alter column form_key drop not null;
alter table public.approval_flows add constraint approval_flows_form
  check ((action = 'points_adjustment') = (form_key is not null));

alter table public.approval_requests alter column member_id drop not null;
alter table public.approval_requests alter column business_unit_id drop not null;
alter table public.approval_requests add constraint approval_requests_subject check (
  case action
    when 'points_adjustment' then member_id is not null and business_unit_id is not null
    when 'definition_publish' then member_id is null and business_unit_id is null
    else false end);
-- The signed points of an adjustment, for filters and sorting in the approval centre (null otherwise).
alter table public.approval_requests add column points bigint generated always as (
  case when jsonb_typeof(data -> 'points') = 'number' and abs((data ->> 'points')::numeric) <= 1000000000
       then trunc((data ->> 'points')::numeric)::bigint end) stored;
create index approval_requests_flow on public.approval_requests (flow_id, requested_at desc);

-- ── The setting ──────────────────────────────────────────────────────────────────────────
create table public.definition_publish_settings (
  kind text primary key check (kind in ('rule', 'approval_flow')) references private.definition_kinds (kind),
  needs_approval boolean not null default false,
  updated_at timestamptz not null default now(),
  updated_by uuid default auth.uid()
);
comment on table public.definition_publish_settings is
  'Per kind of definition: whether publishing a version needs an approval (flow definition-publish). '
  'No row: it does not. Changed only by public.set_definition_publish_approval (administrators, audited).';
alter table public.definition_publish_settings enable row level security;
create policy "staff read publish settings" on public.definition_publish_settings for select to authenticated
  using ((select private.is_staff_user()));
grant select on public.definition_publish_settings to authenticated;
revoke insert, update, delete, truncate on public.definition_publish_settings from anon, authenticated;
create trigger audit after insert or update or delete on public.definition_publish_settings
  for each row execute function private.audit_row('kind');

create or replace function private.publish_needs_approval(p_kind text)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select s.needs_approval from public.definition_publish_settings s where s.kind = p_kind), false)
$$;

create or replace function public.set_definition_publish_approval(p_kind text, p_needs_approval boolean, p_reason text)
returns public.definition_publish_settings
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.definition_publish_settings;
  v_reason text := nullif(btrim(p_reason), '');
begin
  if not private.has_role('admin') then
    raise exception 'permission denied: only administrators change how definitions are published' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'set_definition_publish_approval')::text;
  end if;
  if p_kind is null or p_kind not in ('rule', 'approval_flow') then
    raise exception 'publishing through approval is available for rules and approval flows, not %', coalesce(p_kind, 'null')
      using errcode = '22023', hint = 'definition_kind_unknown', detail = json_build_object('kind', p_kind)::text;
  end if;
  if p_needs_approval is null then
    raise exception 'say whether publishing needs approval (true or false)' using errcode = '22023',
      hint = 'value_required', detail = json_build_object('field', 'needs_approval')::text;
  end if;
  if v_reason is null or length(v_reason) > 500 then
    raise exception 'a reason of 1 to 500 characters is required' using errcode = '22023',
      hint = 'reason_required', detail = json_build_object('max', 500)::text;
  end if;
  perform set_config('app.reason', v_reason, true);
  insert into public.definition_publish_settings as s (kind, needs_approval, updated_at, updated_by)
  values (p_kind, p_needs_approval, clock_timestamp(), auth.uid())
  on conflict (kind) do update set needs_approval = excluded.needs_approval, updated_at = excluded.updated_at,
                                   updated_by = excluded.updated_by
  returning * into v_row;
  perform set_config('app.reason', '', true);
  return v_row;
end
$$;

-- ── The shared lifecycle refuses users while the setting is on ───────────────────────────
create or replace function private.publish_definition_version(p_table regclass, p_key text, p_version int, p_at timestamptz)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_published int;
  v_kind text := private.definition_kind(p_table);
begin
  if not private.is_system_caller() and private.publish_needs_approval(v_kind) then
    raise exception 'publishing % needs an approval: submit % % version % for approval', v_kind, v_kind, p_key, p_version
      using errcode = '42501', hint = 'definition_publish_needs_approval',
            detail = json_build_object('kind', v_kind, 'key', p_key, 'version', p_version)::text;
  end if;
  perform private.lock_definition_key(p_table, p_key);
  execute format('select count(*) from %s where key = $1 and version = $2 and status = ''draft''', p_table)
    into v_published using p_key, p_version;
  if v_published = 0 then
    raise exception '% % has no draft version %', v_kind, p_key, p_version
      using errcode = 'no_data_found',
      hint = 'definition_draft_missing', detail = json_build_object('kind', v_kind, 'key', p_key, 'version', p_version)::text;
  end if;
  perform private.archive_published_version(p_table, p_key, p_at);
  execute format('update %s set status = ''published'', published_at = $3, published_by = auth.uid()
                  where key = $1 and version = $2', p_table)
    using p_key, p_version, p_at;
end
$$;

-- ── Drafts as a request pins them ────────────────────────────────────────────────────────
-- The draft p_version of p_key: its content digest (what the approver approves), its name, and every user
-- who wrote it (its creator and each actor of its audit rows). Null when that version is not a draft.
create or replace function private.definition_draft_facts(p_kind text, p_key text, p_version int)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_table regclass := (select k.table_name from private.definition_kinds k where k.kind = p_kind);
  v_row jsonb;
begin
  if v_table is null then
    return null;
  end if;
  execute format('select to_jsonb(d) from %s d where d.key = $1 and d.version = $2 and d.status = ''draft''', v_table)
    into v_row using p_key, p_version;
  if v_row is null then
    return null;
  end if;
  return jsonb_build_object(
    'digest', md5((v_row - array['updated_at', 'status', 'published_at', 'published_by', 'superseded_at'])::text),
    'name', coalesce(v_row ->> 'name', v_row ->> 'title', p_key),
    'drafted_by', coalesce((
      select jsonb_agg(distinct w) from (
        select v_row ->> 'created_by' as w
        union
        select a.actor_id::text from public.audit_log a
        where a.table_name = (select c.relname from pg_catalog.pg_class c where c.oid = v_table)
          and a.record_id = v_row ->> 'id' and a.action in ('INSERT', 'UPDATE') and a.actor_id is not null) writers
      where w is not null), '[]'::jsonb));
end
$$;

-- Whether p_user may not decide p_request: its requester, or a writer of the draft it would publish.
create or replace function private.is_party_to_request(p_user uuid, p_request public.approval_requests)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select p_request.requested_by = p_user
      or (p_request.action = 'definition_publish' and coalesce(p_request.data -> 'drafted_by', '[]') ? p_user::text)
$$;

-- Files a request to publish draft p_version of p_key (a rule or an approval flow) through the flow
-- definition-publish. A repeat of p_idempotency_key by the same user returns the request it made.
create or replace function public.request_definition_publish(p_kind text, p_key text, p_version int, p_idempotency_key text)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_table regclass := (select k.table_name from private.definition_kinds k where k.kind = p_kind);
  v_flow public.approval_flows;
  v_request public.approval_requests;
  v_facts jsonb;
begin
  if v_user is null or not private.has_role('admin') then
    raise exception 'permission denied: only administrators ask to publish definitions' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'request_definition_publish')::text;
  end if;
  if p_idempotency_key is null or length(p_idempotency_key) not between 8 and 100 then
    raise exception 'an idempotency key of 8 to 100 characters is required' using errcode = '22023',
      hint = 'idempotency_key_invalid', detail = json_build_object('min', 8, 'max', 100)::text;
  end if;
  select * into v_request from public.approval_requests r where r.requested_by = v_user and r.idempotency_key = p_idempotency_key;
  if found then
    return v_request;
  end if;
  if v_table is null or p_kind not in ('rule', 'approval_flow') then
    raise exception 'publishing through approval is available for rules and approval flows, not %', coalesce(p_kind, 'null')
      using errcode = '22023', hint = 'definition_kind_unknown', detail = json_build_object('kind', p_kind)::text;
  end if;
  if not private.publish_needs_approval(p_kind) then
    raise exception 'publishing % does not need approval: publish it directly', p_kind using errcode = '22023',
      hint = 'definition_publish_approval_off', detail = json_build_object('kind', p_kind)::text;
  end if;
  select * into v_flow from public.approval_flows f where f.key = 'definition-publish' and f.status = 'published';
  if not found then
    raise exception 'approval flow definition-publish is not published' using errcode = '22023',
      hint = 'flow_unknown', detail = json_build_object('flow_key', 'definition-publish')::text;
  end if;
  -- Requests for one key queue up here: at most one pending request per version.
  perform private.lock_definition_key(v_table, p_key);
  v_facts := private.definition_draft_facts(p_kind, p_key, p_version);
  if v_facts is null then
    raise exception '% % has no draft version %', p_kind, coalesce(p_key, 'null'), coalesce(p_version::text, 'null')
      using errcode = 'no_data_found', hint = 'definition_draft_missing',
            detail = json_build_object('kind', p_kind, 'key', p_key, 'version', p_version)::text;
  end if;
  if exists (select 1 from public.approval_requests r
             where r.action = 'definition_publish' and r.status = 'pending'
               and r.data ->> 'kind' = p_kind and r.data ->> 'key' = p_key and (r.data ->> 'version')::int = p_version) then
    raise exception '% % version % is already waiting for approval', p_kind, p_key, p_version using errcode = '55000',
      hint = 'definition_publish_pending', detail = json_build_object('kind', p_kind, 'key', p_key, 'version', p_version)::text;
  end if;

  insert into public.approval_requests (flow_id, action, business_unit_id, member_id, data, requested_by, idempotency_key)
  values (v_flow.id, v_flow.action, null, null,
          jsonb_build_object('kind', p_kind, 'key', p_key, 'version', p_version) || v_facts, v_user, p_idempotency_key)
  returning * into v_request;
  perform private.approval_event(v_request.id, 'submitted', null, null,
    jsonb_build_object('flow_key', v_flow.key, 'flow_version', v_flow.version));
  if not private.open_next_step(v_request, 0) then
    raise exception 'approval flow definition-publish has no step that applies' using errcode = '22023',
      hint = 'flow_without_unconditional_step', detail = json_build_object('flow_key', v_flow.key)::text;
  end if;
  select * into v_request from public.approval_requests r where r.id = v_request.id;
  return v_request;
end
$$;

-- The requests to publish one definition, newest first (what the rules centre and the flow editor show).
create or replace function public.definition_publish_requests(p_kind text, p_key text)
returns setof public.approval_requests
language sql stable set search_path = ''
as $$
  select r.* from public.approval_requests r
  where r.action = 'definition_publish' and r.data ->> 'kind' = p_kind and r.data ->> 'key' = p_key
  order by r.requested_at desc
  limit 20
$$;

-- Publishes what a request pinned, as the system on behalf of the requester. Raises when that version is no
-- longer a draft or its content changed since the request (the caller fails the request with the reason).
create or replace function private.publish_requested_definition(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_kind text := p_request.data ->> 'kind';
  v_key text := p_request.data ->> 'key';
  v_version int := (p_request.data ->> 'version')::int;
  v_facts jsonb := private.definition_draft_facts(v_kind, v_key, v_version);
begin
  if v_facts is null then
    raise exception '% % has no draft version % any more', v_kind, v_key, v_version
      using errcode = 'no_data_found', hint = 'definition_draft_missing',
            detail = json_build_object('kind', v_kind, 'key', v_key, 'version', v_version)::text;
  end if;
  if v_facts ->> 'digest' is distinct from p_request.data ->> 'digest' then
    raise exception '% % version % changed after it was submitted for approval', v_kind, v_key, v_version
      using errcode = '55000', hint = 'definition_changed_since_request',
            detail = json_build_object('kind', v_kind, 'key', v_key, 'version', v_version)::text;
  end if;
  perform set_config('request.jwt.claims',
    json_build_object('role', 'service_role', 'sub', p_request.requested_by)::text, true);
  execute format('select 1 from public.%I($1, $2)', 'publish_' || v_kind) using v_key, v_version;
  return jsonb_build_object('kind', v_kind, 'key', v_key, 'version', v_version, 'published_at', clock_timestamp());
end
$$;

-- Runs the approved action in the approver's transaction, as the system (the ledger functions refuse
-- staff-made points; the request is the authority). A refusal fails the request with its reason and
-- changes nothing else.
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
    if p_request.action = 'definition_publish' then
      v_result := private.publish_requested_definition(p_request);
    elsif v_points > 0 then
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

-- ── Deciding: the writers of a draft are parties too ─────────────────────────────────────
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
  if private.is_party_to_request(v_user, v_request) then
    raise exception 'permission denied: nobody approves publishing a draft they wrote' using errcode = '42501',
      hint = 'approval_own_draft', detail = json_build_object('request_id', v_request.id)::text;
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

create or replace function public.can_decide(t public.approval_tasks)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select t.status = 'pending'
     and private.is_approver(auth.uid(), t.approver_role, t.business_unit_id)
     and not exists (select 1 from public.approval_requests r where r.id = t.request_id and private.is_party_to_request(auth.uid(), r))
     and not exists (select 1 from public.approval_decisions d where d.task_id = t.id and d.decided_by = auth.uid())
$$;

-- Requesters read their own; staff, managers and directors read those of their units; requests without a
-- unit (publishing a definition) are read by directors and administrators; approvers read what they decide.
create or replace function private.can_read_approval_request(p_request uuid)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.approval_requests r
    where r.id = p_request
      and (r.requested_by = auth.uid()
           or (r.business_unit_id is not null
               and private.has_any_role('{staff,manager,director}'::public.app_role[], r.business_unit_id))
           or (r.business_unit_id is null and private.has_any_role('{director}'::public.app_role[]))
           or exists (select 1 from public.approval_tasks t where t.request_id = r.id
                        and private.is_approver(auth.uid(), t.approver_role, t.business_unit_id))))
$$;

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function private.publish_needs_approval(text), private.definition_draft_facts(text, text, int),
  private.is_party_to_request(uuid, public.approval_requests), private.publish_requested_definition(public.approval_requests)
  from public, anon, authenticated;
revoke all on function public.set_definition_publish_approval(text, boolean, text),
  public.request_definition_publish(text, text, int, text), public.definition_publish_requests(text, text) from public, anon;
grant execute on function public.set_definition_publish_approval(text, boolean, text),
  public.request_definition_publish(text, text, int, text), public.definition_publish_requests(text, text) to authenticated;
