-- Unit API keys: a service account per business unit, and keys that act only for that unit.
--
-- A unit's own systems (POS, PMS, billing) call the API with a key `uk_…` instead of a staff login. The API
-- gateway hashes the presented key and asks `api_key_authenticate` (service role only) who it is; it then
-- forwards the request with a short-lived JWT for the database role `unit_api`, whose `sub` is the unit's
-- service account and which names the key (`api_key_id`). That role may execute only the `unit_*` functions
-- below and read nothing else, so the OpenAPI PostgREST serves to it lists exactly what a key may call.
-- Each `unit_*` function checks the key again (revoked or expired keys are refused even with a live token),
-- refuses any other unit, writes an audit row (action CALL, with the key) and calls the same function a staff
-- login of that unit calls: the service account holds the role `staff` for its unit and nothing more, so a
-- key mints no points, money or benefits a staff login of the unit could not (DESIGN.md 6).
-- The secret is shown once, at creation or rotation; only its SHA-256 is stored (private.api_key_secrets).
-- A rotation keeps the old secret working for an overlap (60 minutes by default, 0 to 1,440) so the unit's
-- systems can switch; a revocation ends a key at once.

-- ── The database role of a unit key ──────────────────────────────────────────────────────
-- Roles are platform set-up, not migrations: the local bootstrap creates `unit_api` (NOLOGIN NOINHERIT); on a
-- hosted project an administrator adds it once by hand, before this migration (README, Unit API keys).
do $$
begin
  if not exists (select from pg_roles where rolname = 'unit_api') then
    raise exception 'the database role unit_api is missing: create it first (README, Unit API keys)'
      using errcode = '42704', hint = 'unit_api_role_missing', detail = '{}';
  end if;
end
$$;
grant unit_api to authenticator;
grant usage on schema public to unit_api;

-- Functions in `public` that PUBLIC may execute would be callable by a unit key too: PUBLIC's right moves to
-- the API roles that had it through PUBLIC (same rights for them), so unit_api gets only what is granted below.
do $$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure from pg_proc p
    where p.pronamespace = 'public'::regnamespace
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
      and has_function_privilege('unit_api', p.oid, 'execute')
  loop
    execute format('grant execute on function %s to anon, authenticated, service_role', v_fn);
    execute format('revoke execute on function %s from public', v_fn);
  end loop;
end
$$;

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.api_service_accounts (
  business_unit_id uuid primary key references public.business_units (id),
  user_id uuid not null unique references public.staff_profiles (user_id),
  created_at timestamptz not null default now()
);
comment on table public.api_service_accounts is
  'The service account of each business unit that has API keys: a user who cannot sign in and holds only the '
  'role staff for its unit. Created with the unit''s first key.';

create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  business_unit_id uuid not null references public.business_units (id),
  name text not null check (name = btrim(name) and length(name) between 1 and 60),
  prefix text not null check (prefix ~ '^uk_[A-Za-z0-9_-]{8}$'),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz check (expires_at is null or (expires_at >= created_at and expires_at < 'infinity')),
  revoked_at timestamptz check (revoked_at is null or revoked_at < 'infinity'),
  revoked_by uuid references auth.users (id) on delete set null,
  revoke_reason text check (revoke_reason is null or length(revoke_reason) between 1 and 200),
  rotated_from uuid references public.api_keys (id),
  constraint api_keys_revocation check ((revoked_at is null) = (revoke_reason is null))
);
create index api_keys_unit_idx on public.api_keys (business_unit_id);
comment on table public.api_keys is
  'API keys of business units (接口密钥). The secret is never stored; `prefix` (its first characters) identifies '
  'it. expires_at is set by a rotation (the overlap), revoked_at by a revocation.';

