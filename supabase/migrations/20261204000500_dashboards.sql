-- Dashboards as versioned definitions (kind 'dashboard', the shared lifecycle of
-- 20261202000050_versioned_definitions.sql): the DashboardDefinition JSON of core/dashboards/types.ts, checked
-- structurally on every write, with its owner (the analyst who made it; null for seeded and shared ones) and
-- its visibility (private: its owner only; shared: every staff member). owner_id has no foreign key, like
-- created_by elsewhere: versions are immutable history, and removing a login must not need to rewrite them.
--   * Everyone with a staff role reads shared dashboards; owners read their own.
--   * Analysts (and admins) create dashboards of their own, edit them and share them; admins also edit
--     dashboards without an owner and shared ones. The owner of a key never changes between versions.
--   * public.save_dashboard writes a new version and publishes it in one call (the builder's save);
--     public.archive_dashboard retires a key. Files in schemas/dashboards/ are synced on start.

-- ── Table ────────────────────────────────────────────────────────────────────────────────
create table public.dashboard_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_-]{1,63}$'),
  version int not null check (version > 0),
  status public.config_status not null default 'draft',
  definition jsonb not null,
  owner_id uuid default auth.uid(),
  visibility text not null default 'private' constraint dashboard_definitions_visibility check (visibility in ('private', 'shared')),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  unique (key, version)
);
create unique index dashboard_definitions_one_published on public.dashboard_definitions (key) where status = 'published';
create index dashboard_definitions_owner on public.dashboard_definitions (owner_id) where owner_id is not null;
comment on table public.dashboard_definitions is
  'Dashboards as versioned definitions: title, defaults (range, grain) and widgets (id, metric, chart, optional '
  'title, measures, x, series, and a layout on a 12-column grid); owner_id null for seeded/shared dashboards.';
call private.add_definition_kind('dashboard', 'public.dashboard_definitions', 'dashboards');

-- The lifecycle's default policies (admins write drafts, staff read all) do not fit: replaced below.
drop policy "staff read dashboards" on public.dashboard_definitions;
drop policy "admins write dashboard drafts" on public.dashboard_definitions;
drop policy "admins edit dashboard drafts" on public.dashboard_definitions;
drop policy "admins delete dashboard drafts" on public.dashboard_definitions;

-- ── Structure ────────────────────────────────────────────────────────────────────────────
-- True when p_text is a {"zh-CN", "en"} object of two texts of 1..p_max characters.
create or replace function private.is_localized_text(p_text jsonb, p_max int)
returns boolean
language sql immutable set search_path = ''
as $$
  select coalesce(jsonb_typeof(p_text) = 'object'
     and jsonb_typeof(p_text -> 'zh-CN') = 'string' and length(btrim(p_text ->> 'zh-CN')) between 1 and p_max
     and jsonb_typeof(p_text -> 'en') = 'string' and length(btrim(p_text ->> 'en')) between 1 and p_max, false)
$$;

