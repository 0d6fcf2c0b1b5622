-- Form definitions (JSON Schema + uiSchema), versioned, draft/published. A published version is
-- never edited in place; records keep the version they were made with. Member records are checked
-- against the published member form in the database, whichever client writes them.

-- ── Types ────────────────────────────────────────────────────────────────────────────────
create type public.config_status as enum ('draft', 'published', 'archived');

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

alter table public.members add column form_version int;
comment on column public.members.form_version is 'Version of the member form this record was last saved with.';
comment on column public.members.custom is 'Fields added through the form builder, validated against the published member form.';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
create or replace function private.freeze_published_form()
returns trigger
language plpgsql
as $$
begin
  if old.status <> 'draft' and (new.schema is distinct from old.schema or new.ui_schema is distinct from old.ui_schema
                                or new.key <> old.key or new.version <> old.version) then
    raise exception 'form % version % is %: create a new version instead of editing it', old.key, old.version, old.status
      using errcode = 'check_violation';
  end if;
  if old.status = 'archived' and new.status <> 'archived' then
    raise exception 'form % version % is archived and cannot be republished; copy it into a new draft', old.key, old.version
      using errcode = 'check_violation';
  end if;
  return new;
end
$$;

-- Publishes one draft: the previous published version of the same key becomes archived.
create or replace function public.publish_form(p_key text, p_version int)
returns public.form_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  published public.form_definitions;
begin
  if not (coalesce(auth.role(), 'service_role') = 'service_role' or private.has_role('admin')) then
    raise exception 'only administrators may publish forms' using errcode = 'insufficient_privilege';
  end if;
  perform 1 from public.form_definitions where key = p_key for update;
  if not exists (select 1 from public.form_definitions where key = p_key and version = p_version and status = 'draft') then
    raise exception 'form % has no draft version %', p_key, p_version using errcode = 'no_data_found';
  end if;
  update public.form_definitions set status = 'archived' where key = p_key and status = 'published';
  update public.form_definitions
     set status = 'published', published_at = now(), published_by = auth.uid()
   where key = p_key and version = p_version
  returning * into published;
  return published;
end
$$;

-- The member as its form sees it: built-in columns plus custom fields.
create or replace function private.member_form_data(m public.members)
returns jsonb
language sql immutable
as $$
  select jsonb_strip_nulls(jsonb_build_object(
    'name', m.name, 'phone', m.phone, 'email', m.email, 'birthday', m.birthday,
    'gender', m.gender, 'tags', to_jsonb(m.tags))) || m.custom
$$;

create or replace function private.validate_member_form()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  form public.form_definitions;
begin
  if tg_op = 'UPDATE' and new.custom = old.custom and new.name = old.name and new.phone = old.phone
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

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
create trigger freeze_published before update on public.form_definitions
  for each row execute function private.freeze_published_form();
create trigger audit after insert or update or delete on public.form_definitions
  for each row execute function private.audit_row();
create trigger validate_form before insert or update on public.members
  for each row execute function private.validate_member_form();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
alter table public.form_definitions enable row level security;

create policy "staff read forms" on public.form_definitions
  for select to authenticated using ((select private.is_staff_user()));
create policy "admins write form drafts" on public.form_definitions
  for insert to authenticated with check ((select private.has_role('admin')) and status = 'draft');
create policy "admins edit form drafts" on public.form_definitions
  for update to authenticated using ((select private.has_role('admin')) and status = 'draft')
  with check ((select private.has_role('admin')) and status = 'draft');
create policy "admins delete form drafts" on public.form_definitions
  for delete to authenticated using ((select private.has_role('admin')) and status = 'draft');

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.form_definitions from anon;
grant select, insert, update, delete on public.form_definitions to authenticated;
grant all on public.form_definitions to service_role;
revoke all on function public.publish_form(text, int) from public, anon;
grant execute on function public.publish_form(text, int) to authenticated, service_role;
