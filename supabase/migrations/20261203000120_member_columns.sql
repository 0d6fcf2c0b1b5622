-- What users may write directly: the member form's fields of a member (points, tier, growth, status, merge
-- link, member number and dates change only through the ledger, tier and merge functions, which run as
-- their owner), and the display name and language of their own staff profile.

-- ── Members: column privileges ───────────────────────────────────────────────────────────
-- Triggers still set form_version, updated_at and the registration defaults (no privilege needed).
-- The home unit is given at registration only: it decides which unit's managers may merge the member.
revoke insert, update on public.members from authenticated;
grant insert (name, phone, email, birthday, gender, tags, custom, home_business_unit_id) on public.members to authenticated;
grant update (name, phone, email, birthday, gender, tags, custom) on public.members to authenticated;

-- ── Staff profiles ───────────────────────────────────────────────────────────────────────
-- Administrators manage every profile; everyone else edits only the display name and language of their own.
-- Security invoker: current_user is the API role for a request, the owner inside a system function.
create or replace function private.guard_own_profile()
returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user not in ('authenticated', 'anon') or private.has_role('admin') then
    return new;
  end if;
  if new.user_id is distinct from old.user_id or new.email is distinct from old.email
     or new.home_business_unit_id is distinct from old.home_business_unit_id
     or new.created_at is distinct from old.created_at then
    raise exception 'only the display name and language of your own profile may be changed' using errcode = '42501',
      hint = 'profile_field_locked', detail = json_build_object('user_id', old.user_id)::text;
  end if;
  return new;
end
$$;
revoke all on function private.guard_own_profile() from public, anon, authenticated;

create trigger guard_own_profile before update on public.staff_profiles
  for each row execute function private.guard_own_profile();
