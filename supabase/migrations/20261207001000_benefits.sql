-- Benefits pool (权益通): versioned benefit definitions, grants made only by the engine from recorded facts
-- (tier held, birthday month, a transaction) or by an approved request, and verification (核销) at any
-- counter with one answer on eligibility and stacking. Coupons are benefits of kind coupon with a
-- single-use code.
--
-- Invariants (tests/db/benefits.test.ts, tests/engine/benefit-grants.test.ts):
--   * nobody writes benefit_grants or benefit_uses directly; grants come from private.grant_* (system
--     callers: the engine, the seed) or private.run_benefit_grant (an approved benefit-grant request).
--   * every grant path is idempotent: one grant per (member, definition key, source, source_ref, period_key).
--   * uses_left never goes below zero, under any concurrency: verify_benefit_use and redeem_coupon lock the
--     grant row, then check and decrement in the same transaction.
--   * benefit_uses is append-only; each use is audited and leaves a notice for the member in the outbox.
--   * idempotency keys are scoped to the caller (private.card_key): a user's key never collides with another
--     caller's or the engine's; the same key by the same caller returns the first use and changes nothing.
--   * every number is capped (private.benefit_limits(), core/enums/benefits.ts) and every timestamp bounded.
-- Lock order: the grant row only.

-- ── Limits (core/enums/benefits.ts states the same; tests/db/benefits.test.ts compares) ────
create or replace function private.benefit_limits()
returns jsonb
language sql immutable
as $$
  select '{"max_hours": 24, "max_percent": 99, "max_coupon_fen": 10000000, "max_item_value": 1000,
           "max_uses_per_period": 100, "max_validity_days": 366, "max_uses_per_verification": 100,
           "max_with_grants": 10, "max_manual_uses": 100, "director_above_uses": 10, "reason_max_length": 500,
           "logic_max_bytes": 4096, "recent_days": 30, "max_codes": 20}'::jsonb
$$;
comment on function private.benefit_limits() is
  'Caps of benefits: parking hours, discount percent, coupon face value (fen), item count, uses per period, '
  'validity days, uses per verification, other grants combined in one verification, uses of a manual grant, the '
  'size of a JSON-logic condition, and how long refused grants stay listed at the counter.';

create or replace function private.benefit_kinds()
returns text[]
language sql immutable
as $$ select array['parking_hours', 'discount_percent', 'free_item', 'gift', 'priority_access', 'coupon'] $$;

create or replace function private.benefit_sources()
returns text[]
language sql immutable
as $$ select array['tier', 'birthday', 'transaction', 'campaign', 'approval'] $$;

create or replace function private.benefit_refusals()
returns text[]
language sql immutable
as $$ select array['not_eligible', 'used_up', 'expired', 'not_accepted_here', 'does_not_stack', 'member_inactive'] $$;

-- ── Definitions ──────────────────────────────────────────────────────────────────────────
create table public.benefit_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  version int not null check (version > 0),
  status public.config_status not null default 'draft',
  name text not null check (length(btrim(name)) between 1 and 100),
  name_en text check (name_en is null or length(btrim(name_en)) between 1 and 100),
  description text check (length(description) <= 2000),
  description_en text check (length(description_en) <= 2000),
  kind text not null check (kind in ('parking_hours', 'discount_percent', 'free_item', 'gift', 'priority_access', 'coupon')),
  value int not null default 1,
  eligibility jsonb check (eligibility is null or octet_length(eligibility::text) <= 4096),
  uses_per_period int not null default 1 check (uses_per_period between 1 and 100),
  period text not null default 'month' check (period in ('month', 'quarter', 'year', 'once')),
  validity_days int not null default 31 check (validity_days between 1 and 366),
  issuing_unit_id uuid not null references public.business_units (id),
  accepting_unit_codes text[] check (accepting_unit_codes is null or cardinality(accepting_unit_codes) between 1 and 50),
  stacks_with_points boolean not null default true,
  stacks_with_benefits boolean not null default true,
  grant_on_tiers text[] check (grant_on_tiers is null or cardinality(grant_on_tiers) between 1 and 20),
  grant_in_birthday_month boolean not null default false,
  grant_on_transaction jsonb check (grant_on_transaction is null or octet_length(grant_on_transaction::text) <= 4096),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  superseded_at timestamptz,
  unique (key, version),
  constraint benefit_definitions_value check (case kind
    when 'parking_hours' then value between 1 and 24
    when 'discount_percent' then value between 1 and 99
    when 'coupon' then value between 1 and 10000000
    else value between 1 and 1000 end),
  constraint benefit_definitions_coupon_single_use check (kind <> 'coupon' or uses_per_period = 1),
  constraint benefit_definitions_published check (status = 'draft' or published_at is not null),
  constraint benefit_definitions_draft_unpublished check (status <> 'draft' or (published_at is null and superseded_at is null))
);
create unique index benefit_definitions_one_published on public.benefit_definitions (key) where status = 'published';
call private.add_definition_kind('benefit', 'public.benefit_definitions', 'benefit definitions');
comment on table public.benefit_definitions is
  'Benefit definitions (权益), versioned like rules: kind and value (parking hours, discount percent, item count, '
  'coupon face value in fen), eligibility (flow-condition JSON-logic over the member context, null: everyone a '
  'grant reaches), uses per period, validity, issuing and accepting units, stacking policy, and what grants it '
  '(tiers held, birthday month, a transaction matching grant_on_transaction). Grants keep the version they were made from.';
comment on column public.benefit_definitions.value is
  'parking_hours: hours; discount_percent: percent off (10 = 9 折); coupon: face value in fen; others: count.';
comment on column public.benefit_definitions.eligibility is
  'Flow-condition JSON-logic over {tier, tier_rank, tags, birthday_month, status, home_business_unit, growth_value}; '
  'checked when granting and again when verifying (null: no further condition).';
comment on column public.benefit_definitions.grant_on_transaction is
  'Flow-condition JSON-logic over {transaction: {amount, channel, business_unit, business_unit_kind, order_no}, '
  'member: {...}}: a transaction recorded after publishing that satisfies it grants the benefit once (null: never).';

-- The member context eligibility reads.
create or replace function private.benefit_member_context(p_member_id uuid)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object('tier', t.code, 'tier_rank', t.rank, 'tags', to_jsonb(m.tags),
    'birthday_month', extract(month from m.birthday)::int, 'status', m.status::text,
    'home_business_unit', home.code, 'growth_value', m.growth_value)
  from public.members m
  join public.tiers t on t.id = m.tier_id
  left join public.business_units home on home.id = m.home_business_unit_id
  where m.id = p_member_id
