-- Registration defaults, so any channel (the app's registration form, a unit's own system through REST)
-- may register a member with only the form's fields: the entry tier is the ladder's lowest, and the
-- home business unit is the registering staff member's unit when they work for exactly one.

create or replace function private.member_registration_defaults()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.tier_id is null then
    select id into new.tier_id from public.tiers order by rank limit 1;
    if new.tier_id is null then
      raise exception 'no tier is defined: add the tier ladder before registering members' using errcode = '23502';
    end if;
  end if;
  if new.home_business_unit_id is null and auth.uid() is not null then
    select min(business_unit_id::text)::uuid into new.home_business_unit_id
    from public.role_assignments
    where user_id = auth.uid() and business_unit_id is not null
    having count(distinct business_unit_id) = 1;
  end if;
  return new;
end
$$;
comment on function private.member_registration_defaults() is
  'Before insert on members: entry tier (lowest rank) and home unit (the registering staff member''s only unit) when not given.';

-- Named to fire before validate_form (triggers of one event fire in name order).
create trigger registration_defaults before insert on public.members
  for each row execute function private.member_registration_defaults();