create table private.api_key_secrets (
  key_id uuid primary key references public.api_keys (id),
  secret_hash bytea not null unique check (length(secret_hash) = 32)
);
comment on table private.api_key_secrets is 'SHA-256 of each key''s secret; never readable through the API.';
alter table private.api_key_secrets enable row level security;
revoke all on private.api_key_secrets from public, anon, authenticated, service_role;

create trigger audit after insert or update or delete on public.api_keys
  for each row execute function private.audit_row();
create trigger audit after insert or update or delete on public.api_service_accounts
  for each row execute function private.audit_row('business_unit_id');

alter table public.api_keys enable row level security;
alter table public.api_service_accounts enable row level security;
create policy "admins read api keys" on public.api_keys
  for select to authenticated using ((select private.has_role('admin')));
create policy "staff read service accounts" on public.api_service_accounts
  for select to authenticated using ((select private.is_staff_user()));
revoke all on public.api_keys, public.api_service_accounts from anon, authenticated;
grant select on public.api_keys, public.api_service_accounts to authenticated;
grant all on public.api_keys, public.api_service_accounts to service_role;

-- A service account holds the role staff for its own unit and nothing else, whoever edits its roles.
create or replace function private.guard_service_account_roles()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_unit uuid;
begin
  select sa.business_unit_id into v_unit from public.api_service_accounts sa where sa.user_id = new.user_id;
  if found and (new.role <> 'staff' or new.business_unit_id is distinct from v_unit) then
    raise exception 'a unit''s service account holds only the role staff for its unit' using errcode = '42501',
      hint = 'service_account_role', detail = json_build_object('user_id', new.user_id, 'role', new.role)::text;
  end if;
  return new;
end
$$;
create trigger guard_service_account before insert or update on public.role_assignments
  for each row execute function private.guard_service_account_roles();

-- ── Limits ───────────────────────────────────────────────────────────────────────────────
create or replace function private.api_key_limits()
returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object('default_overlap_minutes', 60, 'max_overlap_minutes', 1440, 'token_seconds', 60,
                            'max_keys_per_unit', 20)
$$;
comment on function private.api_key_limits() is
  'Unit API key limits: a rotation''s overlap (default, max), the lifetime of the gateway''s token, active keys per unit.';

-- ── Helpers ──────────────────────────────────────────────────────────────────────────────
create or replace function private.assert_admin(p_action text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.has_role('admin') then
    raise exception 'permission denied: only administrators %', p_action using errcode = '42501',
      hint = 'api_keys_admin_only', detail = json_build_object('action', p_action)::text;
  end if;
end
$$;

-- The service account of a unit, created with its first key.
create or replace function private.api_service_account(p_business_unit_id uuid)
returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid;
  v_unit public.business_units;
begin
  select * into v_unit from public.business_units where id = p_business_unit_id;
  perform pg_advisory_xact_lock(hashtextextended('api_service_account:' || p_business_unit_id::text, 0));
  select user_id into v_user from public.api_service_accounts where business_unit_id = p_business_unit_id;
  if found then
    return v_user;
  end if;
  v_user := gen_random_uuid();
  -- No password and banned: the account never signs in; it acts only through its unit's keys.
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data,
                          raw_user_meta_data, banned_until, created_at, updated_at)
  values ('00000000-0000-0000-0000-000000000000', v_user, 'authenticated', 'authenticated',
          'api+' || v_unit.code || '@service.invalid', null,
          jsonb_build_object('provider', 'service_account', 'business_unit_id', p_business_unit_id), '{}',
          'infinity', now(), now());
  insert into public.staff_profiles (user_id, display_name, email, home_business_unit_id, locale)
  values (v_user, left('接口账号 · ' || v_unit.name, 100), 'api+' || v_unit.code || '@service.invalid', p_business_unit_id, 'zh-CN');
  insert into public.api_service_accounts (business_unit_id, user_id) values (p_business_unit_id, v_user);
  insert into public.role_assignments (user_id, role, business_unit_id) values (v_user, 'staff', p_business_unit_id);
  return v_user;
