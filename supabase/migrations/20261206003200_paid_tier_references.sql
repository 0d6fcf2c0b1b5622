-- members.paid_tier_id and earned_tier_id name tiers without foreign keys: a second and third key from members to
-- tiers would make PostgREST's embedding `members?select=tiers(...)` (and member_directory's) ambiguous for every
-- client. Only the tier programme's functions write them, with ids they read from public.tiers; a tier still
-- named by them cannot be deleted (checked here instead).
alter table public.members drop constraint members_paid_tier_id_fkey;
alter table public.members drop constraint members_earned_tier_id_fkey;
comment on column public.members.paid_tier_id is
  'Tier bought with a paid membership, until paid_until (null: none). A tier id (no foreign key, see '
  '20261206003200_paid_tier_references.sql; deleting a tier named here is refused).';

create or replace function private.refuse_deleting_named_tier()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select 1 from public.members m where m.paid_tier_id = old.id or m.earned_tier_id = old.id) then
    raise exception 'tier % is held by members with a paid membership', old.code using errcode = '23503',
      hint = 'tier_in_use', detail = json_build_object('tier', old.code)::text;
  end if;
  return old;
end
$$;
create trigger refuse_deleting_named_tier before delete on public.tiers
  for each row execute function private.refuse_deleting_named_tier();
revoke all on function private.refuse_deleting_named_tier() from public, anon, authenticated, service_role;
