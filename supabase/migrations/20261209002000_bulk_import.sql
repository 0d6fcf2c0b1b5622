-- Bulk import (批量导入): members, transactions, point adjustments and published custom entities from a file.
--
-- The browser parses and validates the file, then sends its rows in batches to public.import_batch, which
-- validates every row again and writes it through the product's own path:
--   members            an insert or update of public.members (its triggers check the published member form,
--                      fill the entry tier, open the balance and audit the row); upsert by phone or member_no;
--   transactions       public.record_transaction only, so the engine earns their points by the rules;
--   point_adjustments  public.submit_approval_request on the points-adjustment flow (its steps decide who
--                      approves; above the flow's threshold a second approver): nobody creates points here;
--   entity:<key>       public.entity_records (its trigger checks the entity's schema); upsert by a field.
-- Each (import, row number) is written once: a batch or a whole import submitted twice, even at the same moment,
-- writes once (public.import_rows claims the row first). A dry run takes exactly the same path inside a
-- subtransaction that is rolled back, so it reports what would change and changes nothing.

create or replace function private.import_limits()
returns jsonb
language sql immutable
as $$
  -- core/enums/limits.ts: IMPORT_MAX_BATCH_ROWS, IMPORT_MAX_ROWS, IMPORT_MAX_FILE_NAME_LENGTH.
  select jsonb_build_object('max_batch_rows', 1000, 'max_rows', 200000, 'max_file_name_length', 200)
$$;

create table public.imports (
  id uuid primary key default gen_random_uuid(),
  target text not null check (target in ('members', 'transactions', 'point_adjustments') or target ~ '^entity:[a-z][a-z0-9_]{1,47}$'),
  business_unit_id uuid references public.business_units (id),
  file_name text not null check (length(btrim(file_name)) between 1 and 200),
  key_field text check (key_field is null or key_field ~ '^[A-Za-z_][A-Za-z0-9_]{0,63}$'),
  dry_run boolean not null default false,
  total_rows int not null check (total_rows between 0 and 200000),
  status text not null default 'running' check (status in ('running', 'completed', 'cancelled')),
  inserted int not null default 0 check (inserted >= 0),
  updated int not null default 0 check (updated >= 0),
  unchanged int not null default 0 check (unchanged >= 0),
  submitted int not null default 0 check (submitted >= 0),
  failed int not null default 0 check (failed >= 0),
  created_by uuid not null default auth.uid(),
  idempotency_key text not null check (length(idempotency_key) between 8 and 100),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (created_by, idempotency_key)
);
create index imports_created_idx on public.imports (created_at desc);
comment on table public.imports is
  'One bulk import (批量导入) or its dry run: who, target, file, counts of rows inserted, updated, unchanged, submitted '
  'for approval and failed. Written only by create_import, import_batch and finish_import; audited.';

create table public.import_rows (
  import_id uuid not null references public.imports (id),
  row_no int not null check (row_no between 1 and 200000),
  outcome text not null default 'claimed' check (outcome in ('claimed', 'inserted', 'updated', 'unchanged', 'submitted', 'failed')),
  ref text,
  error jsonb,
  primary key (import_id, row_no)
);
comment on table public.import_rows is
  'Each row of an import, claimed before it is written: a row number is written once per import. Failed rows keep '
  'their reason code and values.';

alter table public.imports enable row level security;
alter table public.import_rows enable row level security;
-- The importer and administrators read an import and its rows; nobody writes them but the functions.
create policy "importer and admins read imports" on public.imports for select to authenticated
  using (created_by = (select auth.uid()) or (select private.has_role('admin')));
create policy "importer and admins read import rows" on public.import_rows for select to authenticated
  using (exists (select 1 from public.imports i where i.id = import_id
                 and (i.created_by = (select auth.uid()) or (select private.has_role('admin')))));
revoke all on public.imports, public.import_rows from anon, authenticated;
grant select on public.imports, public.import_rows to authenticated;
grant all on public.imports, public.import_rows to service_role;

create trigger audit after insert or update or delete on public.imports
  for each row execute function private.audit_row();

-- Who may import into a target for a unit: the roles that create the target's rows there.
create or replace function private.assert_import_access(p_target text, p_business_unit_id uuid)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_entity text;
begin
  if auth.uid() is null then
    raise exception 'permission denied: imports are made by a signed-in staff member' using errcode = '42501',
      hint = 'not_signed_in', detail = json_build_object('action', 'import')::text;
  end if;
  if p_target like 'entity:%' then
    v_entity := substr(p_target, 8);
    if not exists (select 1 from public.entity_definitions d where d.key = v_entity and d.status = 'published' and d.source_table is null) then
      raise exception 'unknown import target %', p_target using errcode = '22023',
        hint = 'import_target_unknown', detail = json_build_object('target', p_target)::text;
    end if;
    if not private.may_entity(v_entity, 'create') then
      raise exception 'permission denied: you may not create % records', v_entity using errcode = '42501',
        hint = 'import_not_allowed', detail = json_build_object('target', p_target)::text;
    end if;
    return;
  end if;
  if p_target not in ('members', 'transactions', 'point_adjustments') then
    raise exception 'unknown import target %', coalesce(p_target, 'null') using errcode = '22023',
      hint = 'import_target_unknown', detail = json_build_object('target', p_target)::text;
  end if;
  perform private.assert_business_unit(p_business_unit_id);
  -- members: who registers members (RLS "member service registers members"); transactions and adjustments:
  -- the front office of the unit (record_transaction and submit_approval_request check the same per row).
  if not private.has_any_role(case p_target when 'members' then '{staff,manager}'::public.app_role[]
                                            else '{staff,manager,director}'::public.app_role[] end, p_business_unit_id) then
    raise exception 'permission denied: importing % for business unit % needs a role there', p_target, p_business_unit_id
      using errcode = '42501', hint = 'import_not_allowed',
            detail = json_build_object('target', p_target, 'business_unit_id', p_business_unit_id)::text;
  end if;
end
$$;

-- Starts an import (or its dry run). A repeat of p_idempotency_key by the same user returns the import it made.
create or replace function public.create_import(p_target text, p_business_unit_id uuid, p_file_name text, p_total_rows int,
  p_idempotency_key text, p_key_field text default null, p_dry_run boolean default false)
returns public.imports
language plpgsql security definer set search_path = ''
as $$
declare
  v_import public.imports;
  v_limits jsonb := private.import_limits();
begin
  perform private.assert_import_access(p_target, p_business_unit_id);
  if p_idempotency_key is null or length(p_idempotency_key) not between 8 and 100 then
    raise exception 'an idempotency key of 8 to 100 characters is required' using errcode = '22023',
      hint = 'idempotency_key_invalid', detail = json_build_object('min', 8, 'max', 100)::text;
  end if;
  select * into v_import from public.imports i where i.created_by = auth.uid() and i.idempotency_key = p_idempotency_key;
  if found then
    return v_import;
  end if;
  if p_file_name is null or length(btrim(p_file_name)) not between 1 and (v_limits ->> 'max_file_name_length')::int then
    raise exception 'a file name of 1 to % characters is required', v_limits ->> 'max_file_name_length' using errcode = '22023',
      hint = 'import_file_name_invalid', detail = json_build_object('max', v_limits -> 'max_file_name_length')::text;
  end if;
  if p_total_rows is null or p_total_rows not between 1 and (v_limits ->> 'max_rows')::int then
    raise exception 'an import has 1 to % rows, got %', v_limits ->> 'max_rows', coalesce(p_total_rows::text, 'null')
      using errcode = '22023', hint = 'import_too_many_rows',
            detail = json_build_object('max', v_limits -> 'max_rows', 'rows', p_total_rows)::text;
  end if;
  if p_target = 'members' and coalesce(p_key_field, 'phone') not in ('phone', 'member_no') then
    raise exception 'members are matched by phone or member_no, not %', p_key_field using errcode = '22023',
      hint = 'import_key_invalid', detail = json_build_object('key', p_key_field, 'allowed', json_build_array('phone', 'member_no'))::text;
  end if;
  if p_target in ('transactions', 'point_adjustments') and p_key_field is not null then
    raise exception '% are not matched by a key: a transaction is one per order number, an adjustment one request per row', p_target
      using errcode = '22023', hint = 'import_key_invalid', detail = json_build_object('key', p_key_field, 'allowed', json_build_array())::text;
  end if;
  if p_target like 'entity:%' and p_key_field is not null and not (
      p_key_field = any (private.schema_field_names((select d.schema from public.entity_definitions d
                                                     where d.key = substr(p_target, 8) and d.status = 'published')))) then
    raise exception 'the entity has no field %', p_key_field using errcode = '22023',
      hint = 'import_key_invalid', detail = json_build_object('key', p_key_field)::text;
  end if;
  insert into public.imports (target, business_unit_id, file_name, key_field, dry_run, total_rows, idempotency_key)
  values (p_target, p_business_unit_id, btrim(p_file_name),
          case when p_target = 'members' then coalesce(p_key_field, 'phone') else p_key_field end,
          coalesce(p_dry_run, false), p_total_rows, p_idempotency_key)
  returning * into v_import;
  return v_import;
end
$$;

-- One row of a members import: update the member found by the key, else register one for the import's unit.
create or replace function private.import_member_row(p_import public.imports, p_data jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_custom jsonb := p_data - array['name', 'phone', 'email', 'birthday', 'gender', 'tags', 'member_no'];
  v_member public.members;
  v_key text := p_data ->> p_import.key_field;
  v_tags text[];
begin
  if v_key is null or btrim(v_key) = '' then
    raise exception 'the key field % is empty', p_import.key_field using errcode = '22023',
      hint = 'import_key_missing', detail = json_build_object('field', p_import.key_field)::text;
  end if;
  if jsonb_typeof(p_data -> 'tags') = 'array' then
    v_tags := array(select jsonb_array_elements_text(p_data -> 'tags'));
  elsif p_data ? 'tags' then
    raise exception 'tags must be a list' using errcode = '22023', hint = 'schema_mismatch',
      detail = json_build_object('errors', json_build_array(json_build_object('path', '/tags', 'keyword', 'type', 'params', json_build_object('type', 'array'))))::text;
  end if;
  if p_import.key_field = 'member_no' then
    select * into v_member from public.members m where m.member_no = btrim(v_key) and m.merged_into is null for update;
    if not found then
      raise exception 'no member has the number %', v_key using errcode = 'P0002',
        hint = 'member_unknown', detail = json_build_object('member_no', v_key)::text;
    end if;
  else
    select * into v_member from public.members m where m.phone = btrim(v_key) and m.merged_into is null for update;
  end if;
  if v_member.id is null then
    insert into public.members (name, phone, email, birthday, gender, tags, custom, home_business_unit_id)
    values (p_data ->> 'name', p_data ->> 'phone', p_data ->> 'email', (p_data ->> 'birthday')::date,
            coalesce(p_data ->> 'gender', 'unknown')::public.gender, coalesce(v_tags, '{}'), v_custom, p_import.business_unit_id)
    returning * into v_member;
    return jsonb_build_object('outcome', 'inserted', 'ref', v_member.member_no);
  end if;
  update public.members m set
    name = coalesce(p_data ->> 'name', m.name),
    phone = coalesce(p_data ->> 'phone', m.phone),
    email = case when p_data ? 'email' then p_data ->> 'email' else m.email end,
    birthday = case when p_data ? 'birthday' then (p_data ->> 'birthday')::date else m.birthday end,
    gender = coalesce((p_data ->> 'gender')::public.gender, m.gender),
    tags = coalesce(v_tags, m.tags),
    custom = m.custom || v_custom
  where m.id = v_member.id
    and (m.name, m.phone, m.email, m.birthday, m.gender, m.tags, m.custom) is distinct from
        (coalesce(p_data ->> 'name', m.name), coalesce(p_data ->> 'phone', m.phone),
         case when p_data ? 'email' then p_data ->> 'email' else m.email end,
         case when p_data ? 'birthday' then (p_data ->> 'birthday')::date else m.birthday end,
         coalesce((p_data ->> 'gender')::public.gender, m.gender), coalesce(v_tags, m.tags), m.custom || v_custom);
  return jsonb_build_object('outcome', case when found then 'updated' else 'unchanged' end, 'ref', v_member.member_no);
end
$$;

-- One row of a transactions import, through record_transaction (the engine earns its points).
create or replace function private.import_transaction_row(p_import public.imports, p_data jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_form jsonb := (select f.schema from public.form_definitions f where f.key = 'transaction' and f.status = 'published');
  v_data jsonb := p_data;
  v_unit uuid;
  v_member uuid;
  v_result jsonb;
begin
  if not v_data ? 'business_unit_code' then
    v_data := v_data || jsonb_build_object('business_unit_code', (select bu.code from public.business_units bu where bu.id = p_import.business_unit_id));
  end if;
  if v_form is not null then
    perform private.assert_json_schema(v_form, v_data, 'transaction');
  end if;
  select bu.id into v_unit from public.business_units bu where bu.code = v_data ->> 'business_unit_code';
  if v_unit is distinct from p_import.business_unit_id then
    raise exception 'this import is for one business unit; the row names %', v_data ->> 'business_unit_code' using errcode = '42501',
      hint = 'import_unit_mismatch', detail = json_build_object('business_unit_code', v_data ->> 'business_unit_code')::text;
  end if;
  select m.id into v_member from public.members m where m.phone = v_data ->> 'member_phone' and m.merged_into is null;
  if v_member is null then
    raise exception 'no member has the phone %', v_data ->> 'member_phone' using errcode = 'P0002',
      hint = 'member_unknown', detail = json_build_object('phone', v_data ->> 'member_phone')::text;
  end if;
  v_result := public.record_transaction(v_member, v_unit, v_data ->> 'order_no', (v_data ->> 'amount')::numeric,
    coalesce(v_data ->> 'channel', 'import'), coalesce((v_data ->> 'occurred_at')::timestamptz, now()), '[]'::jsonb);
  return jsonb_build_object('outcome', case when (v_result ->> 'duplicate')::boolean then 'unchanged' else 'inserted' end,
                            'ref', v_result ->> 'transaction_id');
end
$$;

-- One row of a point adjustments import: an approval request on the points-adjustment flow (never points directly).
create or replace function private.import_adjustment_row(p_import public.imports, p_row_no int, p_data jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_member uuid;
  v_request public.approval_requests;
begin
  select m.id into v_member from public.members m where m.phone = p_data ->> 'member_phone' and m.merged_into is null;
  if v_member is null then
    raise exception 'no member has the phone %', coalesce(p_data ->> 'member_phone', 'null') using errcode = 'P0002',
      hint = 'member_unknown', detail = json_build_object('phone', p_data ->> 'member_phone')::text;
  end if;
  v_request := public.submit_approval_request('points-adjustment', p_import.business_unit_id,
    (p_data - 'member_phone') || jsonb_build_object('member_id', v_member),
    'import:' || p_import.id || ':' || p_row_no);
  return jsonb_build_object('outcome', 'submitted', 'ref', v_request.id);
end
$$;

-- One row of a custom entity import: update the record whose key field has this value, else insert one.
create or replace function private.import_entity_row(p_import public.imports, p_data jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_key text := substr(p_import.target, 8);
  v_id uuid;
  v_changed boolean;
begin
  if p_import.key_field is not null then
    if p_data ->> p_import.key_field is null then
      raise exception 'the key field % is empty', p_import.key_field using errcode = '22023',
        hint = 'import_key_missing', detail = json_build_object('field', p_import.key_field)::text;
    end if;
    select r.id, r.data is distinct from r.data || p_data into v_id, v_changed from public.entity_records r
    where r.entity_key = v_key and r.data -> p_import.key_field = p_data -> p_import.key_field
    order by r.created_at limit 1 for update;
  end if;
  if v_id is null then
    insert into public.entity_records (entity_key, entity_version, data)
    values (v_key, (select d.version from public.entity_definitions d where d.key = v_key and d.status = 'published'), p_data)
    returning id into v_id;
    return jsonb_build_object('outcome', 'inserted', 'ref', v_id);
  end if;
  if not v_changed then
    return jsonb_build_object('outcome', 'unchanged', 'ref', v_id);
  end if;
  if not private.may_entity(v_key, 'edit') then
    raise exception 'permission denied: you may not edit % records', v_key using errcode = '42501',
      hint = 'import_not_allowed', detail = json_build_object('target', p_import.target)::text;
  end if;
  update public.entity_records r set data = r.data || p_data,
    entity_version = (select d.version from public.entity_definitions d where d.key = v_key and d.status = 'published')
  where r.id = v_id;
  return jsonb_build_object('outcome', 'updated', 'ref', v_id);
end
$$;

-- Writes one batch of an import: p_rows is [{"row": <number in the file>, "data": {...}}, ...]. Each row is
-- claimed first (a row already written answers its earlier outcome and writes nothing), then written in its own
-- subtransaction: a bad row fails alone with its reason code and values. A dry-run import runs the same path and
-- rolls all of it back. Answers {inserted, updated, unchanged, submitted, failed, repeated, errors: [{row, code, detail}]}.
create or replace function public.import_batch(p_import_id uuid, p_rows jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_import public.imports;
  v_limits jsonb := private.import_limits();
  v_item jsonb;
  v_row int;
  v_result jsonb;
  v_hint text;
  v_detail text;
  v_message text;
  v_counts jsonb := '{"inserted": 0, "updated": 0, "unchanged": 0, "submitted": 0, "failed": 0, "repeated": 0}';
  v_errors jsonb := '[]';
  v_outcome text;
begin
  select * into v_import from public.imports i where i.id = p_import_id;
  if not found or v_import.created_by is distinct from auth.uid() then
    raise exception 'unknown import %', coalesce(p_import_id::text, 'null') using errcode = 'P0002',
      hint = 'import_unknown', detail = json_build_object('import_id', p_import_id)::text;
  end if;
  if v_import.status <> 'running' then
    raise exception 'this import is %', v_import.status using errcode = '55000',
      hint = 'import_finished', detail = json_build_object('status', v_import.status)::text;
  end if;
  perform private.assert_import_access(v_import.target, v_import.business_unit_id);
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) not between 1 and (v_limits ->> 'max_batch_rows')::int then
    raise exception 'a batch is a list of 1 to % rows', v_limits ->> 'max_batch_rows' using errcode = '22023',
      hint = 'import_batch_invalid', detail = json_build_object('max', v_limits -> 'max_batch_rows')::text;
  end if;
  if exists (select 1 from jsonb_array_elements(p_rows) r
             where jsonb_typeof(r -> 'data') is distinct from 'object' or jsonb_typeof(r -> 'row') is distinct from 'number'
                or (r ->> 'row')::numeric not between 1 and v_import.total_rows or (r ->> 'row')::numeric <> trunc((r ->> 'row')::numeric))
     or (select count(distinct r ->> 'row') from jsonb_array_elements(p_rows) r) <> jsonb_array_length(p_rows) then
    raise exception 'each row needs a distinct number between 1 and % and an object of data', v_import.total_rows using errcode = '22023',
      hint = 'import_batch_invalid', detail = json_build_object('max', v_import.total_rows)::text;
  end if;

  begin
    for v_item in select r from jsonb_array_elements(p_rows) r order by (r ->> 'row')::int loop
      v_row := (v_item ->> 'row')::int;
      insert into public.import_rows (import_id, row_no) values (v_import.id, v_row) on conflict do nothing;
      if not found then
        v_counts := jsonb_set(v_counts, '{repeated}', to_jsonb((v_counts ->> 'repeated')::int + 1));
        continue;
      end if;
      begin
        v_result := case
          when v_import.target = 'members' then private.import_member_row(v_import, v_item -> 'data')
          when v_import.target = 'transactions' then private.import_transaction_row(v_import, v_item -> 'data')
          when v_import.target = 'point_adjustments' then private.import_adjustment_row(v_import, v_row, v_item -> 'data')
          else private.import_entity_row(v_import, v_item -> 'data') end;
        v_outcome := v_result ->> 'outcome';
        update public.import_rows set outcome = v_outcome, ref = v_result ->> 'ref' where import_id = v_import.id and row_no = v_row;
      exception when others then
        get stacked diagnostics v_hint = pg_exception_hint, v_detail = pg_exception_detail, v_message = message_text;
        if v_hint is null or v_hint !~ '^[a-z0-9_]+$' then
          v_hint := case sqlstate when '23505' then 'import_duplicate' when '22P02' then 'import_value_invalid'
                                  when '22007' then 'import_value_invalid' when '22008' then 'import_value_invalid'
                                  when '23514' then 'import_value_invalid' else 'import_row_failed' end;
        end if;
        v_outcome := 'failed';
        v_result := jsonb_build_object('row', v_row, 'code', v_hint,
          'detail', case when v_detail ~ '^\s*\{' then v_detail::jsonb else jsonb_build_object('message', left(v_message, 300)) end);
        v_errors := v_errors || v_result;
        update public.import_rows set outcome = 'failed', error = v_result where import_id = v_import.id and row_no = v_row;
      end;
      v_counts := jsonb_set(v_counts, array[v_outcome], to_jsonb((v_counts ->> v_outcome)::int + 1));
    end loop;
    if v_import.dry_run then
      raise exception 'dry run: rolled back' using errcode = 'P0001', hint = 'import_dry_run';
    end if;
  exception when sqlstate 'P0001' then
    get stacked diagnostics v_hint = pg_exception_hint;
    if v_hint is distinct from 'import_dry_run' then
      raise;
    end if;
  end;

  update public.imports i set
    inserted = i.inserted + (v_counts ->> 'inserted')::int,
    updated = i.updated + (v_counts ->> 'updated')::int,
    unchanged = i.unchanged + (v_counts ->> 'unchanged')::int,
    submitted = i.submitted + (v_counts ->> 'submitted')::int,
    failed = i.failed + (v_counts ->> 'failed')::int
  where i.id = v_import.id;
  return v_counts || jsonb_build_object('errors', v_errors);
end
$$;

-- Marks an import completed (or cancelled); its counts stay as the batches left them.
create or replace function public.finish_import(p_import_id uuid, p_cancelled boolean default false)
returns public.imports
language plpgsql security definer set search_path = ''
as $$
declare
  v_import public.imports;
begin
  select * into v_import from public.imports i where i.id = p_import_id for update;
  if not found or v_import.created_by is distinct from auth.uid() then
    raise exception 'unknown import %', coalesce(p_import_id::text, 'null') using errcode = 'P0002',
      hint = 'import_unknown', detail = json_build_object('import_id', p_import_id)::text;
  end if;
  if v_import.status = 'running' then
    update public.imports i set status = case when p_cancelled then 'cancelled' else 'completed' end, finished_at = now()
    where i.id = p_import_id returning * into v_import;
  end if;
  return v_import;
end
$$;

comment on function public.create_import(text, uuid, text, int, text, text, boolean) is
  'Starts a bulk import (or a dry run) of a target (members, transactions, point_adjustments, entity:<key>) for a '
  'business unit, checked against the roles that create the target''s rows there. Idempotent per user and key.';
comment on function public.import_batch(uuid, jsonb) is
  'Writes a batch of at most private.import_limits() max_batch_rows rows of an import through the target''s own path, '
  'each (import, row) once; a dry run rolls back. Answers the counts and the failed rows with reason codes.';

revoke all on function private.import_limits(), private.assert_import_access(text, uuid),
  private.import_member_row(public.imports, jsonb), private.import_transaction_row(public.imports, jsonb),
  private.import_adjustment_row(public.imports, int, jsonb), private.import_entity_row(public.imports, jsonb)
  from public, anon, authenticated;
revoke all on function public.create_import(text, uuid, text, int, text, text, boolean), public.import_batch(uuid, jsonb),
  public.finish_import(uuid, boolean) from public, anon;
grant execute on function public.create_import(text, uuid, text, int, text, text, boolean), public.import_batch(uuid, jsonb),
  public.finish_import(uuid, boolean) to authenticated, service_role;
