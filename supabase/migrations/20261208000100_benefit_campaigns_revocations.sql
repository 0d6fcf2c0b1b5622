-- Benefits: grants to many members at once through approval (source campaign), revoking a grant, stacking
-- with points asked up front at the counter, and tier benefits for a member who joins at a granting tier.
--
-- Invariants kept from 20261207001000_benefits.sql:
--   * grants come only from the engine and approved requests (DESIGN 6); a campaign request grants nothing until
--     its flow's final approval, and then each member once (unique member/definition/source/source_ref/period);
--   * every number is capped (private.benefit_limits(), core/enums/benefits.ts states the same).

-- ── Limits: two more caps ───────────────────────────────────────────────────────────────
create or replace function private.benefit_limits()
returns jsonb
language sql immutable
as $$
  select '{"max_hours": 24, "max_percent": 99, "max_coupon_fen": 10000000, "max_item_value": 1000,
           "max_uses_per_period": 100, "max_validity_days": 366, "max_uses_per_verification": 100,
           "max_with_grants": 10, "max_manual_uses": 100, "director_above_uses": 10, "reason_max_length": 500,
           "logic_max_bytes": 4096, "recent_days": 30, "max_codes": 20, "max_campaign_members": 10000,
           "director_above_members": 100}'::jsonb
$$;
comment on function private.benefit_limits() is
  'Caps of benefits: parking hours, discount percent, coupon face value (fen), item count, uses per period, '
  'validity days, uses per verification, other grants combined in one verification, uses of a manual grant, the '
  'uses above which the director approves too, reason length, condition size, the days a finished grant stays '
  'listed, member codes per lookup, members of one campaign grant and the members above which the director '
  'approves a campaign too.';

-- ── Filing a request (shared by the request functions that do not go through a form) ─────
-- Files a checked request through the published flow p_flow_key and opens its first step that applies. Two
-- concurrent filings under one key make one request: the loser returns the winner's.
create or replace function private.file_approval_request(p_flow_key text, p_business_unit_id uuid, p_member_id uuid,
  p_data jsonb, p_key text)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_flow public.approval_flows;
  v_request public.approval_requests;
begin
  select * into v_flow from public.approval_flows f where f.key = p_flow_key and f.status = 'published';
  if not found then
    raise exception 'approval flow % is not published', p_flow_key using errcode = '22023',
      hint = 'flow_unknown', detail = json_build_object('flow_key', p_flow_key)::text;
  end if;
  begin
    insert into public.approval_requests (flow_id, action, business_unit_id, member_id, data, requested_by, idempotency_key)
    values (v_flow.id, v_flow.action, p_business_unit_id, p_member_id, p_data, auth.uid(), p_key)
    returning * into v_request;
  exception when unique_violation then
    v_request := private.filed_approval_request(p_key);
    if v_request.id is null then
      raise;
    end if;
    return v_request;
  end;
  perform private.approval_event(v_request.id, 'submitted', null, null,
    jsonb_build_object('flow_key', v_flow.key, 'flow_version', v_flow.version));
  if not private.open_next_step(v_request, 0) then
    raise exception 'approval flow % has no step that applies', p_flow_key using errcode = '22023',
      hint = 'flow_without_unconditional_step', detail = json_build_object('flow_key', v_flow.key)::text;
  end if;
  select * into v_request from public.approval_requests r where r.id = v_request.id;
  return v_request;
end
$$;

-- The published benefit p_key and a valid number of uses of it, or a clear refusal.
create or replace function private.grantable_benefit(p_key text, p_uses int)
returns public.benefit_definitions
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_max int := (private.benefit_limits() ->> 'max_manual_uses')::int;
  v_def public.benefit_definitions;
begin
  select d.* into v_def from public.benefit_definitions d where d.key = p_key and d.status = 'published';
  if not found then
    raise exception 'benefit % is not published', coalesce(p_key, 'null') using errcode = '22023',
      hint = 'benefit_definition_unknown', detail = json_build_object('key', p_key)::text;
  end if;
  if p_uses is null or p_uses < 1 or p_uses > v_max or (v_def.kind = 'coupon' and p_uses <> 1) then
    raise exception 'uses must be a whole number between 1 and % (a coupon: 1), got %', v_max, coalesce(p_uses::text, 'null')
      using errcode = '22023', hint = 'benefit_uses_invalid', detail = json_build_object('uses', p_uses, 'max', v_max)::text;
  end if;
  return v_def;
