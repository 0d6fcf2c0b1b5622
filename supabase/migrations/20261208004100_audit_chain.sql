-- A tamper-evident audit trail, and the unit API key behind each change.
--
-- Every audit row carries its place in one chain (chain_seq), the previous row's hash (prev_hash) and the hash
-- of its own content with that previous hash (row_hash = SHA-256 of the previous hash and the row's canonical
-- JSON). A BEFORE INSERT trigger computes them in the inserting transaction, serialised on the chain's head row
-- (private.audit_chain_head, locked until commit), so concurrent writers extend the chain one after the other
-- and a rolled-back insert leaves the head as it was. `private.audit_verify()` (npm run audit:verify) walks the
-- chain and reports the first broken link: a changed row, a removed row, a row outside the chain.

alter table public.audit_log
  add column api_key_id uuid,
  add column chain_seq bigint,
  add column prev_hash bytea,
  add column row_hash bytea;
comment on column public.audit_log.api_key_id is 'The unit API key that made the change or call (public.api_keys), if any.';
comment on column public.audit_log.chain_seq is 'Position in the tamper-evident chain (1, 2, 3...).';
comment on column public.audit_log.row_hash is 'SHA-256 of prev_hash and the row''s content (private.audit_row_hash).';
create unique index audit_log_chain_seq_idx on public.audit_log (chain_seq);
create index audit_log_actor_idx on public.audit_log (actor_id, at desc);
create index audit_log_api_key_idx on public.audit_log (api_key_id, at desc) where api_key_id is not null;

-- A unit key's calls are audited with action CALL.
alter table public.audit_log drop constraint audit_log_action_check;
alter table public.audit_log add constraint audit_log_action_check
  check (action in ('INSERT', 'UPDATE', 'DELETE', 'EXPORT', 'CALL'));

create table private.audit_chain_head (
  singleton boolean primary key default true check (singleton),
  seq bigint not null,
  hash bytea not null
);
comment on table private.audit_chain_head is 'The last link of the audit chain; its row lock serialises writers.';
alter table private.audit_chain_head enable row level security;
revoke all on private.audit_chain_head from public, anon, authenticated, service_role;

-- The hash before the first row.
create or replace function private.audit_chain_genesis()
returns bytea
language sql immutable set search_path = ''
as $$
  select extensions.digest(convert_to('audit-chain-genesis', 'UTF8'), 'sha256')
$$;

-- The canonical content of a row (jsonb's text form is canonical: sorted keys, one spelling per value), with
-- time as UTC text so no session setting changes it, hashed after the previous row's hash.
create or replace function private.audit_row_hash(p_row public.audit_log)
returns bytea
language sql immutable set search_path = ''
as $$
  select extensions.digest(
    p_row.prev_hash || convert_to(jsonb_build_object(
      'seq', p_row.chain_seq, 'id', p_row.id, 'table', p_row.table_name, 'record', p_row.record_id,
      'action', p_row.action, 'actor', p_row.actor_id, 'actor_role', p_row.actor_role,
      'at', to_char(p_row.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'before', p_row.before, 'after', p_row.after, 'reason', p_row.reason, 'api_key', p_row.api_key_id)::text, 'UTF8'),
    'sha256')
$$;

create or replace function private.audit_chain_link()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  v_head private.audit_chain_head;
begin
  -- Which key: from the request's claims only (the gateway's token for the key, kept by private.api_caller),
  -- never from what the inserting code says.
  new.api_key_id := case when v_claims ->> 'api_key_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                         then (v_claims ->> 'api_key_id')::uuid end;
  select * into v_head from private.audit_chain_head for update;
  new.chain_seq := v_head.seq + 1;
  new.prev_hash := v_head.hash;
  new.row_hash := private.audit_row_hash(new);
  update private.audit_chain_head set seq = new.chain_seq, hash = new.row_hash;
  return new;
end
$$;

-- Link the rows written so far, in id order (the trail is append-only: no trigger may refuse this once).
alter table public.audit_log disable trigger append_only;
do $$
declare
  v_row public.audit_log;
  v_seq bigint := 0;
  v_prev bytea := private.audit_chain_genesis();
begin
  for v_row in select * from public.audit_log order by id loop
    v_seq := v_seq + 1;
    v_row.chain_seq := v_seq;
    v_row.prev_hash := v_prev;
    v_row.row_hash := private.audit_row_hash(v_row);
    update public.audit_log set chain_seq = v_row.chain_seq, prev_hash = v_row.prev_hash, row_hash = v_row.row_hash
    where id = v_row.id;
    v_prev := v_row.row_hash;
  end loop;
  insert into private.audit_chain_head (seq, hash) values (v_seq, v_prev);
end
$$;
alter table public.audit_log enable trigger append_only;

-- Named to run after any other BEFORE INSERT trigger, so it hashes the row as stored.
create trigger zz_chain before insert on public.audit_log
  for each row execute function private.audit_chain_link();

-- Walks the chain from the start; the first broken link, or ok with the number of rows checked.
-- problem: content_changed (the row is not what was hashed), link_broken (its prev_hash is not the previous
-- row's hash), row_missing (a chain position is absent), unchained (a row without a chain position),
-- head_mismatch (rows removed at the end).
create or replace function private.audit_verify()
returns table (ok boolean, checked bigint, broken_id bigint, broken_seq bigint, problem text)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_row public.audit_log;
  v_prev bytea := private.audit_chain_genesis();
  v_seq bigint := 0;
  v_head private.audit_chain_head;
begin
  select a.id into broken_id from public.audit_log a where a.chain_seq is null order by a.id limit 1;
  if found then
    return query select false, 0::bigint, broken_id, null::bigint, 'unchained'::text;
    return;
  end if;
  for v_row in select * from public.audit_log a order by a.chain_seq loop
    v_seq := v_seq + 1;
    if v_row.chain_seq <> v_seq then
      return query select false, v_seq - 1, v_row.id, v_seq, 'row_missing'::text;
      return;
    end if;
    if v_row.prev_hash is distinct from v_prev then
      return query select false, v_seq - 1, v_row.id, v_seq, 'link_broken'::text;
      return;
    end if;
    if private.audit_row_hash(v_row) is distinct from v_row.row_hash then
      return query select false, v_seq - 1, v_row.id, v_seq, 'content_changed'::text;
      return;
    end if;
    v_prev := v_row.row_hash;
  end loop;
  select * into v_head from private.audit_chain_head;
  if v_head.seq <> v_seq or v_head.hash is distinct from v_prev then
    return query select false, v_seq, null::bigint, v_seq + 1, 'head_mismatch'::text;
    return;
  end if;
  return query select true, v_seq, null::bigint, null::bigint, null::text;
end
$$;
comment on function private.audit_verify() is
  'Checks the audit chain (npm run audit:verify): ok, or the first broken row and why.';
revoke all on function private.audit_verify(), private.audit_chain_link(), private.audit_row_hash(public.audit_log)
  from public;

-- Directors and admins read the trail; admins also see which key a call came from (public.api_keys).