end
$$;

-- A new secret: uk_ + 43 URL-safe characters (32 random bytes); stored as its SHA-256 only.
create or replace function private.new_api_key(p_business_unit_id uuid, p_name text, p_rotated_from uuid)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_secret text := 'uk_' || rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  v_id uuid;
begin
  insert into public.api_keys (business_unit_id, name, prefix, created_by, rotated_from)
  values (p_business_unit_id, p_name, left(v_secret, 11), (select auth.uid()), p_rotated_from)
  returning id into v_id;
  insert into private.api_key_secrets (key_id, secret_hash)
  values (v_id, extensions.digest(convert_to(v_secret, 'UTF8'), 'sha256'));
  return jsonb_build_object('id', v_id, 'secret', v_secret, 'prefix', left(v_secret, 11),
                            'business_unit_id', p_business_unit_id);
end
$$;

-- Why a key is not usable now, or null.
create or replace function private.api_key_refusal(p_key public.api_keys)
returns text
language sql stable set search_path = ''
as $$
  select case
    when p_key.id is null then 'api_key_unknown'
    when p_key.revoked_at is not null then 'api_key_revoked'
    when p_key.expires_at is not null and p_key.expires_at <= now() then 'api_key_expired'
    when not exists (select 1 from public.business_units bu where bu.id = p_key.business_unit_id and bu.active)
      then 'api_key_unit_inactive'
  end
$$;

create or replace function private.raise_api_key_refusal(p_refusal text, p_key_id uuid)
returns void
language plpgsql set search_path = ''
as $$
declare
  v_detail text := json_build_object('key_id', p_key_id)::text;
begin
  case p_refusal
    when 'api_key_revoked' then
      raise exception 'the API key was revoked' using errcode = '28000', hint = 'api_key_revoked', detail = v_detail;
    when 'api_key_expired' then
      raise exception 'the API key has expired (its rotation overlap ended)' using errcode = '28000',
        hint = 'api_key_expired', detail = v_detail;
    when 'api_key_unit_inactive' then
      raise exception 'the API key''s business unit is inactive' using errcode = '28000',
        hint = 'api_key_unit_inactive', detail = v_detail;
    else
      raise exception 'unknown API key' using errcode = '28000', hint = 'api_key_unknown', detail = v_detail;
  end case;
end
$$;

