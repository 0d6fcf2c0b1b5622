-- Recharges put stored value on cards, so staff cannot make them alone (maker-checker): staff request a recharge
-- of one or more cards through the approval flow of action card_recharge, and the final approval posts it as the
-- system through recharge_cards_bulk. Direct recharges are for system callers only (the engine, integrations).

-- Whether the caller may post a recharge directly.
create or replace function private.assert_recharge_by_system()
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: recharges are requested for approval (request_card_recharge), not posted directly'
      using errcode = '42501', hint = 'card_recharge_needs_approval', detail = json_build_object('action', 'recharge card')::text;
  end if;
end
$$;

-- recharge_card and recharge_cards_bulk keep their bodies and first check the caller.
do $$
declare
  v_def text;
begin
  foreach v_def in array array[
    pg_get_functiondef('public.recharge_card(uuid, uuid, bigint, text, text, text)'::regprocedure),
    pg_get_functiondef('public.recharge_cards_bulk(uuid, jsonb, text, text, text)'::regprocedure)]
  loop
    execute regexp_replace(v_def, E'\\nbegin\\n', E'\nbegin\n  perform private.assert_recharge_by_system();\n');
  end loop;
end
$$;
comment on function public.recharge_card(uuid, uuid, bigint, text, text, text) is
  'Puts money (fen) on an active card at a unit through a payment channel, as a system caller (staff use '
  'request_card_recharge); never above the single-amount cap or the balance cap. Idempotent by the caller''s key.';

-- The data of a recharge request: the form's data (amount in yuan per card, payment method, payment reference,
-- reason) and the cards with the amounts in fen, checked now so that approvers decide on a request that can run.
create or replace function public.request_card_recharge(p_business_unit_id uuid, p_card_ids uuid[], p_data jsonb,
  p_idempotency_key text)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_flow public.approval_flows;
  v_request public.approval_requests;
  v_schema jsonb;
  v_max_items int := (private.card_limits() ->> 'bulk_max_items')::int;
  v_max_balance bigint := (private.card_limits() ->> 'max_balance_fen')::bigint;
  v_amount numeric;
  v_fen bigint;
  v_cards jsonb;
  v_count int;
  v_card public.stored_value_cards;
  v_members uuid[];
