-- One lifecycle for every kind of versioned definition (forms, entities and rules today; approval flows and
-- dashboards next): draft -> published -> archived, one set of functions parametrised by the kind's table.
--   * A version is a draft until published; drafts are edited and deleted freely.
--   * A published version is immutable: only its status may move to archived (and superseded_at, where the
--     kind records it, be set once). An archived version stays archived. Neither is ever deleted.
--   * Publishing a version archives the key's previously published version at the same instant.
--   * Versions are made in the UI (origin 'ui') or from a file in schemas/ or workflows/ (origin 'file',
--     file_digest the sha-256 of what was read). Files publish a new version when they differ from the
--     database, never overwrite one, and never replace a version made in the UI.
-- A kind's table has key, version, status, published_at and published_by; private.add_definition_kind gives
-- it the rest (origin, file_digest, the trigger `lifecycle`, its policies, its row in private.definition_kinds).
-- Its function public.publish_<kind>(key, version) makes the kind's own checks, then calls
-- private.publish_definition_version.

-- ── Types ────────────────────────────────────────────────────────────────────────────────
create type public.config_status as enum ('draft', 'published', 'archived');

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
create table private.definition_kinds (
  kind text primary key check (kind ~ '^[a-z][a-z_]{1,31}$'),
  table_name regclass not null unique
);
comment on table private.definition_kinds is
  'The kinds of versioned definitions and their tables; public.publish_<kind>(key, version) publishes one.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
create or replace function private.definition_kind(p_table regclass)
returns text
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select k.kind from private.definition_kinds k where k.table_name = p_table);
end
$$;

-- Guards every write of a version (see the rules above). The kind's own checks run in its own triggers.
create or replace function private.guard_definition_version()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_kind text := private.definition_kind(tg_relid);
  v_mutable text[] := array['status', 'superseded_at', 'updated_at'];
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' or old.published_at is not null then
      raise exception '% % version % was published: it stays as history and cannot be deleted', v_kind, old.key, old.version
        using errcode = 'insufficient_privilege',
        hint = 'definition_published_kept', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version)::text;
    end if;
    return old;
  end if;
  if tg_op = 'INSERT' then
    if (new.status <> 'draft' or new.origin <> 'ui') and not private.is_system_caller() then
      raise exception '% versions are created as drafts and published with publish_%', v_kind, v_kind
        using errcode = 'insufficient_privilege',
        hint = 'definition_draft_only', detail = json_build_object('kind', v_kind)::text;
    end if;
    if new.status = 'published' then
      new.published_at := coalesce(new.published_at, clock_timestamp());
    end if;
    return new;
  end if;
  if old.status = 'draft' and old.published_at is null then
    if new.status = 'published' and new.published_at is null then
      new.published_at := clock_timestamp();
    end if;
    return new;
  end if;
  if to_jsonb(new) - v_mutable is distinct from to_jsonb(old) - v_mutable then
    raise exception '% % version % is %: create a new version instead of editing it', v_kind, old.key, old.version, old.status
      using errcode = 'check_violation',
      hint = 'definition_frozen', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version, 'status', old.status)::text;
  end if;
  if old.status = 'archived' and new.status <> 'archived' then
    raise exception '% % version % is archived and cannot be republished; copy it into a new draft', v_kind, old.key, old.version
      using errcode = 'check_violation',
      hint = 'definition_archived', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version)::text;
  end if;
  if new.status = 'draft' then
    raise exception '% % version % was published and cannot become a draft again', v_kind, old.key, old.version
      using errcode = 'check_violation',
      hint = 'definition_frozen', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version, 'status', old.status)::text;
  end if;
  if to_jsonb(old) ->> 'superseded_at' is not null and to_jsonb(new) -> 'superseded_at' is distinct from to_jsonb(old) -> 'superseded_at' then
    raise exception '% % version % was superseded at %: that moment is history', v_kind, old.key, old.version,
      to_jsonb(old) ->> 'superseded_at' using errcode = 'check_violation',
      hint = 'definition_superseded', detail = json_build_object('kind', v_kind, 'key', old.key, 'version', old.version)::text;
  end if;
  return new;