-- ── Administration (接口密钥 page) ───────────────────────────────────────────────────────
create or replace function public.create_api_key(p_business_unit_id uuid, p_name text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_name text := btrim(coalesce(p_name, ''));
begin
  perform private.assert_admin('create API keys');
  if length(v_name) not between 1 and 60 then
    raise exception 'a key is named in 1 to 60 characters' using errcode = '22023', hint = 'api_key_name_invalid',
      detail = json_build_object('length', length(v_name))::text;
  end if;
  if not exists (select 1 from public.business_units where id = p_business_unit_id and active) then
    raise exception 'no active business unit %', p_business_unit_id using errcode = '22023', hint = 'api_key_unit_invalid',
      detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  perform private.api_service_account(p_business_unit_id);
  if (select count(*) from public.api_keys k where k.business_unit_id = p_business_unit_id and k.revoked_at is null
        and (k.expires_at is null or k.expires_at > now())) >= (private.api_key_limits() ->> 'max_keys_per_unit')::int then
    raise exception 'a business unit has at most % usable keys', private.api_key_limits() ->> 'max_keys_per_unit'
      using errcode = '22023', hint = 'api_key_too_many',
      detail = json_build_object('max', (private.api_key_limits() ->> 'max_keys_per_unit')::int)::text;
  end if;
  return private.new_api_key(p_business_unit_id, v_name, null);
end
$$;
comment on function public.create_api_key(uuid, text) is
  'Administrators: a new key for a business unit (creating its service account the first time). Returns the '
  'secret, shown once; only its hash is kept. Audited.';

create or replace function public.rotate_api_key(p_key_id uuid, p_overlap_minutes int default 60)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys;
  v_refusal text;
  v_new jsonb;
  v_until timestamptz;
begin
  perform private.assert_admin('rotate API keys');
  if p_overlap_minutes is null or p_overlap_minutes < 0
     or p_overlap_minutes > (private.api_key_limits() ->> 'max_overlap_minutes')::int then
    raise exception 'the overlap is 0 to % minutes', private.api_key_limits() ->> 'max_overlap_minutes'
      using errcode = '22023', hint = 'api_key_overlap_invalid',
      detail = json_build_object('max', (private.api_key_limits() ->> 'max_overlap_minutes')::int,
                                 'overlap', p_overlap_minutes)::text;
  end if;
  select * into v_key from public.api_keys where id = p_key_id for update;
  v_refusal := private.api_key_refusal(v_key);
  if v_refusal is not null then
    perform private.raise_api_key_refusal(v_refusal, p_key_id);
  end if;
  if v_key.expires_at is not null then
    raise exception 'this key was already rotated' using errcode = '22023', hint = 'api_key_already_rotated',
      detail = json_build_object('key_id', p_key_id)::text;
  end if;
  v_until := now() + make_interval(mins => p_overlap_minutes);
  perform set_config('app.reason', 'api-key-rotate', true);
  update public.api_keys set expires_at = v_until where id = p_key_id;
  v_new := private.new_api_key(v_key.business_unit_id, v_key.name, p_key_id);
  perform set_config('app.reason', '', true);
  return v_new || jsonb_build_object('old_key_expires_at', v_until);
end
$$;
comment on function public.rotate_api_key(uuid, int) is
  'Administrators: a new secret for a key. The old secret keeps working for the overlap (default 60 minutes, '
  'at most 1,440; 0 ends it at once), then is refused (api_key_expired). Returns the new secret, shown once.';

create or replace function public.revoke_api_key(p_key_id uuid, p_reason text)
returns public.api_keys
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys;
  v_reason text := btrim(coalesce(p_reason, ''));
begin
  perform private.assert_admin('revoke API keys');
  if length(v_reason) not between 1 and 200 then
    raise exception 'a revocation gives its reason (1 to 200 characters)' using errcode = '22023',
      hint = 'api_key_reason_required', detail = json_build_object('length', length(v_reason))::text;
  end if;
  select * into v_key from public.api_keys where id = p_key_id for update;
  if not found then
    raise exception 'no API key %', p_key_id using errcode = '22023', hint = 'api_key_unknown',
      detail = json_build_object('key_id', p_key_id)::text;
  end if;
  if v_key.revoked_at is not null then
    raise exception 'the key is already revoked' using errcode = '22023', hint = 'api_key_revoked',
      detail = json_build_object('key_id', p_key_id)::text;
  end if;
  perform set_config('app.reason', v_reason, true);
  update public.api_keys set revoked_at = now(), revoked_by = (select auth.uid()), revoke_reason = v_reason
  where id = p_key_id returning * into v_key;
  perform set_config('app.reason', '', true);
  return v_key;
end
$$;
comment on function public.revoke_api_key(uuid, text) is
  'Administrators: ends a key at once, with the reason in the audit log.';

-- ── The gateway's question: who is this key? ─────────────────────────────────────────────
create or replace function public.api_key_authenticate(p_secret text)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_key public.api_keys;
  v_refusal text;
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: only the API gateway authenticates keys' using errcode = '42501',
      hint = 'system_job_only', detail = '{}';
  end if;
  if p_secret is null or p_secret !~ '^uk_[A-Za-z0-9_-]{43}$' then
    perform private.raise_api_key_refusal('api_key_unknown', null);
  end if;
  select k.* into v_key from private.api_key_secrets s join public.api_keys k on k.id = s.key_id
  where s.secret_hash = extensions.digest(convert_to(p_secret, 'UTF8'), 'sha256');
  v_refusal := private.api_key_refusal(v_key);
  if v_refusal is not null then
    perform private.raise_api_key_refusal(v_refusal, v_key.id);
  end if;
  return jsonb_build_object(
    'key_id', v_key.id,
    'business_unit_id', v_key.business_unit_id,
    'account_id', (select sa.user_id from public.api_service_accounts sa where sa.business_unit_id = v_key.business_unit_id),
    'token_seconds', (private.api_key_limits() ->> 'token_seconds')::int);
end
$$;
comment on function public.api_key_authenticate(text) is
  'The API gateway (service role) asks who a presented key is: its key id, unit and service account, or a '
  'refusal (28000 api_key_unknown / api_key_revoked / api_key_expired / api_key_unit_inactive).';

-- ── The caller of a unit_* function ──────────────────────────────────────────────────────
-- The key behind the current request, checked again now (a token outlives nothing: revoked is revoked).
-- Then the request acts as the unit's service account, a signed-in staff user of that unit: the claims become
-- role authenticated with the account as sub (keeping api_key_id, which the audit trail records), so every
-- check of the functions it calls (private.assert_ledger_access, has_any_role...) applies unchanged.
create or replace function private.api_caller(p_unit uuid default null)
returns public.api_keys
language plpgsql security definer set search_path = ''
as $$
declare
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  v_key public.api_keys;
  v_refusal text;
begin
  if coalesce(v_claims ->> 'role', '') <> 'unit_api' or coalesce(v_claims ->> 'api_key_id', '') !~ '^[0-9a-f-]{36}$' then
    raise exception 'permission denied: only a unit API key calls this' using errcode = '42501',
      hint = 'api_key_required', detail = '{}';
  end if;
  select * into v_key from public.api_keys where id = (v_claims ->> 'api_key_id')::uuid;
  v_refusal := private.api_key_refusal(v_key);
  if v_refusal is null and not exists (
      select 1 from public.api_service_accounts sa
      where sa.business_unit_id = v_key.business_unit_id and sa.user_id = (select auth.uid())) then
    v_refusal := 'api_key_unknown';
  end if;
  if v_refusal is not null then
    perform private.raise_api_key_refusal(v_refusal, v_key.id);
  end if;
  if p_unit is not null and p_unit <> v_key.business_unit_id then
    raise exception 'permission denied: this key acts only for its own business unit' using errcode = '42501',
      hint = 'api_key_wrong_unit',
      detail = json_build_object('business_unit_id', p_unit, 'key_business_unit_id', v_key.business_unit_id)::text;
  end if;
  perform set_config('request.jwt.claims',
    jsonb_build_object('role', 'authenticated', 'aud', 'authenticated', 'sub', auth.uid(), 'api_key_id', v_key.id,
                       'business_unit_id', v_key.business_unit_id, 'exp', v_claims -> 'exp')::text, true);
  return v_key;
end
$$;

-- One audit row per successful call: which function, which key (api_key_id, set by the audit chain trigger
-- from the token) and unit, with its arguments and the id of what it made.
create or replace function private.api_audit_call(p_key public.api_keys, p_call text, p_args jsonb, p_result_id text)
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.audit_log (table_name, record_id, action, actor_id, actor_role, after, reason)
  values ('api_calls', p_call, 'CALL', (select auth.uid()), 'unit_api',
          jsonb_build_object('key_id', p_key.id, 'key_prefix', p_key.prefix, 'business_unit_id', p_key.business_unit_id,
                             'arguments', p_args, 'result_id', p_result_id),
          'api-call');
end
$$;

-- ── What a unit key may call ─────────────────────────────────────────────────────────────
create or replace function public.unit_find_member(p_phone text default null, p_member_code text default null)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys := private.api_caller();
  v_code text := btrim(coalesce(p_member_code, ''));
  v_ids uuid[];
  v_found jsonb;
begin
  if (p_phone is null) = (p_member_code is null) then
    raise exception 'look a member up by phone or by member code, one of them' using errcode = '22023',
      hint = 'api_lookup_invalid', detail = '{}';
  end if;
  if p_phone is not null then
    if p_phone !~ '^1[3-9][0-9]{9}$' then
      raise exception 'not a mainland mobile number' using errcode = '22023', hint = 'api_lookup_invalid',
        detail = json_build_object('field', 'phone')::text;
    end if;
    select array_agg(m.id) into v_ids from public.members m where m.phone = p_phone and m.merged_into is null;
  else
    if length(v_code) not between 2 and 64 then
      raise exception 'a member code has 2 to 64 characters' using errcode = '22023', hint = 'api_lookup_invalid',
        detail = json_build_object('field', 'member_code')::text;
    end if;
    -- The member number, or this unit's own member id (another unit's ids are not searched).
    select array_agg(distinct coalesce(m.merged_into, m.id)) into v_ids
    from public.members m
    where m.member_no = upper(v_code)
       or m.id in (select i.member_id from public.member_identities i
                   where i.business_unit_id = v_key.business_unit_id and i.external_id = v_code);
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
           'member_id', m.id, 'member_no', m.member_no, 'name', m.name, 'status', m.status,
           'tier', t.code, 'points_balance', coalesce(b.balance, 0),
           'unit_member_id', (select i.external_id from public.member_identities i
                              where i.member_id = m.id and i.business_unit_id = v_key.business_unit_id
                              order by i.created_at limit 1)) order by m.member_no), '[]'::jsonb)
    into v_found
  from public.members m
  join public.tiers t on t.id = m.tier_id
  left join public.point_balances b on b.member_id = m.id
  where m.id = any (coalesce(v_ids, '{}'));
  perform private.api_audit_call(v_key, 'unit_find_member',
    jsonb_build_object('by', case when p_phone is not null then 'phone' else 'member_code' end), jsonb_array_length(v_found)::text);
  return v_found;