end
$$;

create or replace function private.assert_request_reason(p_reason text)
returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v_reason text := nullif(btrim(p_reason), '');
begin
  if v_reason is null or length(v_reason) > 500 then
    raise exception 'a reason of 1 to 500 characters is required' using errcode = '22023',
      hint = 'reason_required', detail = json_build_object('max', 500)::text;
  end if;
  return v_reason;
end
$$;

-- request_benefit_grant, on the shared helpers (same arguments, checks and answers as before).
create or replace function public.request_benefit_grant(
  p_member_id uuid,
  p_definition_key text,
  p_uses int,
  p_reason text,
  p_business_unit_id uuid,
  p_idempotency_key text
)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_def public.benefit_definitions;
  v_request public.approval_requests;
  v_status public.member_status;
  v_reason text;
begin
  perform private.assert_request_caller('request_benefit_grant', p_business_unit_id, p_idempotency_key);
  v_request := private.filed_approval_request(p_idempotency_key);
  if v_request.id is not null then
    return v_request;
  end if;
  v_def := private.grantable_benefit(p_definition_key, p_uses);
  v_reason := private.assert_request_reason(p_reason);
  select m.status into v_status from public.members m where m.id = p_member_id and m.merged_into is null;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
                                    json_build_object('member_id', p_member_id)::text);
  end if;
  if v_status <> 'active' then
    raise exception 'member % is %: no benefit can be granted', p_member_id, v_status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_status)::text;
  end if;
  return private.file_approval_request('benefit-grant', p_business_unit_id, p_member_id,
    jsonb_build_object('member_id', p_member_id, 'definition_key', v_def.key, 'definition_version', v_def.version,
                       'name', v_def.name, 'name_en', v_def.name_en, 'kind', v_def.kind, 'value', v_def.value,
                       'uses', p_uses, 'reason', v_reason),
    p_idempotency_key);
end
$$;

-- ── Campaign grants: one request, many members ──────────────────────────────────────────
-- A surrogate key, not (request_id, member_id): PostgREST would take a table whose key is both foreign keys for a
-- many-to-many join of requests and members, and embedding a request's own member would become ambiguous.
create table public.approval_request_members (
  id bigint generated always as identity primary key,
  request_id uuid not null references public.approval_requests (id),
  member_id uuid not null references public.members (id),
  unique (request_id, member_id)
);
create index approval_request_members_member_idx on public.approval_request_members (member_id);
comment on table public.approval_request_members is
  'The members a request is about when it is about many (a campaign grant), written with the request, append-only; '
  'readable by whoever reads the request.';
create trigger append_only before update or delete on public.approval_request_members
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.approval_request_members
  for each statement execute function private.refuse_change();

-- Grants p_uses of benefit version p_key/p_version to each member of p_member_ids still active, once per member
-- and p_source_ref (a rerun grants nothing more). Returns how many were granted, already held, and skipped.
create or replace function private.grant_campaign_benefit(p_key text, p_version int, p_source_ref text,
  p_member_ids uuid[], p_uses int)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_def public.benefit_definitions;
  v_active int;
  v_granted int;
begin
  select d.* into v_def from public.benefit_definitions d where d.key = p_key and d.version = p_version;
  if not found or v_def.status = 'draft' then
    raise exception 'benefit % version % is unknown', p_key, p_version using errcode = '22023',
      hint = 'benefit_definition_unknown', detail = json_build_object('key', p_key, 'version', p_version)::text;
  end if;
  perform set_config('app.reason', 'benefit-campaign', true);
  with active as (
    select m.id from public.members m
    where m.id = any (p_member_ids) and m.status = 'active' and m.merged_into is null
  ), granted as (
    insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
      uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
    select a.id, v_def.key, v_def.version, 'campaign', p_source_ref, 'once', p_uses, p_uses, now(),
           now() + make_interval(days => v_def.validity_days),
           case when v_def.kind = 'coupon' then private.new_coupon_code() end, v_def.issuing_unit_id
    from active a
    order by a.id
    on conflict (member_id, definition_key, source, source_ref, period_key) do nothing
    returning 1
  )
  select (select count(*) from active), (select count(*) from granted) into v_active, v_granted;
  perform set_config('app.reason', '', true);
  return jsonb_build_object('granted', v_granted, 'already_granted', v_active - v_granted,
                            'skipped_inactive', cardinality(p_member_ids) - v_active);
