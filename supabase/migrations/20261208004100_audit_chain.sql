-- A tamper-evident audit trail, and the unit API key behind each change.
--
-- Every sealed audit row carries its place in one chain (chain_seq), the previous row's hash (prev_hash) and the
-- hash of its own content with that previous hash (row_hash = SHA-256 of the previous hash and the row's canonical
-- JSON). Rows are written unsealed (those three null) without any lock, so audited writes never wait on each other;
-- `private.seal_audit_chain()` (the engine's audit_seal cron, every minute, and npm run audit:verify) links the
-- committed unsealed rows after the chain's head in id order, one sealer at a time. Chain order is seal order: a
-- row committed late with a lower id is sealed in a later pass with a higher chain_seq. `private.audit_verify()`
-- walks the sealed chain and reports the first broken link (a changed row, a removed row) and how many rows are
-- still unsealed. An unsealed row changed before its seal is not detectable (the window is the sealing interval).

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
comment on table private.audit_chain_head is 'The last sealed link of the audit chain; its row lock serialises sealers.';
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

-- On insert: which key made the change, and no chain link (sealing comes after commit; see seal_audit_chain).
-- Takes no lock.
create or replace function private.audit_chain_link()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
begin
  -- Which key: from the request's claims only (the gateway's token for the key, kept by private.api_caller),
  -- never from what the inserting code says.
  new.api_key_id := case when v_claims ->> 'api_key_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                         then (v_claims ->> 'api_key_id')::uuid end;
  -- Nobody writes a row already sealed.
  new.chain_seq := null;
  new.prev_hash := null;
  new.row_hash := null;
  return new;
end
$$;

-- Named to run after any other BEFORE INSERT trigger, so it sees the row as stored.
create trigger zz_chain before insert on public.audit_log
  for each row execute function private.audit_chain_link();

-- Audit rows stay append-only. The one update allowed is the sealer's seal of an unsealed row, and only as the
-- next link after the head (chain position head + 1, prev_hash the head's hash, row_hash its true hash) with the
-- content unchanged; it advances the head, whose row lock serialises seals.
create or replace function private.audit_log_guard()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_head private.audit_chain_head;
begin
  if tg_op = 'UPDATE' and old.chain_seq is null and new.chain_seq is not null
     and coalesce(current_setting('private.audit_sealing', true), '') = 'on'
     and (old.id, old.table_name, old.record_id, old.action, old.actor_id, old.actor_role, old.at, old.before, old.after,
          old.reason, old.api_key_id)
         is not distinct from
         (new.id, new.table_name, new.record_id, new.action, new.actor_id, new.actor_role, new.at, new.before, new.after,
          new.reason, new.api_key_id) then
    select * into v_head from private.audit_chain_head for update;
    if new.chain_seq = v_head.seq + 1 and new.prev_hash = v_head.hash
       and new.row_hash = private.audit_row_hash(new) then
      update private.audit_chain_head set seq = new.chain_seq, hash = new.row_hash;
      return new;
    end if;
  end if;
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege',
    hint = 'append_only', detail = json_build_object('table', tg_table_name, 'operation', tg_op)::text;
end
$$;
drop trigger append_only on public.audit_log;
create trigger append_only before update or delete on public.audit_log
  for each row execute function private.audit_log_guard();

-- Seals the committed unsealed rows this call can see, in id order, after the chain's head; at most p_max.
-- One sealer at a time: another one returns 0 at once. Returns how many rows it sealed.
create or replace function private.seal_audit_chain(p_max int default 10000)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_head private.audit_chain_head;
  v_row public.audit_log;
  v_count int := 0;
begin
  if p_max is null or p_max < 1 or p_max > 100000 then
    raise exception 'seal batch must be between 1 and 100000' using errcode = '22023', hint = 'invalid_batch';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('private.seal_audit_chain')) then
    return 0;
  end if;
  perform set_config('private.audit_sealing', 'on', true);
  select * into v_head from private.audit_chain_head for update;
  for v_row in select * from public.audit_log a where a.chain_seq is null order by a.id limit p_max loop
    v_row.chain_seq := v_head.seq + 1;
    v_row.prev_hash := v_head.hash;
    v_row.row_hash := private.audit_row_hash(v_row);
    update public.audit_log set chain_seq = v_row.chain_seq, prev_hash = v_row.prev_hash, row_hash = v_row.row_hash
    where id = v_row.id and chain_seq is null;
    if not found then
      raise exception 'audit row % was sealed twice', v_row.id using errcode = '40001', hint = 'seal_conflict';
    end if;
    v_head.seq := v_row.chain_seq;
    v_head.hash := v_row.row_hash;
    v_count := v_count + 1;
  end loop;
  perform set_config('private.audit_sealing', '', true);
  return v_count;
end
$$;
comment on function private.seal_audit_chain(int) is
  'Seals the committed unsealed audit rows after the chain head (engine cron audit_seal, npm run audit:verify).';

-- Seal the rows written so far.
insert into private.audit_chain_head (seq, hash) values (0, private.audit_chain_genesis());
select private.seal_audit_chain(100000);

-- Walks the sealed chain from the start; the first broken link, or ok with the number of rows checked; and how
-- many rows are still unsealed (written since the last seal, or not yet visible to it).
-- problem: content_changed (the row is not what was hashed), link_broken (its prev_hash is not the previous
-- row's hash), row_missing (a chain position is absent), head_mismatch (rows removed at the end).
create or replace function private.audit_verify()
returns table (ok boolean, checked bigint, broken_id bigint, broken_seq bigint, problem text, unsealed bigint)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_row public.audit_log;
  v_prev bytea := private.audit_chain_genesis();
  v_seq bigint := 0;
  v_head private.audit_chain_head;
  v_unsealed bigint;
begin
  select count(*) into v_unsealed from public.audit_log a where a.chain_seq is null;
  for v_row in select * from public.audit_log a where a.chain_seq is not null order by a.chain_seq loop
    v_seq := v_seq + 1;
    if v_row.chain_seq <> v_seq then
      return query select false, v_seq - 1, v_row.id, v_seq, 'row_missing'::text, v_unsealed;
      return;
    end if;
    if v_row.prev_hash is distinct from v_prev then
      return query select false, v_seq - 1, v_row.id, v_seq, 'link_broken'::text, v_unsealed;
      return;
    end if;
    if private.audit_row_hash(v_row) is distinct from v_row.row_hash then
      return query select false, v_seq - 1, v_row.id, v_seq, 'content_changed'::text, v_unsealed;
      return;
    end if;
    v_prev := v_row.row_hash;
  end loop;
  select * into v_head from private.audit_chain_head;
  if v_head.seq <> v_seq or v_head.hash is distinct from v_prev then
    return query select false, v_seq, null::bigint, v_seq + 1, 'head_mismatch'::text, v_unsealed;
    return;
  end if;
  return query select true, v_seq, null::bigint, null::bigint, null::text, v_unsealed;
end
$$;
comment on function private.audit_verify() is
  'Checks the sealed audit chain (npm run audit:verify): ok, or the first broken row and why; and the unsealed count.';
revoke all on function private.audit_verify(), private.audit_chain_link(), private.audit_row_hash(public.audit_log),
  private.audit_log_guard(), private.seal_audit_chain(int)
  from public, anon, authenticated;
grant execute on function private.seal_audit_chain(int) to service_role;

-- Directors and admins read the trail; admins also see which key a call came from (public.api_keys).
