-- Entities defined as data: JSON Schema + uiSchema + list settings + permissions per role, versioned
-- draft → published → archived like forms. The app turns every published definition into Refine
-- list/create/edit/show pages at run time. Built-in entities (members, business units, tiers) are
-- described the same way and keep their own tables (`source_table`); custom entities keep their rows
-- in the generic `entity_records` table, validated in a trigger against the version they were made
-- with, and guarded by RLS from the permissions in the definition.

-- ── Functions needed by the tables ───────────────────────────────────────────────────────
-- Permissions look like {"list": ["staff", ...], "create": [...], "edit": [...], "delete": [...]};
-- every role must be an app_role. Used by a check constraint, so it must not read tables.
create or replace function private.valid_entity_permissions(p jsonb)
returns boolean
language plpgsql immutable
as $$
declare
  action text;
  roles jsonb;
begin
  if jsonb_typeof(p) <> 'object' then
    return false;
  end if;
  for action, roles in select key, value from jsonb_each(p) loop
    if action not in ('list', 'create', 'edit', 'delete') or jsonb_typeof(roles) <> 'array' then
      return false;
    end if;
    if exists (select 1 from jsonb_array_elements(roles) r
               where jsonb_typeof(r) <> 'string'
                  or not (r #>> '{}') = any (enum_range(null::public.app_role)::text[])) then
      return false;
    end if;
  end loop;
  return true;
end
$$;

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.entity_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_]{1,47}$'),
  version int not null check (version > 0),
  status public.config_status not null default 'draft',
  title text not null check (length(btrim(title)) between 1 and 100),
  title_en text,
  -- Built-in entities name their own table; custom ones (null) live in entity_records.
  source_table text check (source_table in ('members', 'business_units', 'tiers')),
  schema jsonb not null check (jsonb_typeof(schema) = 'object' and schema ->> 'type' = 'object'),
  ui_schema jsonb not null default '{}' check (jsonb_typeof(ui_schema) = 'object'),
  list_columns text[] not null default '{}',
  search_fields text[] not null default '{}',
  filter_fields text[] not null default '{}',
  default_sort jsonb not null default '{"field": "created_at", "order": "desc"}'
    check (jsonb_typeof(default_sort -> 'field') = 'string' and default_sort ->> 'order' in ('asc', 'desc')),
  permissions jsonb not null default '{"list": ["staff", "manager", "director", "analyst"], "create": ["staff", "manager", "director"], "edit": ["staff", "manager", "director"], "delete": []}'
    check (private.valid_entity_permissions(permissions)),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  unique (key, version)
);
create unique index entity_definitions_one_published on public.entity_definitions (key) where status = 'published';
comment on table public.entity_definitions is
  'Entities as data (JSON Schema + uiSchema + list columns, search/filter fields, default sort, permissions per role), '
  'versioned draft/published/archived. A published version is immutable; editing creates version n+1.';

create table public.entity_records (
  id uuid primary key default gen_random_uuid(),
  entity_key text not null,
  entity_version int not null,
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_by uuid default auth.uid(),
  updated_at timestamptz not null default now(),
  foreign key (entity_key, entity_version) references public.entity_definitions (key, version)
);
create index entity_records_key_created_idx on public.entity_records (entity_key, created_at desc);
create index entity_records_data_idx on public.entity_records using gin (data jsonb_path_ops);
comment on table public.entity_records is
  'Rows of custom entities: data is checked against the schema of (entity_key, entity_version), the version the row was last saved with.';
comment on column public.entity_records.entity_version is
  'Version of the entity definition this record was last saved with; defaults to the published one.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- Every field name a schema declares: top-level properties and those of allOf / then / else branches.
create or replace function private.schema_field_names(schema jsonb)
returns text[]
language sql immutable
as $$
  with recursive parts(s) as (
    select schema
    union all
    select child
      from parts,
           lateral (select e as child from jsonb_array_elements(case when jsonb_typeof(s -> 'allOf') = 'array' then s -> 'allOf' else '[]' end) e
                    union all select s -> 'then' where jsonb_typeof(s -> 'then') = 'object'
                    union all select s -> 'else' where jsonb_typeof(s -> 'else') = 'object') c
  )
  select coalesce(array_agg(distinct k), '{}')
    from parts, lateral jsonb_object_keys(case when jsonb_typeof(s -> 'properties') = 'object' then s -> 'properties' else '{}' end) k