end
$$;

-- Locks every version of a key, in version order (publishers of one key queue up here).
create or replace function private.lock_definition_key(p_table regclass, p_key text)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_locked int;
begin
  execute format('select count(*) from (select 1 from %s d where d.key = $1 order by d.version for update) v', p_table)
    into v_locked using p_key;
end
$$;

-- Archives the key's published version at p_at (superseded at p_at where the kind records it); `archived`
-- is the number of versions archived (0 or 1).
create or replace function private.archive_published_version(p_table regclass, p_key text, p_at timestamptz,
                                                             out archived int)
language plpgsql security definer set search_path = ''
as $$
begin
  execute format('update %s set status = ''archived''%s where key = $1 and status = ''published''', p_table,
                 case when exists (select 1 from pg_catalog.pg_attribute a
                                   where a.attrelid = p_table and a.attname = 'superseded_at' and not a.attisdropped)
                      then ', superseded_at = $2' else '' end)
    using p_key, p_at;
  get diagnostics archived = row_count;
end
$$;

-- Publishes draft p_version of p_key at p_at, archiving the key's published version at the same instant.
-- The caller has checked who may publish and the kind's own conditions.
create or replace function private.publish_definition_version(p_table regclass, p_key text, p_version int, p_at timestamptz)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_published int;
begin
  perform private.lock_definition_key(p_table, p_key);
  execute format('select count(*) from %s where key = $1 and version = $2 and status = ''draft''', p_table)
    into v_published using p_key, p_version;
  if v_published = 0 then
    raise exception '% % has no draft version %', private.definition_kind(p_table), p_key, p_version
      using errcode = 'no_data_found',
      hint = 'definition_draft_missing', detail = json_build_object('kind', private.definition_kind(p_table), 'key', p_key, 'version', p_version)::text;
  end if;
  perform private.archive_published_version(p_table, p_key, p_at);
  execute format('update %s set status = ''published'', published_at = $3, published_by = auth.uid()
                  where key = $1 and version = $2', p_table)
    using p_key, p_version, p_at;
end
$$;

-- Inserts one version from its columns as JSON (only the columns given; the others take their defaults).
create or replace function private.insert_definition_version(p_table regclass, p_row jsonb)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_columns text := (select string_agg(format('%I', k), ', ') from jsonb_object_keys(p_row) k);
begin
  execute format('insert into %1$s (%2$s) select %2$s from jsonb_populate_record(null::%1$s, $1)', p_table, v_columns)
    using p_row;
end
$$;

-- Brings a definition read from a file into the database (the service role's start-up sync). Returns:
--   created                   the key was absent: version 1, published (at payload.published_at if given);
--   unchanged                 the latest version was made from the same file content;
--   published vN              the latest version was made from other file content: a new version N,
--                             published through public.publish_<kind> with the kind's checks;
--   kept (changed in the UI)  the latest version was made in the UI: the file does not replace it.
create or replace function private.sync_definition_from_file(p_kind text, p_key text, p_digest text, p_payload jsonb)
returns text
language plpgsql security definer set search_path = ''
as $$
declare
  v_table regclass := (select k.table_name from private.definition_kinds k where k.kind = p_kind);
  v_latest jsonb;
  v_row jsonb := (p_payload - 'published_at') || jsonb_build_object('key', p_key, 'origin', 'file', 'file_digest', p_digest);
  v_version int;
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: definitions are synced from files by the service role' using errcode = '42501',
      hint = 'system_job_only';
  end if;
  if v_table is null then
    raise exception 'unknown kind of definition %', coalesce(p_kind, 'null') using errcode = '22023',
      hint = 'definition_kind_unknown', detail = json_build_object('kind', p_kind)::text;
  end if;
  if p_digest is null or p_digest !~ '^[0-9a-f]{64}$' then
    raise exception 'file digest must be a sha-256 in hex, got %', coalesce(p_digest, 'null') using errcode = '22023',
      hint = 'file_digest_invalid';
  end if;
  perform pg_advisory_xact_lock(hashtext('private.sync_definition_from_file'), hashtext(p_kind || ':' || p_key));
  perform set_config('app.reason', 'definition-file-sync', true);
  perform private.lock_definition_key(v_table, p_key);
  execute format('select to_jsonb(d) from %s d where d.key = $1 order by d.version desc limit 1', v_table)
    into v_latest using p_key;
  if v_latest is null then
    perform private.insert_definition_version(v_table, v_row || jsonb_build_object(
      'version', 1, 'status', 'published', 'published_at', coalesce(p_payload -> 'published_at', to_jsonb(clock_timestamp()))));
    return 'created';
  end if;
  if v_latest ->> 'origin' = 'ui' then
    return 'kept (changed in the UI)';
  end if;
  if v_latest ->> 'file_digest' = p_digest then
    return 'unchanged';
  end if;
  v_version := (v_latest ->> 'version')::int + 1;
  perform private.insert_definition_version(v_table, v_row || jsonb_build_object('version', v_version, 'status', 'draft'));
  execute format('select 1 from public.%I($1, $2)', 'publish_' || p_kind) using p_key, v_version;
  return 'published v' || v_version;
end
$$;
comment on function private.sync_definition_from_file(text, text, text, jsonb) is
  'Syncs one definition read from a file (kind form, entity or rule; digest: sha-256 hex of what was read; payload: '
  'the version''s columns): created | unchanged | published vN | kept (changed in the UI). Never edits a version.';

-- Makes p_table a kind of versioned definition: origin and file_digest, the lifecycle trigger, and its
-- row-level security (staff read every version; administrators write, edit and delete drafts only; versions
-- are published through public.publish_<kind>). Policies: "staff read <plural>", "admins write <kind> drafts"...
create or replace procedure private.add_definition_kind(p_kind text, p_table regclass, p_plural text)
language plpgsql
as $$
declare
  v_admin_draft text := '(select private.has_role(''admin'')) and status = ''draft''';
begin
  execute format($ddl$
    alter table %1$s
      add column origin text not null default 'ui' check (origin in ('ui', 'file')),
      add column file_digest text constraint %2$I
        check (file_digest is null or (file_digest ~ '^[0-9a-f]{64}$' and origin = 'file'));
    create trigger lifecycle before insert or update or delete on %1$s
      for each row execute function private.guard_definition_version();
    alter table %1$s enable row level security;
    create policy %3$I on %1$s for select to authenticated using ((select private.is_staff_user()));
    create policy %4$I on %1$s for insert to authenticated with check (%7$s);
    create policy %5$I on %1$s for update to authenticated using (%7$s) with check (%7$s);
    create policy %6$I on %1$s for delete to authenticated using (%7$s);
    $ddl$, p_table, (select c.relname from pg_catalog.pg_class c where c.oid = p_table) || '_file_digest',
    'staff read ' || p_plural, format('admins write %s drafts', p_kind), format('admins edit %s drafts', p_kind),
    format('admins delete %s drafts', p_kind), v_admin_draft);
  insert into private.definition_kinds (kind, table_name) values (p_kind, p_table);
end
$$;

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on table private.definition_kinds from public, anon, authenticated;
revoke all on procedure private.add_definition_kind(text, regclass, text) from public, anon, authenticated;
revoke all on function private.definition_kind(regclass), private.guard_definition_version(),
  private.lock_definition_key(regclass, text), private.archive_published_version(regclass, text, timestamptz),
  private.publish_definition_version(regclass, text, int, timestamptz), private.insert_definition_version(regclass, jsonb),
  private.sync_definition_from_file(text, text, text, jsonb)
  from public, anon, authenticated;
grant execute on function private.sync_definition_from_file(text, text, text, jsonb) to service_role;