begin
  if v_user is null then
    raise exception 'permission denied: requests are submitted by a signed-in staff member' using errcode = '42501',
      hint = 'not_signed_in', detail = json_build_object('action', 'request card recharge')::text;
  end if;
  if p_business_unit_id is null or not private.has_any_role('{staff,manager,director}'::public.app_role[], p_business_unit_id) then
    raise exception 'permission denied: recharges at business unit % need the staff, manager or director role there',
      coalesce(p_business_unit_id::text, '(none)') using errcode = '42501',
      hint = 'unit_role_required', detail = json_build_object('action', 'request card recharge', 'business_unit_id', p_business_unit_id)::text;
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
  select * into v_flow from public.approval_flows f
   where f.action = 'card_recharge' and f.status = 'published' order by f.published_at desc limit 1;
  if not found then
    raise exception 'no published approval flow recharges cards' using errcode = '22023',
      hint = 'flow_unknown', detail = json_build_object('action', 'card_recharge')::text;
  end if;
  if p_data is null or jsonb_typeof(p_data) <> 'object' then
    raise exception 'the request data must be an object' using errcode = '22023', hint = 'approval_data_invalid';
  end if;
  v_schema := (select f.schema from public.form_definitions f where f.key = v_flow.form_key and f.status = 'published');
  if v_schema is null then
    raise exception 'the form % of this flow is not published', v_flow.form_key using errcode = '22023',
      hint = 'flow_form_missing', detail = json_build_object('form_key', v_flow.form_key)::text;
  end if;
  perform private.assert_json_schema(v_schema, p_data, 'the request');
  perform private.assert_card_channel(p_data ->> 'payment_method');
  perform private.assert_card_reason(p_data ->> 'reason');
  v_amount := (p_data ->> 'amount')::numeric;
  v_fen := round(v_amount * 100)::bigint;
  if v_amount is null or v_fen <> v_amount * 100 then
    raise exception 'amount must be yuan with at most 2 decimals, got %', coalesce(p_data ->> 'amount', 'null')
      using errcode = '22023', hint = 'card_amount_not_positive', detail = json_build_object('amount', p_data -> 'amount')::text;
  end if;
  perform private.assert_card_amount(v_fen);
  v_count := coalesce(cardinality(p_card_ids), 0);
  if v_count = 0 or v_count > v_max_items or (select count(distinct c) from unnest(p_card_ids) c) <> v_count
     or array_position(p_card_ids, null) is not null then
    raise exception 'a recharge request lists 1 to % different cards', v_max_items using errcode = '22023',
      hint = 'card_bulk_invalid', detail = json_build_object('max', v_max_items)::text;
  end if;
  perform private.assert_card_amount(v_fen * v_count);
  for v_card in select c.* from public.stored_value_cards c where c.id = any (p_card_ids) order by c.card_no loop
    perform private.assert_card_usable(v_card);
    if v_card.balance_fen + v_fen > v_max_balance then
      raise exception 'card % would hold % fen, over the most a card holds (% fen)', v_card.card_no, v_card.balance_fen + v_fen, v_max_balance
        using errcode = '22023', hint = 'card_balance_over_cap',
        detail = json_build_object('card_no', v_card.card_no, 'balance_fen', v_card.balance_fen, 'max_fen', v_max_balance)::text;
    end if;
  end loop;
  select jsonb_agg(jsonb_build_object('card_id', c.id, 'card_no', c.card_no) order by c.card_no),
         array_agg(distinct c.member_id) filter (where c.member_id is not null)
    into v_cards, v_members
    from public.stored_value_cards c where c.id = any (p_card_ids);
  if jsonb_array_length(coalesce(v_cards, '[]')) <> v_count then
    perform private.raise_not_found('unknown card in the recharge request', 'card_unknown',
      json_build_object('card_ids', p_card_ids)::text);
  end if;

  begin
    insert into public.approval_requests (flow_id, action, business_unit_id, member_id, data, requested_by, idempotency_key)
    values (v_flow.id, v_flow.action, p_business_unit_id, case when cardinality(v_members) = 1 and v_count = 1 then v_members[1] end,
            p_data || jsonb_build_object('cards', v_cards, 'amount_fen', v_fen, 'total_fen', v_fen * v_count, 'card_count', v_count),
            v_user, p_idempotency_key)
    returning * into v_request;
  exception when unique_violation then
    -- The same key submitted at the same time: the first one's request.
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
comment on function public.request_card_recharge(uuid, uuid[], jsonb, text) is
  'Asks for a recharge of the same amount on 1 to bulk_max_items cards at a unit (staff, managers, directors '
  'there), through the published flow of action card_recharge; p_data is its form''s data. Checked now; posted '
  'once on final approval. A repeat of the key by the same user returns the request it made.';

-- Posts an approved recharge, all cards or none, with the request as the idempotency key, as the system on
-- behalf of the requester (the card ledger's operator).
create or replace function private.run_card_recharge(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform set_config('request.jwt.claims',
    json_build_object('role', 'service_role', 'sub', p_request.requested_by)::text, true);
  return public.recharge_cards_bulk(p_request.business_unit_id,
    (select jsonb_agg(jsonb_build_object('card_id', c ->> 'card_id', 'amount_fen', (p_request.data ->> 'amount_fen')::bigint))
       from jsonb_array_elements(p_request.data -> 'cards') c),
    p_request.data ->> 'payment_method', 'approval:' || p_request.id,
    left(concat_ws(' · ', p_request.data ->> 'reason', 'ref ' || (p_request.data ->> 'payment_ref')), 500));
end
$$;

call private.register_approval_action('card_recharge', 'private.run_card_recharge(public.approval_requests)',
  true, 'required', 'optional');

revoke all on function private.assert_recharge_by_system(), private.run_card_recharge(public.approval_requests)
  from public, anon, authenticated;
revoke all on function public.request_card_recharge(uuid, uuid[], jsonb, text) from public, anon;
grant execute on function public.request_card_recharge(uuid, uuid[], jsonb, text) to authenticated;