$$;

-- Published definitions refuse edits; archived ones refuse republishing (same rules as forms).
create or replace function private.freeze_published_entity()
returns trigger
language plpgsql
as $$
begin
  if old.status <> 'draft' and (
       new.schema is distinct from old.schema or new.ui_schema is distinct from old.ui_schema
       or new.key <> old.key or new.version <> old.version or new.source_table is distinct from old.source_table
       or new.list_columns <> old.list_columns or new.search_fields <> old.search_fields
       or new.filter_fields <> old.filter_fields or new.default_sort <> old.default_sort
       or new.permissions <> old.permissions or new.title <> old.title or new.title_en is distinct from old.title_en) then
    raise exception 'entity % version % is %: create a new version instead of editing it', old.key, old.version, old.status
      using errcode = 'check_violation';
  end if;
  if old.status = 'archived' and new.status <> 'archived' then
    raise exception 'entity % version % is archived and cannot be republished; copy it into a new draft', old.key, old.version
      using errcode = 'check_violation';
  end if;
  return new;
end
$$;

-- Problems that keep a definition from being published: list settings naming unknown fields,
-- required fields that are not plain top-level fields, a custom entity taking a built-in's name.
create or replace function private.entity_definition_problems(d public.entity_definitions)
returns text[]
language plpgsql immutable
as $$
declare
  problems text[] := '{}';
  declared text[] := private.schema_field_names(d.schema) || array['id', 'created_at', 'updated_at'];
  top text[] := array(select jsonb_object_keys(coalesce(d.schema -> 'properties', '{}')));
  name text;
begin
  foreach name in array d.list_columns || d.search_fields || d.filter_fields || array[d.default_sort ->> 'field'] loop
    if not name = any (declared) then
      problems := problems || format('list settings name unknown field %s', name);
    end if;
  end loop;
  for name in select jsonb_array_elements_text(coalesce(d.schema -> 'required', '[]')) loop
    if not name = any (top) then
      problems := problems || format('required field %s must be a top-level field (a conditional field is required only in its then branch)', name);
    end if;
  end loop;
  if d.source_table is null and d.key in ('members', 'business_units', 'tiers', 'form_definitions', 'entity_definitions', 'entity_records') then
    problems := problems || format('key %s is reserved for a built-in entity', d.key);
  end if;
  return problems;
end
$$;

-- Publishes one draft; the previously published version of the key becomes archived. Admins only
-- (the `builder` permission is admin for now).
create or replace function public.publish_entity(p_key text, p_version int)
returns public.entity_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  draft public.entity_definitions;
  published public.entity_definitions;
  problems text[];
begin
  if not (coalesce(auth.role(), 'service_role') = 'service_role' or private.has_role('admin')) then
    raise exception 'only administrators may publish entities' using errcode = 'insufficient_privilege';
  end if;
  perform 1 from public.entity_definitions where key = p_key for update;
  select * into draft from public.entity_definitions where key = p_key and version = p_version and status = 'draft';
  if not found then
    raise exception 'entity % has no draft version %', p_key, p_version using errcode = 'no_data_found';
  end if;
  problems := private.entity_definition_problems(draft);
  if cardinality(problems) > 0 then
    raise exception 'entity % version % cannot be published: %', p_key, p_version, array_to_string(problems, '; ')
      using errcode = 'check_violation';
  end if;
  update public.entity_definitions set status = 'archived' where key = p_key and status = 'published';
  update public.entity_definitions
     set status = 'published', published_at = now(), published_by = auth.uid()
   where key = p_key and version = p_version
  returning * into published;
  return published;
end
$$;

-- May the current user do `action` (list/create/edit/delete) on records of entity `p_key`? Read
-- from the published definition; admins may always (has_any_role grants them every role).
create or replace function private.may_entity(p_key text, p_action text)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((
    select private.has_any_role(array(select jsonb_array_elements_text(d.permissions -> p_action))::public.app_role[])
      from public.entity_definitions d
     where d.key = p_key and d.status = 'published'), false)