end
$$;

-- Asks for a grant of p_uses of a published benefit to every member numbered in p_member_nos (member numbers or
-- phones, at most max_campaign_members), through the flow benefit-campaign.
create or replace function public.request_benefit_campaign(
  p_definition_key text,
  p_member_refs text[],
  p_uses int,
  p_reason text,
  p_business_unit_id uuid,
  p_idempotency_key text
)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_max int := (private.benefit_limits() ->> 'max_campaign_members')::int;
  v_def public.benefit_definitions;
  v_request public.approval_requests;
  v_reason text;
  v_refs text[];
  v_ids uuid[];
  v_unknown text[];
  v_inactive text[];
begin
  perform private.assert_request_caller('request_benefit_campaign', p_business_unit_id, p_idempotency_key);
  v_request := private.filed_approval_request(p_idempotency_key);
  if v_request.id is not null then
    return v_request;
  end if;
  v_def := private.grantable_benefit(p_definition_key, p_uses);
  v_reason := private.assert_request_reason(p_reason);
  select coalesce(array_agg(distinct r), '{}') into v_refs
  from unnest(coalesce(p_member_refs, '{}')) x, lateral (select nullif(btrim(x), '') as r) t where r is not null;
  if cardinality(v_refs) = 0 or cardinality(v_refs) > v_max then
    raise exception 'a campaign grant names 1 to % members, got %', v_max, cardinality(v_refs) using errcode = '22023',
      hint = 'campaign_members_count', detail = json_build_object('count', cardinality(v_refs), 'max', v_max)::text;
  end if;
  -- Each reference is a member number or a phone of one member (the surviving one after a merge).
  with matched as (
    select r, (select m.id from public.members m where (m.member_no = r or m.phone = r) and m.merged_into is null
               order by (m.member_no = r) desc limit 1) as id
    from unnest(v_refs) r
  )
  select array_agg(r order by r) filter (where id is null),
         array_agg(distinct id) filter (where id is not null)
  into v_unknown, v_ids from matched;
  if cardinality(v_unknown) > 0 then
    raise exception '% of the members named are unknown: %', cardinality(v_unknown), array_to_string(v_unknown[1:20], ', ')
      using errcode = '22023', hint = 'campaign_members_unknown',
      detail = json_build_object('count', cardinality(v_unknown), 'unknown', v_unknown[1:20])::text;
  end if;
  select array_agg(m.member_no order by m.member_no) into v_inactive
  from public.members m where m.id = any (v_ids) and m.status <> 'active';
  if cardinality(v_inactive) > 0 then
    raise exception '% of the members named are not active: %', cardinality(v_inactive), array_to_string(v_inactive[1:20], ', ')
      using errcode = '22023', hint = 'campaign_members_inactive',
      detail = json_build_object('count', cardinality(v_inactive), 'inactive', v_inactive[1:20])::text;
  end if;
  v_request := private.file_approval_request('benefit-campaign', p_business_unit_id, null,
    jsonb_build_object('definition_key', v_def.key, 'definition_version', v_def.version, 'name', v_def.name,
                       'name_en', v_def.name_en, 'kind', v_def.kind, 'value', v_def.value, 'uses', p_uses,
                       'member_count', cardinality(v_ids), 'total_uses', cardinality(v_ids) * p_uses,
                       'reason', v_reason),
    p_idempotency_key);
  insert into public.approval_request_members (request_id, member_id)
  select v_request.id, unnest(v_ids)
  on conflict do nothing;
  return v_request;
