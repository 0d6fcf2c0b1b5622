-- Forms and entities as data, and the JSON Schema validation that holds their records to the schema
-- they were saved with. Three parts: the validator, form definitions, entity definitions and records.

-- JSON Schema validation inside the database, so data sent straight to REST is held to the same
-- schema the browser validates with ajv. Hosted Supabase may offer pg_jsonschema, but the local
-- stack cannot, so this is plain plpgsql covering the subset our form builder emits:
-- type, required, properties, additionalProperties=false, enum, const, minimum, maximum,
-- exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength, pattern, format
-- (date, date-time, email), items, minItems, maxItems, uniqueItems, allOf, if/then/else.

-- ── Functions ────────────────────────────────────────────────────────────────────────────
create or replace function private.json_type_matches(expected text, value jsonb)
returns boolean
language sql immutable
as $$
  select case expected
    when 'null' then jsonb_typeof(value) = 'null'
    when 'boolean' then jsonb_typeof(value) = 'boolean'
    when 'object' then jsonb_typeof(value) = 'object'
    when 'array' then jsonb_typeof(value) = 'array'
    when 'string' then jsonb_typeof(value) = 'string'
    when 'number' then jsonb_typeof(value) = 'number'
    when 'integer' then jsonb_typeof(value) = 'number' and (value::text)::numeric = trunc((value::text)::numeric)
    else false
  end
$$;

-- Returns one item per violation: {path, keyword, params, text}, with the keyword and params ajv uses
-- (so the app words them as it words its own checks) and an English text. An empty array means valid.
-- The form builder expresses conditional fields as allOf: [{if: {properties: {c: {const: v}}, required:
-- [c]}, then: {properties: {f: {...}}, required: [f]}}], so a hidden field is never required, and a shown
-- one is checked here exactly as ajv checks it in the browser.
create or replace function private.json_schema_errors(schema jsonb, value jsonb, path text default '')
returns jsonb
language plpgsql immutable
as $$
#variable_conflict use_variable
declare
  errors jsonb := '[]';
  field text;
  sub jsonb;
  types jsonb;
  num numeric;
  len int;
  item jsonb;
  idx int;
  label text := case when path = '' then '/' else path end;