$$;

-- Stamps and validates a custom record: the version defaults to the published one, must be a
-- version that was published, and the data must match that version's schema and declare no
-- unknown fields. Errors name each field ("/plate: is required").
create or replace function private.validate_entity_record()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  def public.entity_definitions;
  unknown text[];
begin
  if tg_op = 'UPDATE' then
    if new.entity_key <> old.entity_key then
      raise exception 'a record cannot move to another entity' using errcode = 'check_violation';
    end if;
    new.created_by := old.created_by;
    new.created_at := old.created_at;
    new.updated_by := auth.uid();
    new.updated_at := now();
  else
    new.created_by := coalesce(auth.uid(), new.created_by);
    new.updated_by := new.created_by;
    new.created_at := now();
    new.updated_at := new.created_at;
  end if;
  if new.entity_version is null then
    select * into def from public.entity_definitions where key = new.entity_key and status = 'published';
  else
    select * into def from public.entity_definitions where key = new.entity_key and version = new.entity_version;
  end if;
  if not found then
    raise exception 'entity % has no published version%', new.entity_key,
      coalesce(' ' || new.entity_version, '') using errcode = 'check_violation';
  end if;
  if def.status = 'draft' then
    raise exception 'entity % version % is a draft: records are made with published versions', def.key, def.version
      using errcode = 'check_violation';
  end if;
  if def.source_table is not null then
    raise exception 'entity % keeps its records in %', def.key, def.source_table using errcode = 'check_violation';
  end if;
  new.entity_version := def.version;
  if tg_op = 'UPDATE' and new.data = old.data and new.entity_version = old.entity_version then
    return new;
  end if;
  unknown := array(select k from jsonb_object_keys(new.data) k where not k = any (private.schema_field_names(def.schema)));
  if cardinality(unknown) > 0 then
    raise exception '% does not match its schema: %', def.key,
      array_to_string(array(select '/' || u || ': is not an allowed field' from unnest(unknown) u), '; ')
      using errcode = 'check_violation';
  end if;
  perform private.assert_json_schema(def.schema, new.data, def.key);
  return new;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger freeze_published before update on public.entity_definitions
  for each row execute function private.freeze_published_entity();
create trigger audit after insert or update or delete on public.entity_definitions
  for each row execute function private.audit_row();
create trigger validate before insert or update on public.entity_records
  for each row execute function private.validate_entity_record();
create trigger audit after insert or update or delete on public.entity_records
  for each row execute function private.audit_row();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
alter table public.entity_definitions enable row level security;
alter table public.entity_records enable row level security;

create policy "staff read entities" on public.entity_definitions
  for select to authenticated using ((select private.is_staff_user()));
create policy "admins write entity drafts" on public.entity_definitions
  for insert to authenticated with check ((select private.has_role('admin')) and status = 'draft');
create policy "admins edit entity drafts" on public.entity_definitions
  for update to authenticated using ((select private.has_role('admin')) and status = 'draft')
  with check ((select private.has_role('admin')) and status = 'draft');
create policy "admins delete entity drafts" on public.entity_definitions
  for delete to authenticated using ((select private.has_role('admin')) and status = 'draft');

create policy "list entity records" on public.entity_records
  for select to authenticated using (private.may_entity(entity_key, 'list'));
create policy "create entity records" on public.entity_records
  for insert to authenticated with check (private.may_entity(entity_key, 'create'));
create policy "edit entity records" on public.entity_records
  for update to authenticated using (private.may_entity(entity_key, 'edit'))
  with check (private.may_entity(entity_key, 'edit'));
create policy "delete entity records" on public.entity_records
  for delete to authenticated using (private.may_entity(entity_key, 'delete'));

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.entity_definitions, public.entity_records from anon;
grant select, insert, update, delete on public.entity_definitions, public.entity_records to authenticated;
grant all on public.entity_definitions, public.entity_records to service_role;
revoke all on function public.publish_entity(text, int) from public, anon;
grant execute on function public.publish_entity(text, int) to authenticated, service_role;
grant execute on function private.schema_field_names(jsonb), private.may_entity(text, text),
  private.valid_entity_permissions(jsonb) to authenticated, service_role;