$$;

create or replace function private.benefit_condition_holds(p_logic jsonb, p_data jsonb)
returns boolean
language sql immutable set search_path = ''
as $$
  select p_logic is null or jsonb_typeof(p_logic) = 'null' or private.flow_truthy(private.flow_value(p_logic, p_data))
$$;

-- Checks a version's content with clear reasons (the table's constraints are the backstop).
create or replace function private.check_benefit_definition()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.benefit_limits();
  v_problem text;
  v_max int;
  v_bad text;
begin
  if new.kind is null or not (new.kind = any (private.benefit_kinds())) then
    raise exception 'unknown benefit kind %', coalesce(new.kind, 'null') using errcode = '22023',
      hint = 'benefit_kind_unknown', detail = json_build_object('kind', new.kind)::text;
  end if;
  v_max := case new.kind when 'parking_hours' then (v_limits ->> 'max_hours')::int
                         when 'discount_percent' then (v_limits ->> 'max_percent')::int
                         when 'coupon' then (v_limits ->> 'max_coupon_fen')::int
                         else (v_limits ->> 'max_item_value')::int end;
  if new.value is null or new.value < 1 or new.value > v_max then
    raise exception 'value of a % benefit must be between 1 and %, got %', new.kind, v_max, coalesce(new.value::text, 'null')
      using errcode = '22023', hint = 'benefit_value_out_of_range',
      detail = json_build_object('kind', new.kind, 'value', new.value, 'min', 1, 'max', v_max)::text;
  end if;
  if new.uses_per_period is null or new.uses_per_period < 1 or new.uses_per_period > (v_limits ->> 'max_uses_per_period')::int
     or (new.kind = 'coupon' and new.uses_per_period <> 1) then
    raise exception 'uses per period must be between 1 and % (a coupon has exactly 1)', v_limits ->> 'max_uses_per_period'
      using errcode = '22023', hint = 'benefit_uses_out_of_range',
      detail = json_build_object('uses', new.uses_per_period, 'max', (v_limits ->> 'max_uses_per_period')::int)::text;
  end if;
  if new.validity_days is null or new.validity_days < 1 or new.validity_days > (v_limits ->> 'max_validity_days')::int then
    raise exception 'validity must be between 1 and % days', v_limits ->> 'max_validity_days'
      using errcode = '22023', hint = 'benefit_validity_out_of_range',
      detail = json_build_object('days', new.validity_days, 'max', (v_limits ->> 'max_validity_days')::int)::text;
  end if;
  foreach v_bad in array array['eligibility', 'grant_on_transaction'] loop
    v_problem := case when v_bad = 'eligibility' then
                   case when new.eligibility is null then null
                        when octet_length(new.eligibility::text) > (v_limits ->> 'logic_max_bytes')::int then 'too large'
                        else private.flow_condition_problem(new.eligibility) end
                 else
                   case when new.grant_on_transaction is null then null
                        when octet_length(new.grant_on_transaction::text) > (v_limits ->> 'logic_max_bytes')::int then 'too large'
                        else private.flow_condition_problem(new.grant_on_transaction) end
                 end;
    if v_problem is not null then
      raise exception '% is not a valid condition: %', v_bad, v_problem using errcode = '22023',
        hint = 'benefit_logic_invalid', detail = json_build_object('field', v_bad, 'problem', v_problem)::text;
    end if;
  end loop;
  select c into v_bad from unnest(coalesce(new.grant_on_tiers, '{}')) c
  where not exists (select 1 from public.tiers t where t.code = c) limit 1;
  if v_bad is not null then
    raise exception 'unknown tier %', v_bad using errcode = '22023', hint = 'benefit_tier_unknown',
      detail = json_build_object('tier', v_bad)::text;
  end if;
  select c into v_bad from unnest(coalesce(new.accepting_unit_codes, '{}')) c
  where not exists (select 1 from public.business_units u where u.code = c) limit 1;
  if v_bad is not null then
    raise exception 'unknown business unit %', v_bad using errcode = '22023', hint = 'benefit_unit_unknown',
      detail = json_build_object('unit', v_bad)::text;
  end if;
  if tg_op = 'UPDATE' and new.key <> old.key then
    raise exception 'the key of a benefit definition never changes' using errcode = '22023', hint = 'benefit_key_fixed';
  end if;
  new.updated_at := now();
  return new;
end
$$;
-- "lifecycle" (the frozen-version guard) fires before "validate" (name order).
create trigger validate before insert or update on public.benefit_definitions
  for each row execute function private.check_benefit_definition();
create trigger audit after insert or update or delete on public.benefit_definitions
  for each row execute function private.audit_row();

create or replace function public.publish_benefit(p_key text, p_version int)
returns public.benefit_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.benefit_definitions;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may publish benefits' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'publish_benefit')::text;
  end if;
  perform private.lock_definition_key('public.benefit_definitions', p_key);
  select * into v_row from public.benefit_definitions d where d.key = p_key and d.version = p_version;
  if not found then
    raise exception 'benefit % has no version %', coalesce(p_key, 'null'), coalesce(p_version::text, 'null')
      using errcode = 'P0002', hint = 'benefit_definition_unknown',
      detail = json_build_object('key', p_key, 'version', p_version)::text;
  end if;
  perform private.publish_definition_version('public.benefit_definitions', p_key, p_version, clock_timestamp());
  select * into v_row from public.benefit_definitions d where d.id = v_row.id;
  return v_row;
