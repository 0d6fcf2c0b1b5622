-- Members and the tier ladder: one member identity across every business unit.

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
  phone text not null unique check (phone ~ '^1[3-9][0-9]{9}$'),
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
  updated_at timestamptz not null default now()
);
create index members_name_idx on public.members (name);
create index members_tier_idx on public.members (tier_id);
comment on table public.members is 'Unified member master record (会员主档), shared by every business unit.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
create or replace function private.touch_updated_at()
returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger touch before update on public.members
  for each row execute function private.touch_updated_at();
create trigger audit after insert or update or delete on public.members
  for each row execute function private.audit_row();
create trigger audit after insert or update or delete on public.tiers
  for each row execute function private.audit_row();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
alter table public.tiers enable row level security;
alter table public.members enable row level security;

create policy "staff read tiers" on public.tiers
  for select to authenticated using ((select private.is_staff_user()));
create policy "admins manage tiers" on public.tiers
  for all to authenticated
  using ((select private.has_role('admin'))) with check ((select private.has_role('admin')));

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
