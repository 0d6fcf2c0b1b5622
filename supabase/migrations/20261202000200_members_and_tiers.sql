-- Members and the tier ladder: one member identity across every business unit, registered and edited
-- through the published member form (checked here, whichever client writes).

-- ── Types ────────────────────────────────────────────────────────────────────────────────
create type public.member_status as enum ('active', 'frozen', 'cancelled');
create type public.gender as enum ('male', 'female', 'unknown');

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.tiers (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z][a-z0-9_-]{1,31}$'),
  name text not null,
  name_en text,
  rank int not null unique check (rank >= 0),
  growth_threshold int not null check (growth_threshold >= 0),
  review_period_months int not null default 12 check (review_period_months > 0),
  created_at timestamptz not null default now()
);
comment on table public.tiers is 'The one tier ladder (普卡/银卡/金卡/钻石卡); rank orders it, growth_threshold enters it.';

create sequence public.member_no_seq start 10000001;

create table public.members (
  id uuid primary key default gen_random_uuid(),
  member_no text not null unique default ('M' || nextval('public.member_no_seq')),
  name text not null check (length(btrim(name)) between 1 and 50),
  phone text unique check (phone ~ '^1[3-9][0-9]{9}$'),
  email text check (email is null or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  birthday date check (birthday is null or birthday between '1900-01-01' and current_date),
  gender public.gender not null default 'unknown',
  tier_id uuid not null references public.tiers (id),
  growth_value int not null default 0 check (growth_value >= 0),
  tags text[] not null default '{}',
  status public.member_status not null default 'active',
  home_business_unit_id uuid references public.business_units (id),
  custom jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  form_version int,
  merged_into uuid references public.members (id),
  tier_reviewed_at timestamptz not null default now(),
  -- A merged record gives up its phone (unique) so the person can keep it on the survivor.
  phone_before_merge text,
  constraint members_phone_required check (phone is not null or merged_into is not null)
);
create index members_name_idx on public.members (name);
create index members_tier_idx on public.members (tier_id);
comment on table public.members is 'Unified member master record (会员主档), shared by every business unit.';
comment on column public.members.form_version is 'Version of the member form this record was last saved with.';
comment on column public.members.custom is 'Fields added through the form builder, validated against the published member form.';
comment on column public.members.growth_value is
  'Growth value (成长值) earned since the start of the current review window; tiers upgrade at once when it crosses a threshold.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
create or replace function private.touch_updated_at()
returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

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
      raise exception 'no tier is defined: add the tier ladder before registering members' using errcode = '23502',
        hint = 'tier_ladder_missing';
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

-- The member as its form sees it: built-in columns plus custom fields.
create or replace function private.member_form_data(m public.members)
returns jsonb
language sql immutable
as $$
  select jsonb_strip_nulls(jsonb_build_object(
    'name', m.name, 'phone', m.phone, 'email', m.email, 'birthday', m.birthday,
    'gender', m.gender, 'tags', to_jsonb(m.tags))) || m.custom
$$;

-- A merged-away record keeps its last form data as it was; it is not re-validated.
create or replace function private.validate_member_form()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  form public.form_definitions;
begin
  if new.merged_into is not null then
    return new;
  end if;
  if tg_op = 'UPDATE' and new.custom = old.custom and new.name = old.name and new.phone is not distinct from old.phone
     and new.email is not distinct from old.email and new.birthday is not distinct from old.birthday
     and new.gender = old.gender and new.tags = old.tags then
    return new;
  end if;
  select * into form from public.form_definitions where key = 'member' and status = 'published';
  if found then
    perform private.assert_json_schema(form.schema, private.member_form_data(new), 'member');
    new.form_version := form.version;
  end if;
  return new;
end
$$;

-- Every member gets a balance row when registered, so balances can always be joined and locked.
create or replace function private.open_point_balance()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.point_balances (member_id, balance) values (new.id, 0) on conflict (member_id) do nothing;
  return null;
end
$$;

-- The engine caches the tier ladder with the rules: any change of tiers, rules or rule sets bumps the
-- generation in private.engine_state (created with the rules), which makes every engine reload.
create or replace function private.bump_rules_generation()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update private.engine_state set rules_generation = rules_generation + 1;
  return null;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
-- Before insert, registration_defaults must fire before validate_form (the form is checked with the
-- entry tier and home unit filled in): triggers of one event fire in name order, so keep the names.
create trigger registration_defaults before insert on public.members
  for each row execute function private.member_registration_defaults();
create trigger validate_form before insert or update on public.members
  for each row execute function private.validate_member_form();
create trigger touch before update on public.members
  for each row execute function private.touch_updated_at();
create trigger audit after insert or update or delete on public.members
  for each row execute function private.audit_row();
create trigger open_point_balance after insert on public.members
  for each row execute function private.open_point_balance();
create trigger audit after insert or update or delete on public.tiers
  for each row execute function private.audit_row();
create trigger bump_rules_generation after insert or update or delete on public.tiers
  for each statement execute function private.bump_rules_generation();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
call private.add_admin_managed_policies('public.tiers', 'tiers');

alter table public.members enable row level security;
create policy "staff read members" on public.members
  for select to authenticated using ((select private.is_staff_user()));
create policy "front office registers members" on public.members
  for insert to authenticated
  with check ((select private.has_any_role('{staff,manager,director}')));
create policy "front office edits members" on public.members
  for update to authenticated
  using ((select private.has_any_role('{staff,manager,director}')))
  with check ((select private.has_any_role('{staff,manager,director}')));
create policy "admins delete members" on public.members
  for delete to authenticated using ((select private.has_role('admin')));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.tiers, public.members from anon;
grant select, insert, update, delete on public.tiers, public.members to authenticated;
grant all on public.tiers, public.members to service_role;
grant usage on sequence public.member_no_seq to authenticated, service_role;
revoke all on function private.open_point_balance(), private.bump_rules_generation() from public, anon, authenticated;