end
$$;
comment on function public.request_benefit_campaign(text, text[], int, text, uuid, text) is
  'Asks for a grant of p_uses of published benefit p_definition_key to each member named in p_member_refs (member '
  'numbers or phones; 1 to max_campaign_members; unknown or inactive ones refuse the whole request with '
  'campaign_members_unknown / campaign_members_inactive), through the flow benefit-campaign. Staff, managers and '
  'directors of the unit; a repeat of the key by the same user returns the request it made. The final approval '
  'grants each member still active once (source campaign, source_ref the request id).';

create or replace function private.run_benefit_campaign(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  return private.grant_campaign_benefit(p_request.data ->> 'definition_key', (p_request.data ->> 'definition_version')::int,
    p_request.id::text,
    (select array_agg(rm.member_id) from public.approval_request_members rm where rm.request_id = p_request.id),
    (p_request.data ->> 'uses')::int);
end
$$;
-- Flows of benefit_campaign name no form (request_benefit_campaign checks its arguments); a request is for one
-- unit and many members (approval_request_members).
call private.register_approval_action('benefit_campaign', 'private.run_benefit_campaign(public.approval_requests)',
  false, 'required', 'none');

-- ── Revoking a grant ────────────────────────────────────────────────────────────────────
create table public.benefit_grant_revocations (
  grant_id uuid primary key references public.benefit_grants (id),
  reason text not null check (length(reason) between 1 and 500),
  revoked_by uuid default auth.uid(),
  revoked_at timestamptz not null default now()
);
comment on table public.benefit_grant_revocations is
  'Why and by whom a grant was revoked (one row per revoked grant, append-only); the grant''s status says revoked.';
create trigger append_only before update or delete on public.benefit_grant_revocations
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.benefit_grant_revocations
  for each statement execute function private.refuse_change();
create trigger audit after insert on public.benefit_grant_revocations
  for each row execute function private.audit_row();

create or replace function public.revoke_benefit_grant(p_grant_id uuid, p_reason text)
returns public.benefit_grants
language plpgsql security definer set search_path = ''
as $$
declare
  v_grant public.benefit_grants;
  v_reason text;
begin
  select g.* into v_grant from public.benefit_grants g where g.id = p_grant_id for update;
  if not found then
    perform private.raise_not_found(format('unknown benefit grant %s', p_grant_id), 'benefit_grant_unknown',
                                    json_build_object('grant_id', p_grant_id)::text);
  end if;
  if not private.has_any_role('{manager,director}'::public.app_role[], v_grant.issuing_unit_id) then
    raise exception 'permission denied: revoking a grant needs the manager or director role of its issuing unit'
      using errcode = '42501', hint = 'unit_role_required',
      detail = json_build_object('action', 'revoke_benefit_grant', 'business_unit_id', v_grant.issuing_unit_id)::text;
  end if;
  if v_grant.status = 'revoked' then
    return v_grant;
  end if;
  if v_grant.status <> 'active' then
    raise exception 'benefit grant % is %: only an active grant can be revoked', p_grant_id, v_grant.status
      using errcode = '22023', hint = 'benefit_grant_not_active',
      detail = json_build_object('grant_id', p_grant_id, 'status', v_grant.status)::text;
  end if;
  v_reason := private.assert_request_reason(p_reason);
  perform set_config('app.reason', 'benefit-revoke', true);
  update public.benefit_grants set status = 'revoked', updated_at = now() where id = p_grant_id returning * into v_grant;
  insert into public.benefit_grant_revocations (grant_id, reason) values (p_grant_id, v_reason);
  insert into public.notifications_outbox (member_id, channel, template, payload, dedupe_key)
  values (v_grant.member_id, 'sms', 'benefit_revoked',
          jsonb_build_object('grant_id', v_grant.id, 'definition_key', v_grant.definition_key, 'uses_left', v_grant.uses_left),
          'revoke:' || v_grant.id)
  on conflict (member_id, template, dedupe_key) do nothing;
  perform set_config('app.reason', '', true);
  return v_grant;
end
$$;
comment on function public.revoke_benefit_grant(uuid, text) is
  'Revokes an active grant (its remaining uses can no longer be used) with a reason: managers and directors of '
  'its issuing unit. Audited, a notice to the member in the outbox; revoking a revoked grant returns it unchanged; '
  'a used-up or expired grant refuses with benefit_grant_not_active.';

-- ── The counter asks with the purchase's choice of paying with points ────────────────────
drop function public.usable_benefits(uuid, uuid);
create function public.usable_benefits(p_member_id uuid, p_business_unit_id uuid, p_with_points boolean default false)
returns table (grant_id uuid, definition_key text, definition_version int, name text, name_en text, kind text,
  value int, uses_total int, uses_left int, valid_from timestamptz, valid_until timestamptz, code text,
  source text, status text, accepting_unit_codes text[], stacks_with_points boolean, stacks_with_benefits boolean,
  usable boolean, refusal text)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_member public.members;
  v_unit_code text;
  v_recent interval := make_interval(days => (private.benefit_limits() ->> 'recent_days')::int);
begin
  perform private.assert_card_access(p_business_unit_id, 'reading a member''s benefits');
  if p_member_id is null then
    raise exception 'member is required' using errcode = '22023', hint = 'member_missing';
  end if;
  select m.* into v_member from public.members m where m.id = p_member_id;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
                                    json_build_object('member_id', p_member_id)::text);
  end if;
  v_unit_code := (select u.code from public.business_units u where u.id = p_business_unit_id);
  return query
  select g.id, g.definition_key, g.definition_version, d.name, d.name_en, d.kind, d.value, g.uses_total, g.uses_left,
         g.valid_from, g.valid_until, g.code, g.source, g.status, d.accepting_unit_codes, d.stacks_with_points,
         d.stacks_with_benefits, r.refusal is null, r.refusal
  from public.benefit_grants g
  join public.benefit_definitions d on d.key = g.definition_key and d.version = g.definition_version
  cross join lateral (select private.benefit_refusal(g, d, v_member, v_unit_code, 1, coalesce(p_with_points, false), '{}') as refusal) r
  where g.member_id = p_member_id and (g.status = 'active' or g.updated_at > now() - v_recent)
  order by r.refusal is not null, g.valid_until, g.id
  limit 200;
