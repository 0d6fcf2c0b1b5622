-- Identity and access: business units, staff profiles, role assignments, the role helper RLS uses,
-- and the audit trail. Applies unchanged to a hosted Supabase project (no local-only objects).

-- ── Types ────────────────────────────────────────────────────────────────────────────────
create type public.app_role as enum ('admin', 'staff', 'manager', 'director', 'analyst');
create type public.business_unit_kind as enum ('mall', 'hotel', 'office', 'property', 'other');

create schema if not exists private;
comment on schema private is 'Helpers and internals not exposed through PostgREST.';
grant usage on schema private to authenticated, service_role;

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.business_units (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z][a-z0-9_-]{1,31}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  name_en text,
  kind public.business_unit_kind not null,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
comment on table public.business_units is 'Business units of the group (业态): mall, hotel, office tower, property company...';

create table public.staff_profiles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null check (length(btrim(display_name)) between 1 and 100),
  email text,
  home_business_unit_id uuid references public.business_units (id),
  locale text check (locale in ('zh-CN', 'en')),
  created_at timestamptz not null default now()
);
comment on table public.staff_profiles is 'Back-office users: one row per auth user who works in the system.';

create table public.role_assignments (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.staff_profiles (user_id) on delete cascade,
  role public.app_role not null,
  business_unit_id uuid references public.business_units (id),
  granted_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
create unique index role_assignments_unique
  on public.role_assignments (user_id, role, coalesce(business_unit_id, '00000000-0000-0000-0000-000000000000'));
create index role_assignments_user_idx on public.role_assignments (user_id);
comment on table public.role_assignments is
  'Roles of staff; business_unit_id null means group-wide, otherwise the role applies to that unit only.';

create table public.audit_log (
  id bigint generated always as identity primary key,
  table_name text not null,
  record_id text,
  action text not null check (action in ('INSERT', 'UPDATE', 'DELETE')),
  actor_id uuid,
  actor_role text,
  at timestamptz not null default now(),
  before jsonb,
  after jsonb,
  reason text
);
create index audit_log_table_record_idx on public.audit_log (table_name, record_id);
create index audit_log_at_idx on public.audit_log (at desc);
comment on table public.audit_log is
  'Append-only trail of changes: who, when, what, before/after, why (reason from the app.reason setting).';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- True when the current user holds any of `wanted` group-wide, or for `unit` when a unit is given.
-- Admins hold every role everywhere. security definer: policies call it without needing access
-- to role_assignments themselves.
create or replace function private.has_any_role(wanted public.app_role[], unit uuid default null)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  -- plpgsql, not sql: a SQL function with SET search_path is re-planned on every call.
  return exists (
    select 1 from public.role_assignments ra
    where ra.user_id = (select auth.uid())
      and (ra.role = 'admin'
           or (ra.role = any (wanted) and (ra.business_unit_id is null or unit is null or ra.business_unit_id = unit)))
  );
end
$$;

create or replace function private.has_role(wanted public.app_role, unit uuid default null)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.has_any_role(array[wanted], unit);
end
$$;

create or replace function private.is_staff_user()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.role_assignments ra where ra.user_id = (select auth.uid()));
end
$$;

-- The row-level security of a table every staff member reads and only administrators change: policies
-- "staff read <label>" and "admins manage <label>".
create or replace procedure private.add_admin_managed_policies(p_table regclass, p_label text)
language plpgsql
as $$
begin
  execute format('alter table %s enable row level security', p_table);
  execute format('create policy %I on %s for select to authenticated using ((select private.is_staff_user()))',
                 'staff read ' || p_label, p_table);
  execute format('create policy %I on %s for all to authenticated
                    using ((select private.has_role(''admin''))) with check ((select private.has_role(''admin'')))',
                 'admins manage ' || p_label, p_table);
end
$$;

-- Who am I and what may I do: the app builds menus and buttons from this.
create or replace function public.my_access()
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'user_id', p.user_id,
    'email', p.email,
    'display_name', p.display_name,
    'locale', p.locale,
    'roles', coalesce((
      select jsonb_agg(jsonb_build_object(
               'role', ra.role,
               'business_unit_id', ra.business_unit_id,
               'business_unit_code', bu.code,
               'business_unit_name', bu.name,
               'business_unit_name_en', bu.name_en) order by ra.role, bu.code)
      from public.role_assignments ra
      left join public.business_units bu on bu.id = ra.business_unit_id
      where ra.user_id = p.user_id), '[]'::jsonb))
  from public.staff_profiles p
  where p.user_id = (select auth.uid())
$$;

