-- What a flow does on final approval is a registered action: one row naming the function that runs it and
-- what its requests are about. A new action is a migration that defines its runner
-- `private.<name>(public.approval_requests) returns jsonb` and registers it with private.register_approval_action;
-- execute_approval only dispatches, and the checks below read the registry.

create table private.approval_actions (
  action text primary key check (action ~ '^[a-z][a-z0-9_]{1,63}$'),
  runner regprocedure not null,
  -- Whether its flows name the form their requests' data follows.
  has_form boolean not null,
  -- Whether its requests belong to a business unit (required) or to the group (none).
  unit text not null check (unit in ('required', 'none')),
  -- Whether its requests are about one member.
  member text not null check (member in ('required', 'optional', 'none'))
);
comment on table private.approval_actions is
  'The actions an approval flow may run on final approval: the function (request -> result jsonb) that runs each, '
  'whether its flows name a form, and what its requests are about (a unit, a member).';

create or replace procedure private.register_approval_action(p_action text, p_runner regprocedure, p_has_form boolean,
  p_unit text, p_member text)
language sql set search_path = ''
as $$
  insert into private.approval_actions (action, runner, has_form, unit, member) values (p_action, p_runner, p_has_form, p_unit, p_member)
  on conflict (action) do update
    set runner = excluded.runner, has_form = excluded.has_form, unit = excluded.unit, member = excluded.member;
$$;

-- Grants or deducts the points of an approved adjustment, as the system.
create or replace function private.run_points_adjustment(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_points bigint := (p_request.data ->> 'points')::bigint;
  v_reason text := left(p_request.data ->> 'reason', 500);
  v_key text := 'approval:' || p_request.id;
begin
  if v_points > 0 then
    return public.earn_points(p_request.member_id, p_request.business_unit_id, v_points::int, v_key,
      coalesce(p_request.data ->> 'lot_kind', 'compensation'),
      case when p_request.data ? 'validity_days'
           then clock_timestamp() + make_interval(days => (p_request.data ->> 'validity_days')::int) end,
      null, v_reason);
  end if;
  return public.redeem_points(p_request.member_id, p_request.business_unit_id, (-v_points)::int, v_key, v_reason);
end
$$;

call private.register_approval_action('points_adjustment', 'private.run_points_adjustment(public.approval_requests)',
  true, 'required', 'required');
call private.register_approval_action('definition_publish', 'private.publish_requested_definition(public.approval_requests)',
  false, 'none', 'none');

alter table public.approval_flows drop constraint approval_flows_action_check;
alter table public.approval_flows drop constraint approval_flows_form;
alter table public.approval_flows add constraint approval_flows_action_registered
  foreign key (action) references private.approval_actions (action);
alter table public.approval_requests drop constraint approval_requests_subject;

-- A flow names a form exactly when its action has one; a request has the unit and member its action asks for.
create or replace function private.check_approval_action_shape()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_action private.approval_actions := (select a from private.approval_actions a where a.action = new.action);
begin
  if v_action.action is null then
    raise exception 'approval action % is not registered', new.action using errcode = '23503',
      hint = 'approval_action_unknown', detail = json_build_object('action', new.action)::text;
  end if;
  if tg_table_name = 'approval_flows' then
    if v_action.has_form <> (new.form_key is not null) then
      raise exception 'flows of action % % a form', new.action, case when v_action.has_form then 'need' else 'have no' end
        using errcode = '23514', hint = 'approval_flow_form', detail = json_build_object('action', new.action)::text;
    end if;
  elsif (v_action.unit = 'required') <> (new.business_unit_id is not null)
     or (v_action.member = 'required' and new.member_id is null)
     or (v_action.member = 'none' and new.member_id is not null) then
    raise exception 'a request of action % is about % unit and % member', new.action, v_action.unit, v_action.member
      using errcode = '23514', hint = 'approval_request_subject', detail = json_build_object('action', new.action)::text;
  end if;
  return new;
end
$$;
create trigger approval_flows_action_shape before insert or update of action, form_key on public.approval_flows
  for each row execute function private.check_approval_action_shape();
create trigger approval_requests_action_shape before insert on public.approval_requests
  for each row execute function private.check_approval_action_shape();

-- Runs the approved action in the approver's transaction, as the system (the ledger functions refuse
-- staff-made points; the request is the authority). A refusal fails the request with its reason and
-- changes nothing else.
create or replace function private.execute_approval(p_request public.approval_requests)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_claims text := current_setting('request.jwt.claims', true);
  v_runner regprocedure := (select a.runner from private.approval_actions a where a.action = p_request.action);
  v_result jsonb;
  v_hint text;
  v_message text;
begin
  begin
    if v_runner is null then
      raise exception 'approval action % is not registered', p_request.action using errcode = '22023',
        hint = 'approval_action_unknown', detail = json_build_object('action', p_request.action)::text;
    end if;
    perform set_config('request.jwt.claims', json_build_object('role', 'service_role')::text, true);
    perform set_config('app.reason', 'approval-request', true);
    execute format('select %s($1)', regexp_replace(v_runner::text, '\(.*$', '')) into v_result using p_request;
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

revoke all on table private.approval_actions from public, anon, authenticated;
revoke all on procedure private.register_approval_action(text, regprocedure, boolean, text, text) from public, anon, authenticated;
revoke all on function private.run_points_adjustment(public.approval_requests), private.execute_approval(public.approval_requests),
  private.check_approval_action_shape()
  from public, anon, authenticated;