end
$$;
comment on function public.usable_benefits(uuid, uuid, boolean) is
  'The member''s active grants and those refused or finished in the last 30 days, with usable and refusal '
  '(not_eligible, used_up, expired, not_accepted_here, does_not_stack, member_inactive) at unit p_business_unit_id '
  'now, for a purchase paid partly with points when p_with_points.';

-- ── A member who joins at a granting tier gets its benefits at once ─────────────────────
create trigger grant_tier_benefits_on_join after insert on public.members
  for each row when (new.tier_id is not null) execute function private.grant_benefits_on_tier_change();

-- ── Policies and grants ──────────────────────────────────────────────────────────────────
alter table public.approval_request_members enable row level security;
alter table public.benefit_grant_revocations enable row level security;
create policy "readers of the request read its members" on public.approval_request_members
  for select to authenticated using ((select private.can_read_approval_request(request_id)));
create policy "staff read revocations" on public.benefit_grant_revocations
  for select to authenticated using ((select private.is_staff_user()));
revoke all on public.approval_request_members, public.benefit_grant_revocations from anon, authenticated, service_role;
grant select on public.approval_request_members, public.benefit_grant_revocations to authenticated, service_role;

revoke all on function private.file_approval_request(text, uuid, uuid, jsonb, text),
  private.grantable_benefit(text, int), private.assert_request_reason(text),
  private.grant_campaign_benefit(text, int, text, uuid[], int), private.run_benefit_campaign(public.approval_requests)
  from public, anon, authenticated;
revoke all on function public.request_benefit_campaign(text, text[], int, text, uuid, text),
  public.revoke_benefit_grant(uuid, text), public.usable_benefits(uuid, uuid, boolean) from public, anon;
grant execute on function public.request_benefit_campaign(text, text[], int, text, uuid, text),
  public.revoke_benefit_grant(uuid, text), public.usable_benefits(uuid, uuid, boolean) to authenticated, service_role;
