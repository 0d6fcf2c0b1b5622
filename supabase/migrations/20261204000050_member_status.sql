-- A member's status (active, frozen, cancelled) changes only through set_member_status: the managers of the
-- member's home unit (or group-wide managers, directors and admins) freeze, unfreeze and cancel, with a reason
-- that the audit row keeps. A frozen or cancelled member earns and redeems nothing (the ledger functions
-- refuse with member_inactive); cancelling is final; a merged record keeps its status.

-- Managers and directors of a member's home unit, or group-wide ones (admins always).
create or replace function private.assert_manages_member(p_member_id uuid, p_home_unit uuid)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if private.has_group_role('{manager,director}') then
    return;
  end if;
  if p_home_unit is null or not private.has_any_role('{manager,director}', p_home_unit) then
    raise exception 'permission denied: member % belongs to a business unit you do not manage', p_member_id
      using errcode = '42501', hint = 'member_outside_units',
      detail = json_build_object('member_id', p_member_id, 'business_unit_id', p_home_unit)::text;
  end if;
end
$$;
revoke all on function private.assert_manages_member(uuid, uuid) from public, anon;
grant execute on function private.assert_manages_member(uuid, uuid) to authenticated, service_role;

create or replace function public.set_member_status(p_member_id uuid, p_status public.member_status, p_reason text)
returns public.member_status
language plpgsql security definer set search_path = ''
as $$
declare
  v_member record;
begin
  if p_member_id is null or p_status is null then
    raise exception 'a member and a status are required' using errcode = '22023', hint = 'member_status_required';
  end if;
  if p_reason is null or btrim(p_reason) = '' then
    raise exception 'a reason is required' using errcode = '22023', hint = 'reason_required';
  end if;
  if length(p_reason) > 500 then
    raise exception 'the reason is longer than 500 characters' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;
  select m.id, m.status, m.merged_into, m.home_business_unit_id into v_member
  from public.members m where m.id = p_member_id for update;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
      json_build_object('member_id', p_member_id)::text);
  end if;
  if not private.is_system_caller() then
    perform private.assert_manages_member(v_member.id, v_member.home_business_unit_id);
  end if;
  if v_member.merged_into is not null then
    raise exception 'member % was merged into another record', p_member_id using errcode = '22023',
      hint = 'member_merged', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  if v_member.status = p_status then
    return p_status;
  end if;
  if v_member.status = 'cancelled' then
    raise exception 'member % is cancelled; cancelling is final', p_member_id using errcode = '22023',
      hint = 'member_cancelled_final', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  perform set_config('app.reason', btrim(p_reason), true);
  update public.members set status = p_status where id = p_member_id;
  return p_status;
end
$$;
revoke all on function public.set_member_status(uuid, public.member_status, text) from public, anon;
grant execute on function public.set_member_status(uuid, public.member_status, text) to authenticated, service_role;
comment on function public.set_member_status(uuid, public.member_status, text) is
  'Freezes, unfreezes or cancels a member, with a reason kept in the audit row. Managers and directors of the '
  'member''s home unit, or group-wide ones. Same status again: no change. Cancelled is final; merged records refuse. '
  'Reason codes: member_status_required, reason_required, reason_too_long, member_unknown, member_outside_units, '
  'member_merged, member_cancelled_final.';
