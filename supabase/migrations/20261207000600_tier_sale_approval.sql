-- A paid membership gives a member a tier, so staff cannot sell one alone (maker-checker): staff request the sale
-- with the payment's reference (request_tier_sale), the unit's manager checks the payment and approves through the
-- flow of action tier_sale, and the final approval sells it as the system on the requester's behalf.
-- sell_tier_membership itself serves system callers only.

create or replace function private.assert_tier_sale_by_system()
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: paid memberships are requested for approval (request_tier_sale), not sold directly'
      using errcode = '42501', hint = 'tier_sale_needs_approval', detail = json_build_object('action', 'sell tier membership')::text;
  end if;
end
$$;

do $$
begin
  execute regexp_replace(pg_get_functiondef('public.sell_tier_membership(uuid, uuid, uuid, text)'::regprocedure),
    E'\\nbegin\\n', E'\nbegin\n  perform private.assert_tier_sale_by_system();\n');
end
$$;

-- ── Shared by the request functions: the caller and a replayed request ─────────────────
-- The caller of a request function: signed in, with the staff, manager or director role at p_business_unit_id,
-- and a well-formed idempotency key.
create or replace function private.assert_request_caller(p_action text, p_business_unit_id uuid, p_key text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'permission denied: requests are made by a signed-in staff member' using errcode = '42501',
      hint = 'not_signed_in', detail = json_build_object('action', p_action)::text;
  end if;
  if p_business_unit_id is null or not private.has_any_role('{staff,manager,director}'::public.app_role[], p_business_unit_id) then
    raise exception 'permission denied: requests for business unit % need the staff, manager or director role there',
      coalesce(p_business_unit_id::text, '(none)') using errcode = '42501', hint = 'unit_role_required',
      detail = json_build_object('action', p_action, 'business_unit_id', p_business_unit_id)::text;
  end if;
  perform private.assert_business_unit(p_business_unit_id);
  if p_key is null or length(p_key) not between 8 and 100 then
    raise exception 'an idempotency key of 8 to 100 characters is required' using errcode = '22023',
      hint = 'idempotency_key_invalid', detail = json_build_object('min', 8, 'max', 100)::text;
  end if;
end
$$;

-- The request p_key names for the signed-in user, if they already filed it (a repeat returns it unchanged).
create or replace function private.filed_approval_request(p_key text)
returns public.approval_requests
language sql stable security definer set search_path = ''
as $$
  select r.* from public.approval_requests r where r.requested_by = auth.uid() and r.idempotency_key = p_key
$$;

-- The request carries what the approver checks: the offer (tier, period, price) and the payment reference.
create or replace function public.request_tier_sale(p_member_id uuid, p_offer_id uuid, p_business_unit_id uuid,
  p_payment_ref text, p_idempotency_key text)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_flow public.approval_flows;
  v_request public.approval_requests;
  v_offer public.tier_offers;
  v_tier public.tiers;
  v_member public.members;
  v_earned public.tiers;
begin
  perform private.assert_request_caller('request_tier_sale', p_business_unit_id, p_idempotency_key);
  v_request := private.filed_approval_request(p_idempotency_key);
  if v_request.id is not null then
    return v_request;
  end if;
  select * into v_flow from public.approval_flows f
   where f.action = 'tier_sale' and f.status = 'published' order by f.published_at desc limit 1;
  if not found then
    raise exception 'no published approval flow sells paid memberships' using errcode = '22023',
      hint = 'flow_unknown', detail = json_build_object('action', 'tier_sale')::text;
  end if;
  if p_payment_ref is null or p_payment_ref !~ '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$' then
    raise exception 'payment reference must be 1 to 64 letters, digits or _.:/- characters' using errcode = '22023',
      hint = 'payment_ref_invalid', detail = json_build_object('max', 64)::text;
  end if;
  if exists (select 1 from public.tier_purchases p where p.business_unit_id = p_business_unit_id and p.payment_ref = p_payment_ref)
     or exists (select 1 from public.approval_requests r where r.action = 'tier_sale' and r.status = 'pending'
                  and r.business_unit_id = p_business_unit_id and r.data ->> 'payment_ref' = p_payment_ref) then
    -- The same submission made at the same moment (committed since the first look) is that request, not a reuse.
    select * into v_request from public.approval_requests r where r.requested_by = v_user and r.idempotency_key = p_idempotency_key;
    if found then
      return v_request;
    end if;
    raise exception 'payment reference % was already used for a sale', p_payment_ref using errcode = '23505',
      hint = 'payment_ref_reused', detail = json_build_object('payment_ref', p_payment_ref)::text;
  end if;
  select * into v_offer from public.tier_offers where id = p_offer_id;
  if not found or not v_offer.active then
    raise exception 'offer % is not on sale', coalesce(p_offer_id::text, 'null') using errcode = '22023',
      hint = 'tier_offer_unavailable', detail = json_build_object('offer_id', p_offer_id)::text;
  end if;
  select * into v_tier from public.tiers where id = v_offer.tier_id;
  select * into v_member from public.members where id = p_member_id;
  if not found then
    raise exception 'unknown member %', coalesce(p_member_id::text, 'null') using errcode = '22023',
      hint = 'member_unknown', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  if v_member.status <> 'active' or v_member.merged_into is not null then
    raise exception 'member % is %: a membership cannot be sold', p_member_id, v_member.status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_member.status)::text;
  end if;
  select * into v_earned from public.tiers where id = coalesce(v_member.earned_tier_id, v_member.tier_id);
  if v_earned.rank >= v_tier.rank then
    raise exception 'member already holds tier % or higher', v_tier.code using errcode = '22023',
      hint = 'tier_already_held', detail = json_build_object('tier', v_tier.code)::text;
  end if;

  begin
    insert into public.approval_requests (flow_id, action, business_unit_id, member_id, data, requested_by, idempotency_key)
    values (v_flow.id, v_flow.action, p_business_unit_id, p_member_id,
            jsonb_build_object('offer_id', v_offer.id, 'tier_code', v_tier.code, 'period', v_offer.period,
                               'price_fen', v_offer.price_fen, 'payment_ref', p_payment_ref),
            v_user, p_idempotency_key)
    returning * into v_request;
  exception when unique_violation then
    select * into v_request from public.approval_requests r where r.requested_by = v_user and r.idempotency_key = p_idempotency_key;
    return v_request;
  end;
  perform private.approval_event(v_request.id, 'submitted', null, null,
    jsonb_build_object('flow_key', v_flow.key, 'flow_version', v_flow.version));
  if not private.open_next_step(v_request, 0) then
    raise exception 'approval flow % has no step that applies', v_flow.key using errcode = '22023',
      hint = 'flow_without_unconditional_step', detail = json_build_object('flow_key', v_flow.key)::text;
  end if;
  select * into v_request from public.approval_requests r where r.id = v_request.id;
  return v_request;
end
$$;
comment on function public.request_tier_sale(uuid, uuid, uuid, text, text) is
  'Asks for the sale of a paid membership (an offer) to a member at a unit, with the payment''s reference, through '
  'the published flow of action tier_sale; checked now, sold once on final approval. A repeat of the key by the '
  'same user returns the request it made.';

create or replace function private.run_tier_sale(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims',
    json_build_object('role', 'service_role', 'sub', p_request.requested_by)::text, true);
  return public.sell_tier_membership(p_request.member_id, (p_request.data ->> 'offer_id')::uuid, p_request.business_unit_id,
    p_request.data ->> 'payment_ref');
end
$$;

call private.register_approval_action('tier_sale', 'private.run_tier_sale(public.approval_requests)', false, 'required', 'required');

revoke all on function private.assert_tier_sale_by_system(), private.run_tier_sale(public.approval_requests)
  from public, anon, authenticated;
revoke all on function public.request_tier_sale(uuid, uuid, uuid, text, text) from public, anon;
grant execute on function public.request_tier_sale(uuid, uuid, uuid, text, text) to authenticated;
revoke all on function private.assert_request_caller(text, uuid, text), private.filed_approval_request(text)
  from public, anon, authenticated;
