-- Personal data (phone, email, birthday) in full only for the roles that serve members: staff, managers and
-- admins (core/enums/access-matrix.ts, PERSONAL_DATA_ROLES). Directors and analysts read members through
-- public.member_directory, which masks those columns for them; the members table itself returns them no rows.
-- Registering and editing members follows: the roles that see what they edit.

-- ── Masks ────────────────────────────────────────────────────────────────────────────────
create or replace function private.sees_personal_data()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.has_any_role('{staff,manager}');
end
$$;
comment on function private.sees_personal_data() is
  'True for the roles that serve members (staff, manager; admins hold every role): they read phone, email and birthday in full.';

-- 13812345678 -> 138****5678
create or replace function private.mask_phone(p_phone text)
returns text
language sql immutable
as $$
  select case when p_phone is null then null
              when length(p_phone) <= 7 then repeat('*', length(p_phone))
              else left(p_phone, 3) || repeat('*', length(p_phone) - 7) || right(p_phone, 4) end
$$;

-- zhang.wei@example.com -> z***@example.com
create or replace function private.mask_email(p_email text)
returns text
language sql immutable
as $$
  select case when p_email is null then null
              else left(p_email, 1) || '***' || substr(p_email, strpos(p_email, '@')) end
$$;

-- ── The members everyone reads ───────────────────────────────────────────────────────────
-- Owned by the migration role, so it reads members past their row-level security and filters itself:
-- staff users only (the old read policy), personal data masked unless private.sees_personal_data().
create view public.member_directory with (security_barrier = true) as
select m.id, m.member_no, m.name,
       case when pd.unmasked then m.phone else private.mask_phone(m.phone) end as phone,
       case when pd.unmasked then m.email else private.mask_email(m.email) end as email,
       case when pd.unmasked then m.birthday end as birthday,
       extract(month from m.birthday)::smallint as birthday_month,
       m.gender, m.tier_id, m.growth_value, m.tags, m.status, m.home_business_unit_id, m.custom,
       m.created_at, m.updated_at, m.form_version, m.merged_into, m.tier_reviewed_at,
       case when pd.unmasked then m.phone_before_merge else private.mask_phone(m.phone_before_merge) end as phone_before_merge,
       not pd.unmasked as personal_data_masked
from public.members m
cross join (select private.sees_personal_data() as unmasked) pd
where (select private.is_staff_user());
comment on view public.member_directory is
  'Members as the signed-in user may read them: every column of members, phone/email masked (138****5678, '
  'z***@example.com) and birthday null (birthday_month kept) for roles without personal data rights.';

-- ── The table: rows for the roles that serve members only ────────────────────────────────
drop policy "staff read members" on public.members;
drop policy "front office registers members" on public.members;
drop policy "front office edits members" on public.members;
create policy "member service reads members" on public.members
  for select to authenticated using ((select private.has_any_role('{staff,manager}')));
create policy "member service registers members" on public.members
  for insert to authenticated with check ((select private.has_any_role('{staff,manager}')));
create policy "member service edits members" on public.members
  for update to authenticated
  using ((select private.has_any_role('{staff,manager}')))
  with check ((select private.has_any_role('{staff,manager}')));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.member_directory from public, anon, authenticated, service_role;
grant select on public.member_directory to authenticated, service_role;
-- The view calls these with the reader's rights.
revoke all on function private.sees_personal_data(), private.mask_phone(text), private.mask_email(text) from public, anon;
grant execute on function private.sees_personal_data(), private.mask_phone(text), private.mask_email(text)
  to authenticated, service_role;