end
$$;
comment on function public.publish_benefit(text, int) is
  'Publishes draft version p_version of benefit p_key (administrators, or the system), archiving the key''s '
  'published version; grants made from earlier versions keep their version.';

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
create table public.benefit_grants (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references public.members (id),
  definition_key text not null,
  definition_version int not null,
  source text not null check (source in ('tier', 'birthday', 'transaction', 'campaign', 'approval')),
  source_ref text not null check (length(source_ref) between 1 and 200),
  period_key text not null check (period_key ~ '^(once|[0-9]{4}(-[0-9]{2}|-Q[1-4])?)$'),
  uses_total int not null check (uses_total between 1 and 100),
  uses_left int not null,
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  code text unique check (code ~ '^[A-HJ-NP-Z2-9]{12}$'),
  issuing_unit_id uuid not null references public.business_units (id),
  status text not null default 'active' check (status in ('active', 'used_up', 'expired', 'revoked')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (definition_key, definition_version) references public.benefit_definitions (key, version),
  unique (member_id, definition_key, source, source_ref, period_key),
  constraint benefit_grants_uses check (uses_left between 0 and uses_total),
  constraint benefit_grants_window check (valid_until > valid_from and valid_until <= valid_from + interval '367 days'
                                          and valid_from > '2000-01-01' and valid_from < '2200-01-01'),
  constraint benefit_grants_active_has_uses check (status <> 'active' or uses_left > 0),
  constraint benefit_grants_used_up check (status <> 'used_up' or uses_left = 0)
);
create index benefit_grants_member_idx on public.benefit_grants (member_id, status, valid_until);
create index benefit_grants_expiry_idx on public.benefit_grants (valid_until) where status = 'active';
comment on table public.benefit_grants is
  'What a member holds of a benefit: uses left of uses_total between valid_from and valid_until, from a source '
  '(tier, birthday, transaction, campaign, approval) and what caused it (source_ref: tier, birthday:<year>, '
  'transaction id, request id) in a period (period_key). Coupons carry a single-use code. Written only by the '
  'engine and approved requests; uses only through verify_benefit_use and redeem_coupon.';

-- Only uses_left (down), status (active -> used_up | expired | revoked) and updated_at change; grants stay.
create or replace function private.guard_benefit_grant()
returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'benefit grants are kept: expire or revoke them instead' using errcode = 'insufficient_privilege',
      hint = 'append_only', detail = json_build_object('table', tg_table_name, 'operation', tg_op)::text;
  end if;
  if (new.id, new.member_id, new.definition_key, new.definition_version, new.source, new.source_ref, new.period_key,
      new.uses_total, new.valid_from, new.valid_until, new.code, new.issuing_unit_id, new.created_at)
     is distinct from (old.id, old.member_id, old.definition_key, old.definition_version, old.source, old.source_ref,
      old.period_key, old.uses_total, old.valid_from, old.valid_until, old.code, old.issuing_unit_id, old.created_at)
     or new.uses_left > old.uses_left or (old.status <> 'active' and new.status <> old.status) then
    raise exception 'benefit grant % is fixed: only its uses go down and its status leaves active', old.id
      using errcode = 'insufficient_privilege', hint = 'benefit_grant_fixed', detail = json_build_object('grant_id', old.id)::text;
  end if;
  return new;
end
$$;
create trigger guard before update or delete on public.benefit_grants
  for each row execute function private.guard_benefit_grant();
create trigger guard_truncate before truncate on public.benefit_grants
  for each statement execute function private.refuse_change();
create trigger audit after insert or update on public.benefit_grants
  for each row execute function private.audit_row();

-- A notice for the member for each new grant.
create or replace function private.notify_benefit_grant()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.notifications_outbox (member_id, channel, template, payload, dedupe_key)
  values (new.member_id, 'sms', 'benefit_granted',
          jsonb_build_object('grant_id', new.id, 'definition_key', new.definition_key, 'source', new.source,
                             'uses', new.uses_total, 'valid_until', new.valid_until, 'code', new.code),
          'grant:' || new.id)
  on conflict (member_id, template, dedupe_key) do nothing;
  return null;
end
$$;
create trigger notify after insert on public.benefit_grants
  for each row execute function private.notify_benefit_grant();

-- ── Uses ─────────────────────────────────────────────────────────────────────────────────
create table public.benefit_uses (
  id bigint generated always as identity primary key,
  grant_id uuid not null references public.benefit_grants (id),
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  uses int not null check (uses between 1 and 100),
  uses_left int not null check (uses_left >= 0),
  used_by uuid default auth.uid(),
  idempotency_key text not null unique check (length(idempotency_key) between 1 and 300),
  with_points boolean not null default false,
  with_grant_ids uuid[] not null default '{}' check (cardinality(with_grant_ids) <= 10),
  created_at timestamptz not null default now()
);
create index benefit_uses_grant_idx on public.benefit_uses (grant_id, id);
create index benefit_uses_member_idx on public.benefit_uses (member_id, created_at desc);
create index benefit_uses_unit_idx on public.benefit_uses (business_unit_id, created_at desc);
comment on table public.benefit_uses is
  'Verifications (核销) of benefit grants, append-only: the grant, member, unit, uses taken and uses left after, '
  'the staff member (used_by), whether points were paid in the same purchase, the other grants combined, and the '
  'caller-scoped idempotency key.';
create trigger append_only before update or delete on public.benefit_uses
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.benefit_uses
  for each statement execute function private.refuse_change();
create trigger audit after insert on public.benefit_uses
  for each row execute function private.audit_row();

-- ── Periods ──────────────────────────────────────────────────────────────────────────────
-- The period holding p_at in business time: its key (2026-12, 2026-Q4, 2026, once) and its end (null: once).
create or replace function private.benefit_period(p_period text, p_at timestamptz, out period_key text, out period_end timestamptz)
language plpgsql stable set search_path = ''
as $$
declare
  v_local timestamp := p_at at time zone private.business_time_zone();
begin
  case p_period
    when 'month' then
      period_key := to_char(v_local, 'YYYY-MM');
      period_end := (date_trunc('month', v_local) + interval '1 month') at time zone private.business_time_zone();
    when 'quarter' then
      period_key := to_char(v_local, 'YYYY-"Q"Q');
      period_end := (date_trunc('quarter', v_local) + interval '3 months') at time zone private.business_time_zone();
    when 'year' then
      period_key := to_char(v_local, 'YYYY');
      period_end := (date_trunc('year', v_local) + interval '1 year') at time zone private.business_time_zone();
    else
      period_key := 'once';
      period_end := null;
  end case;
end
$$;

-- A random single-use coupon code: 12 characters without 0, O, 1, I.
create or replace function private.new_coupon_code()
returns text
language plpgsql volatile set search_path = ''
as $$
declare
  v_alphabet text := 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  v_bytes bytea := uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
  v_code text := '';
begin
  for i in 0 .. 11 loop
    v_code := v_code || substr(v_alphabet, (get_byte(v_bytes, i) % 32) + 1, 1);
  end loop;
  return v_code;
end
$$;

create or replace function private.assert_benefit_as_of(p_as_of timestamptz)
returns void
language plpgsql stable set search_path = ''
as $$
begin
  if p_as_of is null or p_as_of < now() - interval '366 days' or p_as_of > now() + interval '366 days' then
    raise exception 'the moment to grant at must be within a year of now, got %', coalesce(p_as_of::text, 'null')
      using errcode = '22023', hint = 'benefit_as_of_out_of_range', detail = json_build_object('as_of', p_as_of)::text;
  end if;
end
$$;

-- ── Engine grants (system callers only) ─────────────────────────────────────────────────
-- Tier grants: every active member holding a tier in grant_on_tiers of a published definition (and eligible)
-- gets one grant per definition and period (source tier, source_ref 'tier'), valid to the end of the period or
-- validity_days, whichever is first. Renewed each period by the cron; on reaching a tier by the trigger below.
create or replace function private.grant_tier_benefits_unchecked(p_as_of timestamptz, p_member_ids uuid[])
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
  v_reason text := current_setting('app.reason', true);
begin
  if not exists (select 1 from public.benefit_definitions d where d.status = 'published' and d.grant_on_tiers is not null) then
    return 0;
  end if;
  perform set_config('app.reason', 'benefit-grant-tier', true);
  insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
    uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
  select m.id, d.key, d.version, 'tier', 'tier', p.period_key, d.uses_per_period, d.uses_per_period, p_as_of,
         least(coalesce(p.period_end, 'infinity'), p_as_of + make_interval(days => d.validity_days)),
         case when d.kind = 'coupon' then private.new_coupon_code() end, d.issuing_unit_id
  from public.benefit_definitions d
  cross join lateral private.benefit_period(d.period, p_as_of) p
  join public.tiers t on t.code = any (d.grant_on_tiers)
  join public.members m on m.tier_id = t.id
  where d.status = 'published' and d.grant_on_tiers is not null and d.published_at <= greatest(p_as_of, now())
    and m.status = 'active' and m.merged_into is null
    and (p_member_ids is null or m.id = any (p_member_ids))
    and (d.eligibility is null or private.benefit_condition_holds(d.eligibility, private.benefit_member_context(m.id)))
  on conflict (member_id, definition_key, source, source_ref, period_key) do nothing;
  get diagnostics v_count = row_count;
  perform set_config('app.reason', coalesce(v_reason, ''), true);
  return v_count;
end
$$;

create or replace function private.grant_tier_benefits(p_as_of timestamptz, p_member_ids uuid[] default null)
returns int
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.assert_system_caller('granting tier benefits');
  perform private.assert_benefit_as_of(p_as_of);
  return private.grant_tier_benefits_unchecked(p_as_of, p_member_ids);
end
$$;

-- Reaching a tier grants its benefits at once, whatever moved the member (growth, review, a paid membership, a
-- merge): the tier change's own transaction writes the grant. Members registered at a tier get theirs from the cron.
create or replace function private.grant_benefits_on_tier_change()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.grant_tier_benefits_unchecked(now(), array[new.id]);
  return null;
end
$$;
create trigger grant_tier_benefits after update of tier_id on public.members
  for each row when (new.tier_id is distinct from old.tier_id) execute function private.grant_benefits_on_tier_change();

-- Birthday grants: active members whose birthday month (business time) holds p_as_of get one grant per
-- definition and year (source_ref birthday:<year>), valid to the end of that month or validity_days. A late
-- run within the month still grants (catch-up); a rerun grants nothing more.
create or replace function private.grant_birthday_benefits(p_as_of timestamptz, p_member_ids uuid[] default null)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_local timestamp := p_as_of at time zone private.business_time_zone();
  v_month_end timestamptz := (date_trunc('month', v_local) + interval '1 month') at time zone private.business_time_zone();
  v_count int;
begin
  perform private.assert_system_caller('granting birthday benefits');
  perform private.assert_benefit_as_of(p_as_of);
  perform set_config('app.reason', 'benefit-grant-birthday', true);
  insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
    uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
  select m.id, d.key, d.version, 'birthday', 'birthday:' || to_char(v_local, 'YYYY'), to_char(v_local, 'YYYY'),
         d.uses_per_period, d.uses_per_period, p_as_of, least(v_month_end, p_as_of + make_interval(days => d.validity_days)),
         case when d.kind = 'coupon' then private.new_coupon_code() end, d.issuing_unit_id
  from public.benefit_definitions d
  join public.members m on extract(month from m.birthday) = extract(month from v_local)
  where d.status = 'published' and d.grant_in_birthday_month and d.published_at <= greatest(p_as_of, now())
    and m.status = 'active' and m.merged_into is null
    and (p_member_ids is null or m.id = any (p_member_ids))
    and (d.eligibility is null or private.benefit_condition_holds(d.eligibility, private.benefit_member_context(m.id)))
  on conflict (member_id, definition_key, source, source_ref, period_key) do nothing;
  get diagnostics v_count = row_count;
  perform set_config('app.reason', '', true);
  return v_count;
end
$$;

-- Transaction grants: each transaction recorded after a definition was published that satisfies its
-- grant_on_transaction (and whose member is eligible) grants it once (source transaction, source_ref the
-- transaction id, period once), valid for validity_days from now.
create or replace function private.grant_transaction_benefits(p_transaction_ids uuid[])
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  perform private.assert_system_caller('granting transaction benefits');
  if p_transaction_ids is null or cardinality(p_transaction_ids) = 0 then
    return 0;
  end if;
  if not exists (select 1 from public.benefit_definitions d where d.status = 'published' and d.grant_on_transaction is not null) then
    return 0;
  end if;
  perform set_config('app.reason', 'benefit-grant-transaction', true);
  insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
    uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
  select x.member_id, d.key, d.version, 'transaction', x.id::text, 'once', d.uses_per_period, d.uses_per_period, now(),
         now() + make_interval(days => d.validity_days),
         case when d.kind = 'coupon' then private.new_coupon_code() end, d.issuing_unit_id
  from public.transactions x
  join public.members m on m.id = x.member_id
  join public.business_units bu on bu.id = x.business_unit_id
  cross join lateral (select private.benefit_member_context(m.id) as member) c
  join public.benefit_definitions d on d.status = 'published' and d.grant_on_transaction is not null
                                   and d.published_at <= x.occurred_at
  where x.id = any (p_transaction_ids) and m.status = 'active' and m.merged_into is null
    and private.benefit_condition_holds(d.grant_on_transaction, jsonb_build_object(
          'transaction', jsonb_build_object('amount', x.amount, 'channel', x.channel, 'business_unit', bu.code,
                                            'business_unit_kind', bu.kind, 'order_no', x.order_no),
          'member', c.member))
    and private.benefit_condition_holds(d.eligibility, c.member)
  on conflict (member_id, definition_key, source, source_ref, period_key) do nothing;
  get diagnostics v_count = row_count;
  perform set_config('app.reason', '', true);
  return v_count;
end
$$;

-- What the earn job calls after posting a batch: transaction grants, and tier grants for the batch's members
-- (a purchase may have lifted them into a tier).
create or replace function private.grant_benefits_after_earn(p_transaction_ids uuid[])
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_members uuid[];
begin
  perform private.assert_system_caller('granting benefits');
  select array_agg(distinct x.member_id) into v_members from public.transactions x where x.id = any (p_transaction_ids);
  if v_members is null then
    return jsonb_build_object('transaction', 0, 'tier', 0);
  end if;
  return jsonb_build_object('transaction', private.grant_transaction_benefits(p_transaction_ids),
                            'tier', private.grant_tier_benefits(now(), v_members));
end
$$;

-- Active grants past valid_until become expired.
create or replace function private.expire_benefit_grants(p_as_of timestamptz)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
begin
  perform private.assert_system_caller('expiring benefits');
  perform set_config('app.reason', 'benefit-expiry', true);
  update public.benefit_grants set status = 'expired', updated_at = now()
  where status = 'active' and valid_until <= p_as_of;
  get diagnostics v_count = row_count;
  perform set_config('app.reason', '', true);
  return v_count;
end
$$;

-- The engine's cron (and the demo seed): tier renewals, birthday grants, expiry. Idempotent.
create or replace function public.run_benefit_grants(p_as_of timestamptz default now(), p_member_ids uuid[] default null)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.assert_system_caller('running benefit grants');
  perform private.assert_benefit_as_of(p_as_of);
  return jsonb_build_object(
    'tier', private.grant_tier_benefits(p_as_of, p_member_ids),
    'birthday', private.grant_birthday_benefits(p_as_of, p_member_ids),
    'expired', private.expire_benefit_grants(p_as_of));
end
$$;
comment on function public.run_benefit_grants(timestamptz, uuid[]) is
  'Engine job benefit_grants: grants tier benefits for the period holding p_as_of and birthday benefits for members '
  'in their birthday month (business time zone), expires grants past valid_until. System callers only; a rerun '
  'grants nothing more. Returns counts {tier, birthday, expired}.';

-- ── Verification ─────────────────────────────────────────────────────────────────────────
-- Why grant p_grant cannot be used now for p_uses at unit p_unit_code, or null. One order for the counter's
-- list and the verification: member_inactive, expired, not_eligible, used_up, not_accepted_here, does_not_stack.
create or replace function private.benefit_refusal(p_grant public.benefit_grants, p_def public.benefit_definitions,
  p_member public.members, p_unit_code text, p_uses int, p_with_points boolean, p_with_grant_ids uuid[])
returns text
language plpgsql stable security definer set search_path = ''
as $$
begin
  if p_member.status <> 'active' or p_member.merged_into is not null then
    return 'member_inactive';
  end if;
  if p_grant.status = 'expired' or p_grant.valid_until <= now() or p_grant.valid_from > now() then
    return 'expired';
  end if;
  if p_grant.status = 'revoked'
     or (p_grant.source = 'tier' and not exists (
           select 1 from public.tiers t where t.id = p_member.tier_id and t.code = any (coalesce(p_def.grant_on_tiers, '{}'))))
     or (p_def.eligibility is not null
         and not private.benefit_condition_holds(p_def.eligibility, private.benefit_member_context(p_member.id))) then
    return 'not_eligible';
  end if;
  if p_grant.status = 'used_up' or p_grant.uses_left < p_uses then
    return 'used_up';
  end if;
  if p_def.accepting_unit_codes is not null and not (coalesce(p_unit_code, '') = any (p_def.accepting_unit_codes)) then
    return 'not_accepted_here';
  end if;
  if (p_with_points and not p_def.stacks_with_points)
     or (cardinality(p_with_grant_ids) > 0 and (not p_def.stacks_with_benefits or exists (
           select 1 from public.benefit_grants g
           join public.benefit_definitions o on o.key = g.definition_key and o.version = g.definition_version
           where g.id = any (p_with_grant_ids) and not o.stacks_with_benefits))) then
    return 'does_not_stack';
  end if;
  return null;
end
$$;

create or replace function private.raise_benefit_refusal(p_reason text, p_grant public.benefit_grants,
  p_def public.benefit_definitions, p_unit_code text, p_uses int)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_detail text := json_build_object('grant_id', p_grant.id, 'reason', p_reason, 'uses_left', p_grant.uses_left,
    'requested', p_uses, 'valid_until', p_grant.valid_until, 'unit', p_unit_code,
    'accepting_units', p_def.accepting_unit_codes, 'member_id', p_grant.member_id,
    'status', (select m.status from public.members m where m.id = p_grant.member_id))::text;
begin
  case p_reason
    when 'member_inactive' then
      raise exception 'the member is not active: no benefit can be used' using errcode = '22023', hint = 'member_inactive', detail = v_detail;
    when 'expired' then
      raise exception 'benefit grant % is not valid now (valid % to %)', p_grant.id, p_grant.valid_from, p_grant.valid_until
        using errcode = '22023', hint = 'benefit_expired', detail = v_detail;
    when 'not_eligible' then
      raise exception 'the member no longer qualifies for benefit %', p_def.key using errcode = '22023',
        hint = 'benefit_not_eligible', detail = v_detail;
    when 'used_up' then
      raise exception 'benefit grant % has % use(s) left, % requested', p_grant.id, p_grant.uses_left, p_uses
        using errcode = 'P0001', hint = 'benefit_used_up', detail = v_detail;
    when 'not_accepted_here' then
      raise exception 'benefit % is not accepted at unit %', p_def.key, p_unit_code using errcode = '22023',
        hint = 'benefit_not_accepted_here', detail = v_detail;
    else
      raise exception 'benefit % does not stack with points or the other benefits chosen', p_def.key
        using errcode = '22023', hint = 'benefit_does_not_stack', detail = v_detail;
  end case;
end
$$;

-- Uses p_uses of a grant at a unit, under the grant's row lock. p_key is the caller-scoped stored key.
create or replace function private.use_benefit(p_grant_id uuid, p_business_unit_id uuid, p_uses int, p_key text,
  p_with_points boolean, p_with_grant_ids uuid[])
returns public.benefit_uses
language plpgsql security definer set search_path = ''
as $$
declare
  v_grant public.benefit_grants;
  v_def public.benefit_definitions;
  v_member public.members;
  v_use public.benefit_uses;
  v_unit_code text := (select u.code from public.business_units u where u.id = p_business_unit_id);
  v_reason text;
  v_diff text[];
begin
  select g.* into v_grant from public.benefit_grants g where g.id = p_grant_id for update;
  if not found then
    perform private.raise_not_found(format('unknown benefit grant %s', p_grant_id), 'benefit_grant_unknown',
                                    json_build_object('grant_id', p_grant_id)::text);
  end if;
  select u.* into v_use from public.benefit_uses u where u.idempotency_key = p_key;
  if found then
    v_diff := array_remove(array[
      case when v_use.grant_id <> p_grant_id then 'grant' end,
      case when v_use.uses <> p_uses then 'uses' end,
      case when v_use.business_unit_id <> p_business_unit_id then 'business unit' end,
      case when v_use.with_points <> p_with_points then 'with points' end,
      case when v_use.with_grant_ids::text[] <> p_with_grant_ids::text[] then 'other benefits' end], null);
    if cardinality(v_diff) > 0 then
      raise exception 'idempotency key was already used with different parameters: %', array_to_string(v_diff, ', ')
        using errcode = '23505', hint = 'idempotency_key_reused',
        detail = json_build_object('differs', v_diff, 'use_id', v_use.id)::text;
    end if;
    return v_use;
  end if;
  if exists (select 1 from unnest(p_with_grant_ids) o
             where not exists (select 1 from public.benefit_grants g where g.id = o and g.member_id = v_grant.member_id)) then
    raise exception 'the other benefits combined must be grants of the same member' using errcode = '22023',
      hint = 'benefit_with_grants_invalid', detail = json_build_object('grant_id', p_grant_id)::text;
  end if;
  select d.* into v_def from public.benefit_definitions d
  where d.key = v_grant.definition_key and d.version = v_grant.definition_version;
  select m.* into v_member from public.members m where m.id = v_grant.member_id;
  v_reason := private.benefit_refusal(v_grant, v_def, v_member, v_unit_code, p_uses, p_with_points, p_with_grant_ids);
  if v_reason is not null then
    perform private.raise_benefit_refusal(v_reason, v_grant, v_def, v_unit_code, p_uses);
  end if;
  perform set_config('app.reason', 'benefit-use', true);
  update public.benefit_grants
  set uses_left = uses_left - p_uses,
      status = case when uses_left - p_uses = 0 then 'used_up' else status end,
      updated_at = now()
  where id = p_grant_id
  returning * into v_grant;
  insert into public.benefit_uses (grant_id, member_id, business_unit_id, uses, uses_left, idempotency_key,
                                   with_points, with_grant_ids)
  values (v_grant.id, v_grant.member_id, p_business_unit_id, p_uses, v_grant.uses_left, p_key, p_with_points,
          p_with_grant_ids)
  returning * into v_use;
  insert into public.notifications_outbox (member_id, channel, template, payload, dedupe_key)
  values (v_grant.member_id, 'sms', 'benefit_used',
          jsonb_build_object('use_id', v_use.id, 'grant_id', v_grant.id, 'definition_key', v_def.key, 'name', v_def.name,
                             'name_en', v_def.name_en, 'kind', v_def.kind, 'value', v_def.value, 'uses', p_uses,
                             'uses_left', v_grant.uses_left, 'business_unit', v_unit_code, 'used_at', v_use.created_at),
          'use:' || v_use.id);
  perform set_config('app.reason', '', true);
  return v_use;
end
$$;

create or replace function private.assert_benefit_inputs(p_uses int, p_with_grant_ids uuid[], p_grant_id uuid)
returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_max int := (private.benefit_limits() ->> 'max_uses_per_verification')::int;
  v_max_with int := (private.benefit_limits() ->> 'max_with_grants')::int;
begin
  if p_uses is null or p_uses < 1 or p_uses > v_max then
    raise exception 'uses must be a whole number between 1 and %, got %', v_max, coalesce(p_uses::text, 'null')
      using errcode = '22023', hint = 'benefit_uses_invalid', detail = json_build_object('uses', p_uses, 'max', v_max)::text;
  end if;
  if p_with_grant_ids is null or cardinality(p_with_grant_ids) > v_max_with or array_position(p_with_grant_ids, null) is not null
     or p_grant_id = any (p_with_grant_ids)
     or (select count(distinct x) from unnest(p_with_grant_ids) x) <> cardinality(p_with_grant_ids) then
    raise exception 'the other benefits combined are at most % distinct grants, not the one being used', v_max_with
      using errcode = '22023', hint = 'benefit_with_grants_invalid', detail = json_build_object('max', v_max_with)::text;
  end if;
end
$$;

create or replace function public.verify_benefit_use(
  p_grant_id uuid,
  p_business_unit_id uuid,
  p_uses int,
  p_idempotency_key text,
  p_with_points boolean default false,
  p_with_grant_ids uuid[] default '{}'
)
returns public.benefit_uses
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
begin
  perform private.assert_card_access(p_business_unit_id, 'verifying a benefit');
  v_key := private.card_key(p_idempotency_key);
  if p_grant_id is null then
    raise exception 'the benefit grant is required' using errcode = '22023', hint = 'benefit_grant_missing';
  end if;
  perform private.assert_benefit_inputs(p_uses, p_with_grant_ids, p_grant_id);
  return private.use_benefit(p_grant_id, p_business_unit_id, p_uses, v_key, coalesce(p_with_points, false), p_with_grant_ids);
end
$$;
comment on function public.verify_benefit_use(uuid, uuid, int, text, boolean, uuid[]) is
  'Verifies (核销) p_uses of a grant at a unit (staff, managers, directors of the unit): locks the grant, refuses '
  'with member_inactive, benefit_expired, benefit_not_eligible, benefit_used_up, benefit_not_accepted_here or '
  'benefit_does_not_stack, else takes the uses, records the use (audited) and a notice in the outbox. Returns the '
  'use row (uses_left after it). The same key by the same caller returns the first use and changes nothing.';

create or replace function public.redeem_coupon(
  p_code text,
  p_business_unit_id uuid,
  p_idempotency_key text,
  p_with_points boolean default false
)
returns public.benefit_uses
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text;
  v_code text := upper(regexp_replace(coalesce(p_code, ''), '[\s-]', '', 'g'));
  v_grant uuid;
begin
  perform private.assert_card_access(p_business_unit_id, 'redeeming a coupon');
  v_key := private.card_key(p_idempotency_key);
  if v_code = '' then
    raise exception 'the coupon code is required' using errcode = '22023', hint = 'coupon_code_missing';
  end if;
  if v_code ~ '^[A-HJ-NP-Z2-9]{12}$' then
    select g.id into v_grant from public.benefit_grants g where g.code = v_code;
  end if;
  if v_grant is null then
    perform private.raise_not_found(format('unknown coupon code %s', left(p_code, 40)), 'coupon_unknown',
                                    json_build_object('code', left(p_code, 40))::text);
  end if;
  return private.use_benefit(v_grant, p_business_unit_id, 1, v_key, coalesce(p_with_points, false), '{}');
end
$$;
comment on function public.redeem_coupon(text, uuid, text, boolean) is
  'Redeems the single use of a coupon by its code (case-insensitive, spaces and dashes ignored) at a unit, with the '
  'checks of verify_benefit_use; coupon_unknown for a code no grant carries.';

-- The member's grants as the counter of unit p_business_unit_id sees them: active ones and those refused or
-- finished in the last recent_days, each with whether it is usable here now and why not.
create or replace function public.usable_benefits(p_member_id uuid, p_business_unit_id uuid)
returns table (grant_id uuid, definition_key text, definition_version int, name text, name_en text, kind text,
  value int, uses_total int, uses_left int, valid_from timestamptz, valid_until timestamptz, code text,
  source text, status text, accepting_unit_codes text[], stacks_with_points boolean, stacks_with_benefits boolean,
  usable boolean, refusal text)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_member public.members;
  v_unit_code text;
  v_recent interval := make_interval(days => (private.benefit_limits() ->> 'recent_days')::int);
begin
  perform private.assert_card_access(p_business_unit_id, 'reading a member''s benefits');
  if p_member_id is null then
    raise exception 'member is required' using errcode = '22023', hint = 'member_missing';
  end if;
  select m.* into v_member from public.members m where m.id = p_member_id;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
                                    json_build_object('member_id', p_member_id)::text);
  end if;
  v_unit_code := (select u.code from public.business_units u where u.id = p_business_unit_id);
  return query
  select g.id, g.definition_key, g.definition_version, d.name, d.name_en, d.kind, d.value, g.uses_total, g.uses_left,
         g.valid_from, g.valid_until, g.code, g.source, g.status, d.accepting_unit_codes, d.stacks_with_points,
         d.stacks_with_benefits, r.refusal is null, r.refusal
  from public.benefit_grants g
  join public.benefit_definitions d on d.key = g.definition_key and d.version = g.definition_version
  cross join lateral (select private.benefit_refusal(g, d, v_member, v_unit_code, 1, false, '{}') as refusal) r
  where g.member_id = p_member_id and (g.status = 'active' or g.updated_at > now() - v_recent)
  order by r.refusal is not null, g.valid_until, g.id
  limit 200;