-- A privileged caller: the service role, or a direct database connection without JWT claims (the
-- engine, psql, migrations). The boolean form of private.assert_system_caller.
create or replace function private.is_system_caller()
returns boolean
language sql stable security definer set search_path = ''
as $$
  select case
    when coalesce(current_setting('request.jwt.claims', true), '') = ''
      then coalesce(current_setting('role', true), 'none') not in ('anon', 'authenticated')
    else coalesce(current_setting('request.jwt.claims', true)::jsonb ->> 'role', '') = 'service_role'
  end
$$;

-- Why a change was made, for changes made through the API: the app sends the reason as the
-- x-audit-reason request header (percent-encoded UTF-8, since HTTP header values are Latin-1), which
-- PostgREST exposes in the request.headers setting. The app.reason setting (set by SQL functions such
-- as merge_members) still comes first.

-- The x-audit-reason header of the current API request, decoded; null when absent or malformed
-- (a bad header never blocks the change it describes).
create or replace function private.request_reason()
returns text
language plpgsql stable set search_path = ''
as $$
declare
  encoded text;
  decoded text;
begin
  encoded := nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-audit-reason';
  if encoded is null then
    return null;
  end if;
  select convert_from(decode(string_agg(
           case when part[1] ~ '^%[0-9A-Fa-f]{2}$' then substr(part[1], 2)
                else encode(convert_to(part[1], 'UTF8'), 'hex') end, '' order by n), 'hex'), 'UTF8')
    into decoded
    from regexp_matches(encoded, '%[0-9A-Fa-f]{2}|[^%]+|%', 'g') with ordinality as m(part, n);
  return nullif(left(btrim(decoded), 500), '');
exception when others then
  return null;
end
$$;

-- Generic audit trigger: one row per changed record with before/after images.
create or replace function private.audit_row()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
begin
  if tg_op = 'UPDATE' and old_row = new_row then
    return new;
  end if;
  insert into public.audit_log (table_name, record_id, action, actor_id, actor_role, before, after, reason)
  values (
    tg_table_name,
    coalesce(new_row, old_row) ->> coalesce(tg_argv[0], 'id'),
    tg_op,
    (select auth.uid()),
    coalesce(claims ->> 'role', current_user),
    old_row,
    new_row,
    coalesce(nullif(current_setting('app.reason', true), ''), private.request_reason())
  );
  return coalesce(new, old);
end
$$;

-- Audit rows are never edited or removed, not even by the table owner's API roles.
create or replace function private.refuse_change()
returns trigger
language plpgsql
as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege',
    hint = 'append_only', detail = json_build_object('table', tg_table_name, 'operation', tg_op)::text;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger audit after insert or update or delete on public.business_units
  for each row execute function private.audit_row();
create trigger audit after insert or update or delete on public.staff_profiles
  for each row execute function private.audit_row('user_id');
create trigger audit after insert or update or delete on public.role_assignments
  for each row execute function private.audit_row();
create trigger append_only before update or delete on public.audit_log
  for each row execute function private.refuse_change();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
call private.add_admin_managed_policies('public.business_units', 'business units');
call private.add_admin_managed_policies('public.staff_profiles', 'staff profiles');
create policy "users edit own profile" on public.staff_profiles
  for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

alter table public.role_assignments enable row level security;
alter table public.audit_log enable row level security;

create policy "users read own roles" on public.role_assignments
  for select to authenticated using (user_id = (select auth.uid()));
create policy "admins manage roles" on public.role_assignments
  for all to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));

create policy "admins and directors read audit" on public.audit_log
  for select to authenticated using ((select private.has_any_role('{director}')));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.business_units, public.staff_profiles, public.role_assignments, public.audit_log from anon;
grant select, insert, update, delete on public.business_units, public.role_assignments to authenticated;
grant select, insert, update, delete on public.staff_profiles to authenticated;
grant select on public.audit_log to authenticated;
grant all on public.business_units, public.staff_profiles, public.role_assignments, public.audit_log to service_role;
revoke all on function public.my_access() from public, anon;
grant execute on function public.my_access() to authenticated, service_role;
revoke all on function private.has_role(public.app_role, uuid), private.has_any_role(public.app_role[], uuid),
  private.is_staff_user() from public;
grant execute on function private.has_role(public.app_role, uuid), private.has_any_role(public.app_role[], uuid),
  private.is_staff_user() to authenticated, service_role;
revoke all on function private.is_system_caller() from public, anon, authenticated;
revoke all on procedure private.add_admin_managed_policies(regclass, text) from public, anon, authenticated;