-- True when p_value is a JSON integer between p_min and p_max.
create or replace function private.is_json_int(p_value jsonb, p_min int, p_max int)
returns boolean
language sql immutable set search_path = ''
as $$
  select coalesce(jsonb_typeof(p_value) = 'number' and (p_value #>> '{}')::numeric = trunc((p_value #>> '{}')::numeric)
     and (p_value #>> '{}')::numeric between p_min and p_max, false)
$$;

-- Refuses a dashboard definition that is not well formed (core/dashboards/types.ts), with a reason code per fault.
create or replace function private.assert_dashboard_definition(p_key text, p_definition jsonb)
returns void
language plpgsql immutable set search_path = ''
as $$
declare
  v_widget jsonb;
  v_i int := 0;
  v_ids text[] := '{}';
  v_layout jsonb;
  v_key_pattern text := '^[a-z][a-z0-9_]{0,63}$';
begin
  if jsonb_typeof(p_definition) is distinct from 'object' or length(p_definition::text) > 65536 then
    raise exception 'dashboard %: the definition must be a JSON object of at most 64 KB', p_key
      using errcode = '22023', hint = 'dashboard_definition_invalid', detail = json_build_object('key', p_key, 'max_kb', 64)::text;
  end if;
  if not private.is_localized_text(p_definition -> 'title', 100) then
    raise exception 'dashboard %: title needs a Chinese and an English text of 1 to 100 characters', p_key
      using errcode = '22023', hint = 'dashboard_title_invalid', detail = json_build_object('key', p_key, 'max', 100)::text;
  end if;
  if p_definition ? 'description' and not private.is_localized_text(p_definition -> 'description', 500) then
    raise exception 'dashboard %: description needs a Chinese and an English text of 1 to 500 characters', p_key
      using errcode = '22023', hint = 'dashboard_description_invalid', detail = json_build_object('key', p_key, 'max', 500)::text;
  end if;
  if jsonb_typeof(p_definition -> 'defaults') is distinct from 'object'
     or coalesce(p_definition #>> '{defaults,range}', '') not in ('last_7_days', 'last_30_days', 'last_90_days', 'this_month', 'this_year', 'last_365_days')
     or coalesce(p_definition #>> '{defaults,grain}', '') not in ('day', 'week', 'month') then
    raise exception 'dashboard %: defaults need a known range and a grain (day, week or month)', p_key
      using errcode = '22023', hint = 'dashboard_defaults_invalid', detail = json_build_object('key', p_key)::text;
  end if;
  if jsonb_typeof(p_definition -> 'widgets') is distinct from 'array'
     or jsonb_array_length(p_definition -> 'widgets') not between 1 and 24 then
    raise exception 'dashboard %: a dashboard has 1 to 24 widgets', p_key
      using errcode = '22023', hint = 'dashboard_widgets_count', detail = json_build_object('key', p_key, 'max', 24)::text;
  end if;
  for v_widget in select value from jsonb_array_elements(p_definition -> 'widgets') loop
    v_i := v_i + 1;
    if jsonb_typeof(v_widget) <> 'object' or coalesce(v_widget ->> 'id', '') !~ '^[a-z0-9][a-z0-9_-]{0,31}$' then
      raise exception 'dashboard %: widget % needs an id of lower-case letters, digits, _ or - (at most 32)', p_key, v_i
        using errcode = '22023', hint = 'dashboard_widget_id_invalid', detail = json_build_object('key', p_key, 'widget', v_i)::text;
    end if;
    if (v_widget ->> 'id') = any (v_ids) then
      raise exception 'dashboard %: widget id % is used twice', p_key, v_widget ->> 'id'
        using errcode = '22023', hint = 'dashboard_widget_id_repeated', detail = json_build_object('key', p_key, 'widget', v_i, 'id', v_widget ->> 'id')::text;
    end if;
    v_ids := v_ids || (v_widget ->> 'id');
    if coalesce(v_widget ->> 'metric', '') !~ v_key_pattern then
      raise exception 'dashboard %: widget % names no well-formed metric', p_key, v_i
        using errcode = '22023', hint = 'dashboard_widget_metric_invalid', detail = json_build_object('key', p_key, 'widget', v_i)::text;
    end if;
    if coalesce(v_widget ->> 'chart', '') !~ '^[a-z][a-z_]{1,31}$' then
      raise exception 'dashboard %: widget % names no well-formed chart type', p_key, v_i
        using errcode = '22023', hint = 'dashboard_widget_chart_invalid', detail = json_build_object('key', p_key, 'widget', v_i)::text;
    end if;
    if v_widget ? 'title' and not private.is_localized_text(v_widget -> 'title', 100) then
      raise exception 'dashboard %: widget % title needs a Chinese and an English text of 1 to 100 characters', p_key, v_i
        using errcode = '22023', hint = 'dashboard_widget_title_invalid', detail = json_build_object('key', p_key, 'widget', v_i, 'max', 100)::text;
    end if;
    if (v_widget ? 'x' and coalesce(v_widget ->> 'x', '') !~ v_key_pattern)
       or (v_widget ? 'series' and coalesce(v_widget ->> 'series', '') !~ v_key_pattern)
       or (v_widget ? 'measures' and (jsonb_typeof(v_widget -> 'measures') <> 'array'
           or jsonb_array_length(v_widget -> 'measures') not between 1 and 8
           or exists (select 1 from jsonb_array_elements(v_widget -> 'measures') m
                      where jsonb_typeof(m) <> 'string' or m #>> '{}' !~ v_key_pattern))) then
      raise exception 'dashboard %: widget % names a malformed dimension or measure', p_key, v_i
        using errcode = '22023', hint = 'dashboard_widget_fields_invalid', detail = json_build_object('key', p_key, 'widget', v_i)::text;
    end if;
    v_layout := v_widget -> 'layout';
    if jsonb_typeof(v_layout) is distinct from 'object'
       or not private.is_json_int(v_layout -> 'x', 0, 11) or not private.is_json_int(v_layout -> 'w', 1, 12)
       or not private.is_json_int(v_layout -> 'y', 0, 1000) or not private.is_json_int(v_layout -> 'h', 1, 24)
       or (v_layout ->> 'x')::numeric + (v_layout ->> 'w')::numeric > 12 then
      raise exception 'dashboard %: widget % must lie within the 12-column grid', p_key, v_i
        using errcode = '22023', hint = 'dashboard_widget_layout_invalid', detail = json_build_object('key', p_key, 'widget', v_i, 'columns', 12)::text;
    end if;
  end loop;
end
$$;

-- ── Who may write ────────────────────────────────────────────────────────────────────────
-- An analyst (or admin) writes versions of their own dashboards; an admin also writes those without an owner
-- and shared ones.
create or replace function private.may_edit_dashboard(p_owner uuid, p_visibility text)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return coalesce(p_owner = (select auth.uid()), false) and private.has_any_role('{analyst}')
      or private.has_role('admin') and (p_owner is null or p_visibility = 'shared');
end
$$;

-- Before a version is written: its structure, then (for users) the key's owner and the caller's right.
create or replace function private.check_dashboard_definition()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_owner uuid;
  v_known boolean;
begin
  if tg_op = 'UPDATE' and new.definition is not distinct from old.definition
     and new.owner_id is not distinct from old.owner_id and new.visibility is not distinct from old.visibility then
    return new;
  end if;
  perform private.assert_dashboard_definition(new.key, new.definition);
  select true, d.owner_id into v_known, v_owner from public.dashboard_definitions d
    where d.key = new.key and d.id <> new.id order by d.version limit 1;
  if v_known and new.owner_id is distinct from v_owner then
    raise exception 'dashboard % belongs to its first version''s owner; a new version keeps that owner', new.key
      using errcode = '42501', hint = 'dashboard_owner_fixed', detail = json_build_object('key', new.key)::text;
  end if;
  if not private.is_system_caller() then
    if not private.has_any_role('{analyst}') then
      raise exception 'permission denied: only analysts and administrators build dashboards'
        using errcode = '42501', hint = 'dashboard_builder_only', detail = json_build_object('key', new.key)::text;
    end if;
    if not coalesce(v_known, false) and new.owner_id is distinct from auth.uid() and not (new.owner_id is null and private.has_role('admin')) then
      raise exception 'a new dashboard belongs to whoever makes it' using errcode = '42501',
        hint = 'dashboard_owner_fixed', detail = json_build_object('key', new.key)::text;
    end if;
    if not private.may_edit_dashboard(new.owner_id, new.visibility) then
      raise exception 'permission denied: dashboard % is someone else''s', new.key
        using errcode = '42501', hint = 'dashboard_not_yours', detail = json_build_object('key', new.key)::text;
    end if;
  end if;
  new.updated_at := now();
  return new;
end
$$;
create trigger dashboard_definitions_valid before insert or update on public.dashboard_definitions
  for each row execute function private.check_dashboard_definition();
create trigger audit after insert or update or delete on public.dashboard_definitions
  for each row execute function private.audit_row();

-- ── Row-level security ───────────────────────────────────────────────────────────────────
create policy "staff read shared dashboards, owners their own" on public.dashboard_definitions for select to authenticated
  using ((visibility = 'shared' and (select private.is_staff_user())) or owner_id = (select auth.uid()));
create policy "builders write their dashboard drafts" on public.dashboard_definitions for insert to authenticated
  with check (status = 'draft' and private.may_edit_dashboard(owner_id, visibility));
create policy "builders edit their dashboard drafts" on public.dashboard_definitions for update to authenticated
  using (status = 'draft' and private.may_edit_dashboard(owner_id, visibility))
  with check (status = 'draft' and private.may_edit_dashboard(owner_id, visibility));
create policy "builders delete their dashboard drafts" on public.dashboard_definitions for delete to authenticated
  using (status = 'draft' and private.may_edit_dashboard(owner_id, visibility));

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- The caller's right to change key p_key (owner, or admin on an ownerless or shared key); refuses otherwise.
create or replace function private.assert_may_change_dashboard(p_key text)
returns public.dashboard_definitions
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_latest public.dashboard_definitions;
begin
  select * into v_latest from public.dashboard_definitions d where d.key = p_key order by d.version desc limit 1;
  if v_latest.id is null then
    raise exception 'no dashboard %', coalesce(p_key, 'null') using errcode = 'no_data_found',
      hint = 'dashboard_missing', detail = json_build_object('key', p_key)::text;
  end if;
  if not private.is_system_caller() and not private.may_edit_dashboard(v_latest.owner_id, v_latest.visibility) then
    raise exception 'permission denied: dashboard % is someone else''s', p_key
      using errcode = '42501', hint = 'dashboard_not_yours', detail = json_build_object('key', p_key)::text;
  end if;
  return v_latest;
end
$$;

create or replace function public.publish_dashboard(p_key text, p_version int)
returns public.dashboard_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.dashboard_definitions;
begin
  if not private.is_system_caller() and not private.has_any_role('{analyst}') then
    raise exception 'permission denied: only analysts and administrators build dashboards'
      using errcode = '42501', hint = 'dashboard_builder_only', detail = json_build_object('key', p_key)::text;
  end if;
  perform private.assert_may_change_dashboard(p_key);
  perform private.publish_definition_version('public.dashboard_definitions', p_key, p_version, clock_timestamp());
  select * into v_row from public.dashboard_definitions where key = p_key and version = p_version;
  return v_row;
end
$$;

-- The builder's save: a new version of p_key (a new key owned by the caller when p_key is null) holding
-- p_definition with p_visibility, published at once (archiving the previous one). Returns the version.
create or replace function public.save_dashboard(p_key text, p_definition jsonb, p_visibility text default 'private')
returns public.dashboard_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text := p_key;
  v_owner uuid := auth.uid();
  v_version int := 1;
  v_latest public.dashboard_definitions;
  v_row public.dashboard_definitions;
begin
  if not private.has_any_role('{analyst}') then
    raise exception 'permission denied: only analysts and administrators build dashboards'
      using errcode = '42501', hint = 'dashboard_builder_only', detail = json_build_object('key', p_key)::text;
  end if;
  if p_visibility is null or p_visibility not in ('private', 'shared') then
    raise exception 'visibility is private or shared, got %', coalesce(p_visibility, 'null')
      using errcode = '22023', hint = 'dashboard_visibility_invalid', detail = json_build_object('visibility', p_visibility)::text;
  end if;
  if v_key is null then
    v_key := 'u-' || substr(md5(gen_random_uuid()::text), 1, 16);
  else
    perform private.lock_definition_key('public.dashboard_definitions', v_key);
    v_latest := private.assert_may_change_dashboard(v_key);
    v_owner := v_latest.owner_id;
    v_version := v_latest.version + 1;
  end if;
  insert into public.dashboard_definitions (key, version, status, definition, owner_id, visibility)
    values (v_key, v_version, 'draft', p_definition, v_owner, p_visibility);
  perform private.publish_definition_version('public.dashboard_definitions', v_key, v_version, clock_timestamp());
  select * into v_row from public.dashboard_definitions where key = v_key and version = v_version;
  return v_row;
end
$$;

-- Retires a dashboard: its published version is archived (kept as history); it leaves every list.
create or replace function public.archive_dashboard(p_key text)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_archived int;
begin
  if not private.has_any_role('{analyst}') then
    raise exception 'permission denied: only analysts and administrators build dashboards'
      using errcode = '42501', hint = 'dashboard_builder_only', detail = json_build_object('key', p_key)::text;
  end if;
  perform private.lock_definition_key('public.dashboard_definitions', p_key);
  perform private.assert_may_change_dashboard(p_key);
  select archived into v_archived from private.archive_published_version('public.dashboard_definitions', p_key, clock_timestamp());
  return v_archived;
end
$$;

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on public.dashboard_definitions to authenticated;
revoke all on function private.is_localized_text(jsonb, int), private.is_json_int(jsonb, int, int),
  private.assert_dashboard_definition(text, jsonb), private.check_dashboard_definition(),
  private.assert_may_change_dashboard(text) from public, anon, authenticated;
revoke all on function private.may_edit_dashboard(uuid, text) from public, anon;
grant execute on function private.may_edit_dashboard(uuid, text) to authenticated;
revoke all on function public.publish_dashboard(text, int), public.save_dashboard(text, jsonb, text), public.archive_dashboard(text)
  from public, anon;
grant execute on function public.publish_dashboard(text, int), public.save_dashboard(text, jsonb, text), public.archive_dashboard(text)
  to authenticated, service_role;
