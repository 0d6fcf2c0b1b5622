-- Drafters of definitions: administrators draft every kind; marketing staff (营销运营) draft rules and forms. Only
-- administrators publish directly; everyone else who drafts submits the draft through the flow definition-publish,
-- whatever the kind's publish setting (DESIGN 6: an earning rule makes points, and no role makes points on its
-- own). Forms can now be put under publish approval too. core/enums/access-matrix.ts says the same for the app.

create or replace function private.drafts_definitions(p_kind text)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.has_role('admin') or (p_kind in ('rule', 'form') and private.has_role('marketing'));
end
$$;
comment on function private.drafts_definitions(text) is
  'Whether the current user writes drafts of this kind of definition: administrators every kind, marketing staff '
  'rules and forms (core/enums/access-matrix.ts: rules, forms).';

-- The kinds whose publishing can need approval (core/enums/approvals.ts PUBLISH_APPROVAL_KINDS).
create or replace function private.publish_approval_kinds()
returns text[]
language sql immutable
as $$ select array['rule', 'approval_flow', 'form'] $$;

alter table public.definition_publish_settings drop constraint definition_publish_settings_kind_check;
alter table public.definition_publish_settings add constraint definition_publish_settings_kind_check
  check (kind = any (private.publish_approval_kinds()));

drop policy "admins write rule drafts" on public.rules;
drop policy "admins edit rule drafts" on public.rules;
drop policy "admins delete rule drafts" on public.rules;
create policy "drafters write rule drafts" on public.rules for insert to authenticated
  with check ((select private.drafts_definitions('rule')) and status = 'draft');
create policy "drafters edit rule drafts" on public.rules for update to authenticated
  using ((select private.drafts_definitions('rule')) and status = 'draft')
  with check ((select private.drafts_definitions('rule')) and status = 'draft');
create policy "drafters delete rule drafts" on public.rules for delete to authenticated
  using ((select private.drafts_definitions('rule')) and status = 'draft');

drop policy "admins write form drafts" on public.form_definitions;
drop policy "admins edit form drafts" on public.form_definitions;
drop policy "admins delete form drafts" on public.form_definitions;
create policy "drafters write form drafts" on public.form_definitions for insert to authenticated
  with check ((select private.drafts_definitions('form')) and status = 'draft');
create policy "drafters edit form drafts" on public.form_definitions for update to authenticated
  using ((select private.drafts_definitions('form')) and status = 'draft')
  with check ((select private.drafts_definitions('form')) and status = 'draft');
create policy "drafters delete form drafts" on public.form_definitions for delete to authenticated
  using ((select private.drafts_definitions('form')) and status = 'draft');

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
  if p_kind is null or not p_kind = any (private.publish_approval_kinds()) then
    raise exception 'publishing through approval is available for rules, forms and approval flows, not %', coalesce(p_kind, 'null')
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

-- Files a request to publish draft p_version of p_key through the flow definition-publish: by an administrator when
-- the kind's publishing needs approval, by any other drafter of the kind always. A repeat of p_idempotency_key by
-- the same user returns the request it made.
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
  if v_user is null or not private.drafts_definitions(p_kind) then
    raise exception 'permission denied: you may not ask to publish %', coalesce(p_kind, 'null') using errcode = '42501',
      hint = 'definition_drafter_only', detail = json_build_object('action', 'request_definition_publish', 'kind', p_kind)::text;
  end if;
  if p_idempotency_key is null or length(p_idempotency_key) not between 8 and 100 then
    raise exception 'an idempotency key of 8 to 100 characters is required' using errcode = '22023',
      hint = 'idempotency_key_invalid', detail = json_build_object('min', 8, 'max', 100)::text;
  end if;
  select * into v_request from public.approval_requests r where r.requested_by = v_user and r.idempotency_key = p_idempotency_key;
  if found then
    return v_request;
  end if;
  if v_table is null or not p_kind = any (private.publish_approval_kinds()) then
    raise exception 'publishing through approval is available for rules, forms and approval flows, not %', coalesce(p_kind, 'null')
      using errcode = '22023', hint = 'definition_kind_unknown', detail = json_build_object('kind', p_kind)::text;
  end if;
  if not private.publish_needs_approval(p_kind) and private.has_role('admin') then
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

-- Marketing staff try their drafts on past transactions (what-if runs) like analysts and directors.
drop policy "analysts read what-if runs" on public.what_if_runs;
drop policy "analysts request what-if runs" on public.what_if_runs;
create policy "analysts read what-if runs" on public.what_if_runs
  for select to authenticated using ((select private.has_any_role('{director,analyst,marketing}')));
create policy "analysts request what-if runs" on public.what_if_runs
  for insert to authenticated
  with check ((select private.has_any_role('{director,analyst,marketing}')) and status = 'queued' and progress = 0
              and result is null and started_at is null and finished_at is null
              and requested_by is not distinct from (select auth.uid()));

revoke all on function private.drafts_definitions(text), private.publish_approval_kinds() from public, anon, authenticated;
grant execute on function private.drafts_definitions(text) to authenticated;
