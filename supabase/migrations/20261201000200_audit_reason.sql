-- Why a change was made, for changes made through the API: the app sends the reason as the
-- x-audit-reason request header (percent-encoded UTF-8, since HTTP header values are Latin-1), which
-- PostgREST exposes in the request.headers setting. The app.reason setting (set by SQL functions such
-- as merge_members) still comes first.

-- The x-audit-reason header of the current API request, decoded; null when absent or malformed
-- (a bad header never blocks the change it describes).
create or replace function private.request_reason()
returns text
language plpgsql stable set search_path = ''
as $$
declare
  encoded text;
  decoded text;
begin
  encoded := nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-audit-reason';
  if encoded is null then
    return null;
  end if;
  select convert_from(decode(string_agg(
           case when part[1] ~ '^%[0-9A-Fa-f]{2}$' then substr(part[1], 2)
                else encode(convert_to(part[1], 'UTF8'), 'hex') end, '' order by n), 'hex'), 'UTF8')
    into decoded
    from regexp_matches(encoded, '%[0-9A-Fa-f]{2}|[^%]+|%', 'g') with ordinality as m(part, n);
  return nullif(left(btrim(decoded), 500), '');
exception when others then
  return null;
end
$$;

create or replace function private.audit_row()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
begin
  if tg_op = 'UPDATE' and old_row = new_row then
    return new;
  end if;
  insert into public.audit_log (table_name, record_id, action, actor_id, actor_role, before, after, reason)
  values (
    tg_table_name,
    coalesce(new_row, old_row) ->> coalesce(tg_argv[0], 'id'),
    tg_op,
    (select auth.uid()),
    coalesce(claims ->> 'role', current_user),
    old_row,
    new_row,
    coalesce(nullif(current_setting('app.reason', true), ''), private.request_reason())
  );
  return coalesce(new, old);
end
$$;