end
$$;
comment on function public.unit_find_member(text, text) is
  'Unit API: a member by phone or member code (the member number or this unit''s own member id): id, number, '
  'name, status, tier, points balance and this unit''s member id. An empty array when none matches.';

create or replace function public.unit_record_transaction(
  p_member_id uuid,
  p_order_no text,
  p_amount numeric,
  p_channel text default 'pos',
  p_occurred_at timestamptz default now(),
  p_items jsonb default '[]',
  p_business_unit_id uuid default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys := private.api_caller(p_business_unit_id);
  v_result jsonb;
begin
  v_result := public.record_transaction(p_member_id, v_key.business_unit_id, p_order_no, p_amount, p_channel,
                                        p_occurred_at, p_items);
  perform private.api_audit_call(v_key, 'unit_record_transaction',
    jsonb_build_object('member_id', p_member_id, 'order_no', p_order_no, 'amount', p_amount, 'channel', p_channel),
    coalesce(v_result ->> 'id', v_result ->> 'transaction_id'));
  return v_result;
end
$$;
comment on function public.unit_record_transaction(uuid, text, numeric, text, timestamptz, jsonb, uuid) is
  'Unit API: records a purchase at the key''s unit (record_transaction with a staff login''s checks and caps); '
  'the engine earns its points by the rules. p_business_unit_id, when given, must be the key''s unit.';

create or replace function public.unit_redeem_points(
  p_member_id uuid,
  p_points int,
  p_idempotency_key text,
  p_reason text default null,
  p_business_unit_id uuid default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys := private.api_caller(p_business_unit_id);
  v_result jsonb;
begin
  v_result := public.redeem_points(p_member_id, v_key.business_unit_id, p_points, p_idempotency_key, p_reason);
  perform private.api_audit_call(v_key, 'unit_redeem_points',
    jsonb_build_object('member_id', p_member_id, 'points', p_points, 'idempotency_key', p_idempotency_key),
    coalesce(v_result ->> 'entry_id', v_result ->> 'id'));
  return v_result;
end
$$;
comment on function public.unit_redeem_points(uuid, int, text, text, uuid) is
  'Unit API: redeems points at the key''s unit (redeem_points: FIFO, never below zero, idempotent per unit and key).';

create or replace function public.unit_member_benefits(p_member_id uuid)
returns setof jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys := private.api_caller();
begin
  return query select to_jsonb(b) from public.usable_benefits(p_member_id, v_key.business_unit_id) b;
end
$$;
comment on function public.unit_member_benefits(uuid) is
  'Unit API: the member''s benefits at the key''s unit, usable or with the reason why not (usable_benefits).';

create or replace function public.unit_verify_benefit(
  p_grant_id uuid,
  p_uses int,
  p_idempotency_key text,
  p_with_points boolean default false,
  p_business_unit_id uuid default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys := private.api_caller(p_business_unit_id);
  v_use public.benefit_uses;
begin
  v_use := public.verify_benefit_use(p_grant_id, v_key.business_unit_id, p_uses, p_idempotency_key, p_with_points, '{}');
  perform private.api_audit_call(v_key, 'unit_verify_benefit',
    jsonb_build_object('grant_id', p_grant_id, 'uses', p_uses, 'idempotency_key', p_idempotency_key), v_use.id::text);
  return to_jsonb(v_use);
end
$$;
comment on function public.unit_verify_benefit(uuid, int, text, boolean, uuid) is
  'Unit API: verifies uses of a benefit grant at the key''s unit (verify_benefit_use, as the unit''s counter staff).';

create or replace function public.unit_redeem_coupon(
  p_code text,
  p_idempotency_key text,
  p_with_points boolean default false,
  p_business_unit_id uuid default null
)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key public.api_keys := private.api_caller(p_business_unit_id);
  v_use public.benefit_uses;
begin
  v_use := public.redeem_coupon(p_code, v_key.business_unit_id, p_idempotency_key, p_with_points);
  perform private.api_audit_call(v_key, 'unit_redeem_coupon',
    jsonb_build_object('idempotency_key', p_idempotency_key), v_use.id::text);
  return to_jsonb(v_use);
end
$$;
comment on function public.unit_redeem_coupon(text, text, boolean, uuid) is
  'Unit API: redeems a coupon by its code at the key''s unit (redeem_coupon).';

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.create_api_key(uuid, text), public.rotate_api_key(uuid, int),
  public.revoke_api_key(uuid, text), public.api_key_authenticate(text),
  public.unit_find_member(text, text), public.unit_record_transaction(uuid, text, numeric, text, timestamptz, jsonb, uuid),
  public.unit_redeem_points(uuid, int, text, text, uuid), public.unit_member_benefits(uuid),
  public.unit_verify_benefit(uuid, int, text, boolean, uuid), public.unit_redeem_coupon(text, text, boolean, uuid)
  from public, anon, authenticated;
grant execute on function public.create_api_key(uuid, text), public.rotate_api_key(uuid, int),
  public.revoke_api_key(uuid, text) to authenticated, service_role;
grant execute on function public.api_key_authenticate(text) to service_role;
grant execute on function public.unit_find_member(text, text),
  public.unit_record_transaction(uuid, text, numeric, text, timestamptz, jsonb, uuid),
  public.unit_redeem_points(uuid, int, text, text, uuid), public.unit_member_benefits(uuid),
  public.unit_verify_benefit(uuid, int, text, boolean, uuid), public.unit_redeem_coupon(text, text, boolean, uuid)
  to unit_api;
revoke all on function private.api_service_account(uuid), private.new_api_key(uuid, text, uuid),
  private.api_caller(uuid), private.api_audit_call(public.api_keys, text, jsonb, text) from public;