begin
  if schema is null or jsonb_typeof(schema) <> 'object' then
    return errors;
  end if;

  if schema ? 'type' then
    types := case when jsonb_typeof(schema -> 'type') = 'array' then schema -> 'type'
                  else jsonb_build_array(schema -> 'type') end;
    if not exists (select 1 from jsonb_array_elements_text(types) t where private.json_type_matches(t, value)) then
      return jsonb_build_array(private.json_schema_error(label, 'type',
        jsonb_build_object('type', array_to_string(array(select jsonb_array_elements_text(types)), ',')),
        'must be of type ' || array_to_string(array(select jsonb_array_elements_text(types)), ' or ')));
    end if;
  end if;

  if schema ? 'enum' and not (schema -> 'enum') @> jsonb_build_array(value) then
    errors := errors || private.json_schema_error(label, 'enum', jsonb_build_object('allowedValues', schema -> 'enum'),
      'must be one of ' || (schema -> 'enum')::text);
  end if;
  if schema ? 'const' and value <> schema -> 'const' then
    errors := errors || private.json_schema_error(label, 'const', jsonb_build_object('allowedValue', schema -> 'const'),
      'must equal ' || (schema -> 'const')::text);
  end if;

  if jsonb_typeof(schema -> 'allOf') = 'array' then
    for sub in select e from jsonb_array_elements(schema -> 'allOf') e loop
      errors := errors || private.json_schema_errors(sub, value, path);
    end loop;
  end if;
  if schema ? 'if' then
    if jsonb_array_length(private.json_schema_errors(schema -> 'if', value, path)) = 0 then
      errors := errors || private.json_schema_errors(schema -> 'then', value, path);
    else
      errors := errors || private.json_schema_errors(schema -> 'else', value, path);
    end if;
  end if;

  case jsonb_typeof(value)
  when 'number' then
    num := (value::text)::numeric;
    if schema ? 'minimum' and num < (schema ->> 'minimum')::numeric then
      errors := errors || private.json_schema_limit(label, 'minimum', '>=', schema -> 'minimum');
    end if;
    if schema ? 'maximum' and num > (schema ->> 'maximum')::numeric then
      errors := errors || private.json_schema_limit(label, 'maximum', '<=', schema -> 'maximum');
    end if;
    if schema ? 'exclusiveMinimum' and num <= (schema ->> 'exclusiveMinimum')::numeric then
      errors := errors || private.json_schema_limit(label, 'exclusiveMinimum', '>', schema -> 'exclusiveMinimum');
    end if;
    if schema ? 'exclusiveMaximum' and num >= (schema ->> 'exclusiveMaximum')::numeric then
      errors := errors || private.json_schema_limit(label, 'exclusiveMaximum', '<', schema -> 'exclusiveMaximum');
    end if;
    if schema ? 'multipleOf' and num % (schema ->> 'multipleOf')::numeric <> 0 then
      errors := errors || private.json_schema_error(label, 'multipleOf', jsonb_build_object('multipleOf', schema -> 'multipleOf'),
        'must be a multiple of ' || (schema ->> 'multipleOf'));
    end if;
  when 'string' then
    len := char_length(value #>> '{}');
    if schema ? 'minLength' and len < (schema ->> 'minLength')::int then
      errors := errors || private.json_schema_error(label, 'minLength', jsonb_build_object('limit', schema -> 'minLength'),
        format('must have at least %s characters', schema ->> 'minLength'));
    end if;
    if schema ? 'maxLength' and len > (schema ->> 'maxLength')::int then
      errors := errors || private.json_schema_error(label, 'maxLength', jsonb_build_object('limit', schema -> 'maxLength'),
        format('must have at most %s characters', schema ->> 'maxLength'));
    end if;
    if schema ? 'pattern' and (value #>> '{}') !~ (schema ->> 'pattern') then
      errors := errors || private.json_schema_error(label, 'pattern', jsonb_build_object('pattern', schema -> 'pattern'),
        'must match pattern ' || (schema ->> 'pattern'));
    end if;
    if schema ->> 'format' = 'email' and (value #>> '{}') !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
      errors := errors || private.json_schema_error(label, 'format', '{"format": "email"}', 'must be an email address');
    elsif schema ->> 'format' = 'date' and (value #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$' then
      errors := errors || private.json_schema_error(label, 'format', '{"format": "date"}', 'must be a date (YYYY-MM-DD)');
    elsif schema ->> 'format' = 'date-time'
          and (value #>> '{}') !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$' then
      errors := errors || private.json_schema_error(label, 'format', '{"format": "date-time"}',
        'must be a date-time with a time zone');
    end if;
  when 'object' then
    if schema ? 'required' then
      for field in select jsonb_array_elements_text(schema -> 'required') loop
        if not value ? field then
          errors := errors || private.json_schema_error(path || '/' || field, 'required',
            jsonb_build_object('missingProperty', field), 'is required');
        end if;
      end loop;
    end if;
    for field, sub in select key, v from jsonb_each(value) as e(key, v) loop
      if schema -> 'properties' ? field then
        errors := errors || private.json_schema_errors(schema -> 'properties' -> field, sub, path || '/' || field);
      elsif schema -> 'additionalProperties' = 'false'::jsonb then
        errors := errors || private.json_schema_error(path || '/' || field, 'additionalProperties',
          jsonb_build_object('additionalProperty', field), 'is not an allowed field');
      end if;
    end loop;
  when 'array' then
    len := jsonb_array_length(value);
    if schema ? 'minItems' and len < (schema ->> 'minItems')::int then
      errors := errors || private.json_schema_error(label, 'minItems', jsonb_build_object('limit', schema -> 'minItems'),
        format('must have at least %s items', schema ->> 'minItems'));
    end if;
    if schema ? 'maxItems' and len > (schema ->> 'maxItems')::int then
      errors := errors || private.json_schema_error(label, 'maxItems', jsonb_build_object('limit', schema -> 'maxItems'),
        format('must have at most %s items', schema ->> 'maxItems'));
    end if;
    if (schema -> 'uniqueItems')::text = 'true'
       and (select count(distinct e) from jsonb_array_elements(value) e) < len then
      errors := errors || private.json_schema_error(label, 'uniqueItems', '{}', 'items must be unique');
    end if;
    if jsonb_typeof(schema -> 'items') = 'object' then
      idx := 0;
      for item in select e from jsonb_array_elements(value) e loop
        errors := errors || private.json_schema_errors(schema -> 'items', item, path || '/' || idx);
        idx := idx + 1;
      end loop;
    end if;
  else
    null;
  end case;
  return errors;
end
$$;

comment on function private.json_schema_errors(jsonb, jsonb, text) is
  'Validates a JSON value against the JSON Schema subset the form builder emits (with allOf and if/then/else); '
  'returns [{path, keyword, params, text}] with ajv''s keywords and params.';

-- One violation as json_schema_errors reports it; json_schema_limit for the four numeric bounds.
create or replace function private.json_schema_error(p_path text, p_keyword text, p_params jsonb, p_text text)
returns jsonb
language sql immutable
as $$ select jsonb_build_object('path', p_path, 'keyword', p_keyword, 'params', p_params, 'text', p_text) $$;

create or replace function private.json_schema_limit(p_path text, p_keyword text, p_comparison text, p_limit jsonb)
returns jsonb
language sql immutable
as $$
  select private.json_schema_error(p_path, p_keyword, jsonb_build_object('comparison', p_comparison, 'limit', p_limit),
                                   format('must be %s %s', p_comparison, p_limit #>> '{}'))
$$;

-- Raises a check violation naming every invalid field: HINT schema_mismatch, DETAIL {errors: [...]}.
create or replace function private.refuse_schema_mismatch(what text, errors jsonb)
returns void
language plpgsql immutable
as $$
begin
  raise exception '% does not match its schema: %', what,
    (select string_agg((e ->> 'path') || ': ' || (e ->> 'text'), '; ') from jsonb_array_elements(errors) e)
    using errcode = 'check_violation', hint = 'schema_mismatch', detail = jsonb_build_object('errors', errors)::text;
end
$$;

create or replace function private.assert_json_schema(schema jsonb, value jsonb, what text)
returns void
language plpgsql immutable
as $$
declare
  errors jsonb := private.json_schema_errors(schema, value);
begin
  if jsonb_array_length(errors) > 0 then
    perform private.refuse_schema_mismatch(what, errors);
  end if;
end
$$;

grant execute on function private.json_schema_errors(jsonb, jsonb, text), private.assert_json_schema(jsonb, jsonb, text),
  private.json_schema_error(text, text, jsonb, text), private.json_schema_limit(text, text, text, jsonb),
  private.refuse_schema_mismatch(text, jsonb),
  private.json_type_matches(text, jsonb) to authenticated, service_role;

-- Form definitions (JSON Schema + uiSchema), versioned with the lifecycle of every definition
-- (20261202000050_versioned_definitions.sql); records keep the version they were made with. Member records
-- are checked against the published member form in the database, whichever client writes them.

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table public.form_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_-]{1,63}$'),
  version int not null check (version > 0),
  status public.config_status not null default 'draft',
  title text not null,
  title_en text,
  schema jsonb not null check (jsonb_typeof(schema) = 'object' and schema ->> 'type' = 'object'),
  ui_schema jsonb not null default '{}' check (jsonb_typeof(ui_schema) = 'object'),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  unique (key, version)
);
create unique index form_definitions_one_published on public.form_definitions (key) where status = 'published';
comment on table public.form_definitions is
  'Forms as JSON Schema + uiSchema. Versions are drafts until published; a published version is immutable.';
call private.add_definition_kind('form', 'public.form_definitions', 'forms');

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- Publishes one draft: the previous published version of the same key becomes archived.
create or replace function public.publish_form(p_key text, p_version int)
returns public.form_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  published public.form_definitions;
begin
  if not (coalesce(auth.role(), 'service_role') = 'service_role' or private.has_role('admin')) then
    raise exception 'only administrators may publish forms' using errcode = 'insufficient_privilege',
      hint = 'admin_only', detail = json_build_object('action', 'publish_form')::text;
  end if;
  perform private.publish_definition_version('public.form_definitions', p_key, p_version, now());
  select * into published from public.form_definitions where key = p_key and version = p_version;
  return published;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
-- form_definitions also has the trigger lifecycle (private.add_definition_kind, with the table).
create trigger audit after insert or update or delete on public.form_definitions
  for each row execute function private.audit_row();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
-- form_definitions: private.add_definition_kind (with the table)

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.form_definitions from anon;
grant select, insert, update, delete on public.form_definitions to authenticated;
grant all on public.form_definitions to service_role;
revoke all on function public.publish_form(text, int) from public, anon;
grant execute on function public.publish_form(text, int) to authenticated, service_role;

-- Entities defined as data: JSON Schema + uiSchema + list settings + permissions per role, versioned
-- draft → published → archived like every definition. The app turns every published definition into Refine
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
call private.add_definition_kind('entity', 'public.entity_definitions', 'entities');
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

-- Publishes one draft; the previously published version of the key becomes archived. Admins only
-- (the `builder` permission is admin for now).
create or replace function public.publish_entity(p_key text, p_version int)
returns public.entity_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  draft public.entity_definitions;
  problems text[];
begin
  if not (coalesce(auth.role(), 'service_role') = 'service_role' or private.has_role('admin')) then
    raise exception 'only administrators may publish entities' using errcode = 'insufficient_privilege',
      hint = 'admin_only', detail = json_build_object('action', 'publish_entity')::text;
  end if;
  perform private.lock_definition_key('public.entity_definitions', p_key);
  select * into draft from public.entity_definitions where key = p_key and version = p_version and status = 'draft';
  if not found then
    raise exception 'entity % has no draft version %', p_key, p_version using errcode = 'no_data_found',
      hint = 'definition_draft_missing', detail = json_build_object('kind', 'entity', 'key', p_key, 'version', p_version)::text;
  end if;
  problems := private.entity_definition_problems(draft);
  if cardinality(problems) > 0 then
    raise exception 'entity % version % cannot be published: %', p_key, p_version, array_to_string(problems, '; ')
      using errcode = 'check_violation',
      hint = 'entity_definition_invalid', detail = json_build_object('key', p_key, 'version', p_version, 'problems', problems)::text;
  end if;
  perform private.publish_definition_version('public.entity_definitions', p_key, p_version, now());
  select * into draft from public.entity_definitions where key = p_key and version = p_version;
  return draft;
end
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
  unknown jsonb;
begin
  if tg_op = 'UPDATE' then
    if new.entity_key <> old.entity_key then
      raise exception 'a record cannot move to another entity' using errcode = 'check_violation',
        hint = 'entity_record_moved';
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
      coalesce(' ' || new.entity_version, '') using errcode = 'check_violation',
      hint = 'entity_not_published', detail = json_build_object('key', new.entity_key)::text;
  end if;
  if def.status = 'draft' then
    raise exception 'entity % version % is a draft: records are made with published versions', def.key, def.version
      using errcode = 'check_violation',
      hint = 'entity_not_published', detail = json_build_object('key', def.key)::text;
  end if;
  if def.source_table is not null then
    raise exception 'entity % keeps its records in %', def.key, def.source_table using errcode = 'check_violation',
      hint = 'entity_own_table', detail = json_build_object('key', def.key, 'table', def.source_table)::text;
  end if;
  new.entity_version := def.version;
  if tg_op = 'UPDATE' and new.data = old.data and new.entity_version = old.entity_version then
    return new;
  end if;
  unknown := (select coalesce(jsonb_agg(private.json_schema_error('/' || k, 'additionalProperties',
                 jsonb_build_object('additionalProperty', k), 'is not an allowed field')), '[]')
              from jsonb_object_keys(new.data) k where not k = any (private.schema_field_names(def.schema)));
  if jsonb_array_length(unknown) > 0 then
    perform private.refuse_schema_mismatch(def.key, unknown);
  end if;
  perform private.assert_json_schema(def.schema, new.data, def.key);
  return new;
end
$$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
-- entity_definitions also has the trigger lifecycle (private.add_definition_kind, with the table).
create trigger audit after insert or update or delete on public.entity_definitions
  for each row execute function private.audit_row();
create trigger validate before insert or update on public.entity_records
  for each row execute function private.validate_entity_record();
create trigger audit after insert or update or delete on public.entity_records
  for each row execute function private.audit_row();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
-- entity_definitions: private.add_definition_kind (with the table)
alter table public.entity_records enable row level security;

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
