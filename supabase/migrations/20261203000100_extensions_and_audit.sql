-- Extensions outside the API schema, an audit trail nobody can empty, and audited exports.
-- Applies unchanged to a hosted Supabase project (its extensions already live in `extensions`).

-- ── Extensions ───────────────────────────────────────────────────────────────────────────
-- PostgREST exposes `public`: an extension's functions there (pgcrypto's crypt, digest, gen_random_bytes...)
-- would be callable as RPCs. Every relocatable extension found in public moves to `extensions`.
create schema if not exists extensions;
do $$
declare
  v_ext record;
begin
  for v_ext in
    select e.extname from pg_extension e
    where e.extnamespace = 'public'::regnamespace and e.extrelocatable
  loop
    execute format('alter extension %I set schema extensions', v_ext.extname);
  end loop;
end
$$;
revoke all on schema extensions from anon;
grant usage on schema extensions to service_role;

-- pgcrypto's functions: for privileged connections only (the seed hashes the demo passwords with them).
do $$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure from pg_proc p
    join pg_depend d on d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
    join pg_extension e on e.oid = d.refobjid and e.extname = 'pgcrypto'
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_fn);
  end loop;
end
$$;

-- ── Audit trail ──────────────────────────────────────────────────────────────────────────
-- Row triggers already refuse UPDATE and DELETE; TRUNCATE bypasses them, so a statement trigger refuses
-- it for every role, the table owner included.
create trigger append_only_truncate before truncate on public.audit_log
  for each statement execute function private.refuse_change();
revoke truncate on public.audit_log from service_role;

-- An export of personal data is an audited event of its own (action EXPORT, no before/after row).
alter table public.audit_log drop constraint audit_log_action_check;
alter table public.audit_log add constraint audit_log_action_check
  check (action in ('INSERT', 'UPDATE', 'DELETE', 'EXPORT'));

create or replace function public.record_export(p_resource text, p_rows int, p_format text, p_filters jsonb default '[]')
returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_id bigint;
begin
  if not private.is_staff_user() then
    raise exception 'permission denied: only staff may export' using errcode = '42501',
      hint = 'export_not_allowed', detail = json_build_object('resource', p_resource)::text;
  end if;
  if p_resource is null or p_resource !~ '^[a-z][a-z0-9_]{0,62}$' or p_rows is null or p_rows < 0
     or p_format is null or p_format not in ('csv', 'xlsx') then
    raise exception 'an export names its resource, row count and format (csv or xlsx)' using errcode = '22023',
      hint = 'export_invalid', detail = json_build_object('resource', p_resource, 'rows', p_rows, 'format', p_format)::text;
  end if;
  insert into public.audit_log (table_name, action, actor_id, actor_role, after, reason)
  values (p_resource, 'EXPORT', (select auth.uid()), 'authenticated',
          jsonb_build_object('rows', p_rows, 'format', p_format, 'filters', coalesce(p_filters, '[]'::jsonb)),
          'data-export')
  returning id into v_id;
  return v_id;
end
$$;
comment on function public.record_export(text, int, text, jsonb) is
  'Writes the audit row of an export (action EXPORT: who, when, which resource, how many rows, format, filters); '
  'the app calls it before it hands the file to the user.';
revoke all on function public.record_export(text, int, text, jsonb) from public, anon;
grant execute on function public.record_export(text, int, text, jsonb) to authenticated, service_role;