end
$$;
comment on function public.usable_benefits(uuid, uuid) is
  'The member''s active grants and those refused or finished in the last 30 days, with usable and refusal '
  '(not_eligible, used_up, expired, not_accepted_here, does_not_stack, member_inactive) at unit p_business_unit_id now.';

-- ── Manual grants through approval (flow benefit-grant) ─────────────────────────────────
create or replace function public.request_benefit_grant(
  p_member_id uuid,
  p_definition_key text,
  p_uses int,
  p_reason text,
  p_business_unit_id uuid,
  p_idempotency_key text
)
returns public.approval_requests
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_max int := (private.benefit_limits() ->> 'max_manual_uses')::int;
  v_flow public.approval_flows;
  v_def public.benefit_definitions;
  v_request public.approval_requests;
  v_status public.member_status;
  v_reason text := nullif(btrim(p_reason), '');
begin
  if v_user is null then
    raise exception 'permission denied: manual grants are requested by a signed-in staff member' using errcode = '42501',
      hint = 'not_signed_in', detail = json_build_object('action', 'request_benefit_grant')::text;
  end if;
  if p_business_unit_id is null or not private.has_any_role('{staff,manager,director}'::public.app_role[], p_business_unit_id) then
    raise exception 'permission denied: requests for business unit % need the staff, manager or director role there',
      coalesce(p_business_unit_id::text, '(none)') using errcode = '42501', hint = 'unit_role_required',
      detail = json_build_object('action', 'request_benefit_grant', 'business_unit_id', p_business_unit_id)::text;
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
  select d.* into v_def from public.benefit_definitions d where d.key = p_definition_key and d.status = 'published';
  if not found then
    raise exception 'benefit % is not published', coalesce(p_definition_key, 'null') using errcode = '22023',
      hint = 'benefit_definition_unknown', detail = json_build_object('key', p_definition_key)::text;
  end if;
  if p_uses is null or p_uses < 1 or p_uses > v_max or (v_def.kind = 'coupon' and p_uses <> 1) then
    raise exception 'uses must be a whole number between 1 and % (a coupon: 1), got %', v_max, coalesce(p_uses::text, 'null')
      using errcode = '22023', hint = 'benefit_uses_invalid', detail = json_build_object('uses', p_uses, 'max', v_max)::text;
  end if;
  if v_reason is null or length(v_reason) > 500 then
    raise exception 'a reason of 1 to 500 characters is required' using errcode = '22023',
      hint = 'reason_required', detail = json_build_object('max', 500)::text;
  end if;
  select m.status into v_status from public.members m where m.id = p_member_id and m.merged_into is null;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
                                    json_build_object('member_id', p_member_id)::text);
  end if;
  if v_status <> 'active' then
    raise exception 'member % is %: no benefit can be granted', p_member_id, v_status using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_member_id, 'status', v_status)::text;
  end if;
  select * into v_flow from public.approval_flows f where f.key = 'benefit-grant' and f.status = 'published';
  if not found then
    raise exception 'approval flow benefit-grant is not published' using errcode = '22023',
      hint = 'flow_unknown', detail = json_build_object('flow_key', 'benefit-grant')::text;
  end if;
  insert into public.approval_requests (flow_id, action, business_unit_id, member_id, data, requested_by, idempotency_key)
  values (v_flow.id, v_flow.action, p_business_unit_id, p_member_id,
          jsonb_build_object('member_id', p_member_id, 'definition_key', v_def.key, 'definition_version', v_def.version,
                             'name', v_def.name, 'name_en', v_def.name_en, 'kind', v_def.kind, 'value', v_def.value,
                             'uses', p_uses, 'reason', v_reason),
          v_user, p_idempotency_key)
  returning * into v_request;
  perform private.approval_event(v_request.id, 'submitted', null, null,
    jsonb_build_object('flow_key', v_flow.key, 'flow_version', v_flow.version));
  if not private.open_next_step(v_request, 0) then
    raise exception 'approval flow benefit-grant has no step that applies' using errcode = '22023',
      hint = 'flow_without_unconditional_step', detail = json_build_object('flow_key', v_flow.key)::text;
  end if;
  select * into v_request from public.approval_requests r where r.id = v_request.id;
  return v_request;
