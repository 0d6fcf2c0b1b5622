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

-- Returns one message per violation, each starting with the JSON path of the field ("/plate: ...").
-- An empty array means valid. The form builder expresses conditional fields as allOf: [{if: {properties:
-- {c: {const: v}}, required: [c]}, then: {properties: {f: {...}}, required: [f]}}], so a hidden field is
-- never required, and a shown one is checked here exactly as ajv checks it in the browser.
create or replace function private.json_schema_errors(schema jsonb, value jsonb, path text default '')
returns text[]
language plpgsql immutable
as $$
#variable_conflict use_variable
declare
  errors text[] := '{}';
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
      return array[format('%s: must be of type %s', label, array_to_string(array(select jsonb_array_elements_text(types)), ' or '))];
    end if;
  end if;

  if schema ? 'enum' and not (schema -> 'enum') @> jsonb_build_array(value) then
    errors := errors || format('%s: must be one of %s', label, schema -> 'enum');
  end if;
  if schema ? 'const' and value <> schema -> 'const' then
    errors := errors || format('%s: must equal %s', label, schema -> 'const');
  end if;

  if jsonb_typeof(schema -> 'allOf') = 'array' then
    for sub in select e from jsonb_array_elements(schema -> 'allOf') e loop
      errors := errors || private.json_schema_errors(sub, value, path);
    end loop;
  end if;
  if schema ? 'if' then
    if cardinality(private.json_schema_errors(schema -> 'if', value, path)) = 0 then
      errors := errors || private.json_schema_errors(schema -> 'then', value, path);
    else
      errors := errors || private.json_schema_errors(schema -> 'else', value, path);
    end if;
  end if;

  case jsonb_typeof(value)
  when 'number' then
    num := (value::text)::numeric;
    if schema ? 'minimum' and num < (schema ->> 'minimum')::numeric then
      errors := errors || format('%s: must be >= %s', label, schema ->> 'minimum');
    end if;
    if schema ? 'maximum' and num > (schema ->> 'maximum')::numeric then
      errors := errors || format('%s: must be <= %s', label, schema ->> 'maximum');
    end if;
    if schema ? 'exclusiveMinimum' and num <= (schema ->> 'exclusiveMinimum')::numeric then
      errors := errors || format('%s: must be > %s', label, schema ->> 'exclusiveMinimum');
    end if;
    if schema ? 'exclusiveMaximum' and num >= (schema ->> 'exclusiveMaximum')::numeric then
      errors := errors || format('%s: must be < %s', label, schema ->> 'exclusiveMaximum');
    end if;
    if schema ? 'multipleOf' and num % (schema ->> 'multipleOf')::numeric <> 0 then
      errors := errors || format('%s: must be a multiple of %s', label, schema ->> 'multipleOf');
    end if;
  when 'string' then
    len := char_length(value #>> '{}');
    if schema ? 'minLength' and len < (schema ->> 'minLength')::int then
      errors := errors || format('%s: must have at least %s characters', label, schema ->> 'minLength');
    end if;
    if schema ? 'maxLength' and len > (schema ->> 'maxLength')::int then
      errors := errors || format('%s: must have at most %s characters', label, schema ->> 'maxLength');
    end if;
    if schema ? 'pattern' and (value #>> '{}') !~ (schema ->> 'pattern') then
      errors := errors || format('%s: must match pattern %s', label, schema ->> 'pattern');
    end if;
    if schema ->> 'format' = 'email' and (value #>> '{}') !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
      errors := errors || format('%s: must be an email address', label);
    elsif schema ->> 'format' = 'date' and (value #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$' then
      errors := errors || format('%s: must be a date (YYYY-MM-DD)', label);
    elsif schema ->> 'format' = 'date-time'
          and (value #>> '{}') !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$' then
      errors := errors || format('%s: must be a date-time with a time zone', label);
    end if;
  when 'object' then
    if schema ? 'required' then
      for field in select jsonb_array_elements_text(schema -> 'required') loop
        if not value ? field then
          errors := errors || format('%s/%s: is required', path, field);
        end if;
      end loop;
    end if;
    for field, sub in select key, v from jsonb_each(value) as e(key, v) loop
      if schema -> 'properties' ? field then
        errors := errors || private.json_schema_errors(schema -> 'properties' -> field, sub, path || '/' || field);
      elsif schema -> 'additionalProperties' = 'false'::jsonb then
        errors := errors || format('%s/%s: is not an allowed field', path, field);
      end if;
    end loop;
  when 'array' then
    len := jsonb_array_length(value);
    if schema ? 'minItems' and len < (schema ->> 'minItems')::int then
      errors := errors || format('%s: must have at least %s items', label, schema ->> 'minItems');
    end if;
    if schema ? 'maxItems' and len > (schema ->> 'maxItems')::int then
      errors := errors || format('%s: must have at most %s items', label, schema ->> 'maxItems');
    end if;
    if (schema -> 'uniqueItems')::text = 'true'
       and (select count(distinct e) from jsonb_array_elements(value) e) < len then
      errors := errors || format('%s: items must be unique', label);
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
  'returns messages prefixed by the field path.';

-- Raises a check violation naming every invalid field; used by triggers on tables that hold form data.
create or replace function private.assert_json_schema(schema jsonb, value jsonb, what text)
returns void
language plpgsql immutable
as $$
declare
  errors text[] := private.json_schema_errors(schema, value);
begin
  if cardinality(errors) > 0 then
    raise exception '% does not match its schema: %', what, array_to_string(errors, '; ')
      using errcode = 'check_violation', detail = to_jsonb(errors)::text;
  end if;
end
$$;

grant execute on function private.json_schema_errors(jsonb, jsonb, text), private.assert_json_schema(jsonb, jsonb, text),
  private.json_type_matches(text, jsonb) to authenticated, service_role;