end
$$;
comment on function public.request_benefit_grant(uuid, text, int, text, uuid, text) is
  'Asks for a manual grant of p_uses of published benefit p_definition_key to a member, through the approval flow '
  'benefit-grant (the unit''s manager; the director too above director_above_uses uses). Staff, managers and '
  'directors of the unit; a repeat of the key by the same user returns the request it made. The final approval '
  'grants once (source approval, source_ref the request id).';

-- The approved request's grant, as the system. Raises (failing the request) when the member is no longer active.
create or replace function private.run_benefit_grant(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_def public.benefit_definitions;
  v_uses int := (p_request.data ->> 'uses')::int;
  v_grant public.benefit_grants;
  v_status public.member_status;
begin
  select d.* into v_def from public.benefit_definitions d
  where d.key = p_request.data ->> 'definition_key' and d.version = (p_request.data ->> 'definition_version')::int;
  if not found or v_def.status = 'draft' then
    raise exception 'benefit % version % is unknown', p_request.data ->> 'definition_key', p_request.data ->> 'definition_version'
      using errcode = '22023', hint = 'benefit_definition_unknown';
  end if;
  select m.status into v_status from public.members m where m.id = p_request.member_id and m.merged_into is null;
  if v_status is distinct from 'active' then
    raise exception 'member % is not active: no benefit can be granted', p_request.member_id using errcode = '22023',
      hint = 'member_inactive', detail = json_build_object('member_id', p_request.member_id)::text;
  end if;
  perform set_config('app.reason', 'approval-request', true);
  insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
    uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
  values (p_request.member_id, v_def.key, v_def.version, 'approval', p_request.id::text, 'once', v_uses, v_uses, now(),
          now() + make_interval(days => v_def.validity_days),
          case when v_def.kind = 'coupon' then private.new_coupon_code() end, v_def.issuing_unit_id)
  on conflict (member_id, definition_key, source, source_ref, period_key) do nothing
  returning * into v_grant;
  if v_grant.id is null then
    select g.* into v_grant from public.benefit_grants g
    where g.member_id = p_request.member_id and g.definition_key = v_def.key and g.source = 'approval'
      and g.source_ref = p_request.id::text and g.period_key = 'once';
  end if;
  return jsonb_build_object('grant_id', v_grant.id, 'definition_key', v_grant.definition_key, 'uses', v_grant.uses_total,
                            'valid_until', v_grant.valid_until, 'code', v_grant.code);
end
$$;
-- Flows of benefit_grant name no form (request_benefit_grant checks its arguments); requests are for one member at one unit.
call private.register_approval_action('benefit_grant', 'private.run_benefit_grant(public.approval_requests)',
  false, 'required', 'required');

-- ── Policies and grants ──────────────────────────────────────────────────────────────────
alter table public.benefit_grants enable row level security;
alter table public.benefit_uses enable row level security;
-- Staff read every member (staff read members), so they read their grants and uses; only the functions write.
create policy "staff read benefit grants" on public.benefit_grants
  for select to authenticated using ((select private.is_staff_user()));
create policy "staff read benefit uses" on public.benefit_uses
  for select to authenticated using ((select private.is_staff_user()));

revoke all on public.benefit_definitions, public.benefit_grants, public.benefit_uses from anon, authenticated, service_role;
grant select, insert, update, delete on public.benefit_definitions to authenticated, service_role;
grant select on public.benefit_grants, public.benefit_uses to authenticated, service_role;

revoke all on function private.benefit_limits(), private.benefit_kinds(), private.benefit_sources(), private.benefit_refusals(),
  private.benefit_member_context(uuid), private.benefit_condition_holds(jsonb, jsonb), private.check_benefit_definition(),
  private.guard_benefit_grant(), private.notify_benefit_grant(), private.benefit_period(text, timestamptz),
  private.new_coupon_code(), private.assert_benefit_as_of(timestamptz),
  private.grant_tier_benefits(timestamptz, uuid[]), private.grant_tier_benefits_unchecked(timestamptz, uuid[]),
  private.grant_benefits_on_tier_change(), private.grant_birthday_benefits(timestamptz, uuid[]),
  private.grant_transaction_benefits(uuid[]), private.grant_benefits_after_earn(uuid[]),
  private.expire_benefit_grants(timestamptz),
  private.benefit_refusal(public.benefit_grants, public.benefit_definitions, public.members, text, int, boolean, uuid[]),
  private.raise_benefit_refusal(text, public.benefit_grants, public.benefit_definitions, text, int),
  private.use_benefit(uuid, uuid, int, text, boolean, uuid[]), private.assert_benefit_inputs(int, uuid[], uuid),
  private.run_benefit_grant(public.approval_requests)
  from public, anon, authenticated;
grant execute on function private.grant_benefits_after_earn(uuid[]) to service_role;
revoke all on function public.publish_benefit(text, int), public.run_benefit_grants(timestamptz, uuid[]),
  public.verify_benefit_use(uuid, uuid, int, text, boolean, uuid[]), public.redeem_coupon(text, uuid, text, boolean),
  public.usable_benefits(uuid, uuid), public.request_benefit_grant(uuid, text, int, text, uuid, text)
  from public, anon;
grant execute on function public.publish_benefit(text, int),
  public.verify_benefit_use(uuid, uuid, int, text, boolean, uuid[]), public.redeem_coupon(text, uuid, text, boolean),
  public.usable_benefits(uuid, uuid), public.request_benefit_grant(uuid, text, int, text, uuid, text)
  to authenticated, service_role;
revoke all on function public.run_benefit_grants(timestamptz, uuid[]) from authenticated;
grant execute on function public.run_benefit_grants(timestamptz, uuid[]) to service_role;

-- ── Publishing through approval ──────────────────────────────────────────────────────────
-- Benefits join the kinds whose publishing an administrator may put under approval (flow definition-publish,
-- core/enums/approvals.ts PUBLISH_APPROVAL_KINDS): publish_benefit then refuses users and
-- request_definition_publish('benefit', key, version, key) asks for it.
create or replace function private.publish_approval_kinds()
returns text[]
language sql immutable
as $$ select array['rule', 'approval_flow', 'form', 'benefit'] $$;
