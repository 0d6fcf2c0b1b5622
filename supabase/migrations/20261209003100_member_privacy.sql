-- Member privacy: export everything about one member (public.member_privacy_export, audited), and anonymise a member
-- on request (public.anonymise_member): the personal fields (name, phone, email, birthday, gender, the member form's
-- custom fields) are replaced or cleared, irreversibly, in the member row, in the records merged into it, and in the
-- places that copy them (audit before/after payloads, the notification outbox and delivery logs, webhook events and
-- attempts, approval requests, follow-up notes, the unit's own member ids equal to the phone); the ledger, lots,
-- transactions and settlement are not touched, so every total stays. The member is cancelled (earns, redeems and
-- signs in nothing more) and marked anonymised.
--
-- Audit rows stay append-only and tamper-evident: a redacted row that was already sealed into the hash chain keeps
-- its link (row_hash) and records the hash of its redacted content in private.audit_redactions, which audit_verify
-- accepts in place of the original content's hash; the anonymisation itself is an audit row of the chain listing
-- the redacted rows. A redacted row changed afterwards is still reported (content_changed).

-- ── The member row ───────────────────────────────────────────────────────────────────────
alter table public.members
  add column anonymised_at timestamptz,
  add column anonymised_by uuid;
comment on column public.members.anonymised_at is
  'When the member''s personal data was anonymised (public.anonymise_member); null: never. Final.';
alter table public.members drop constraint members_phone_required;
alter table public.members add constraint members_phone_required
  check (phone is not null or merged_into is not null or anonymised_at is not null);
alter table public.members add constraint members_anonymised_cancelled
  check (anonymised_at is null or status = 'cancelled');

-- An anonymised record holds no personal data to check against the member form.
create or replace function private.validate_member_form()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  form public.form_definitions;
begin
  if new.merged_into is not null or new.anonymised_at is not null then
    return new;
  end if;
  if tg_op = 'UPDATE' and new.custom = old.custom and new.name = old.name and new.phone is not distinct from old.phone
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

-- Anonymised stays anonymised: no personal field comes back.
create or replace function private.keep_anonymised()
returns trigger
language plpgsql
as $$
begin
  if old.anonymised_at is not null and (new.anonymised_at is distinct from old.anonymised_at
     or new.name is distinct from old.name or new.phone is not null or new.email is not null or new.birthday is not null
     or new.custom <> '{}'::jsonb or new.phone_before_merge is not null or new.status <> 'cancelled') then
    raise exception 'member % was anonymised; its personal data cannot come back', old.id using errcode = '22023',
      hint = 'member_anonymised', detail = json_build_object('member_id', old.id)::text;
  end if;
  return new;
end
$$;
create trigger keep_anonymised before update on public.members
  for each row execute function private.keep_anonymised();

-- ── Scrubbing helpers ────────────────────────────────────────────────────────────────────
-- Each needle (2 characters or more) replaced by ***.
create or replace function private.scrub_text(p_text text, p_needles text[])
returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v text := p_text;
  n text;
begin
  if v is null then
    return null;
  end if;
  foreach n in array coalesce(p_needles, '{}') loop
    if n is not null and length(n) >= 2 then
      v := replace(v, n, '***');
    end if;
  end loop;
  return v;
end
$$;

-- The same inside a JSON value: in every string and key; a number holding a needle becomes the string ***.
create or replace function private.scrub_jsonb(p jsonb, p_needles text[])
returns jsonb
language plpgsql immutable set search_path = ''
as $$
declare
  v jsonb;
begin
  case jsonb_typeof(p)
    when 'string' then
      return to_jsonb(private.scrub_text(p #>> '{}', p_needles));
    when 'number' then
      if private.scrub_text(p::text, p_needles) <> p::text then
        return to_jsonb('***'::text);
      end if;
      return p;
    when 'object' then
      select coalesce(jsonb_object_agg(private.scrub_text(e.key, p_needles), private.scrub_jsonb(e.value, p_needles)), '{}'::jsonb)
      into v from jsonb_each(p) e;
      return v;
    when 'array' then
      select coalesce(jsonb_agg(private.scrub_jsonb(e.value, p_needles) order by e.ord), '[]'::jsonb)
      into v from jsonb_array_elements(p) with ordinality as e(value, ord);
      return v;
    else
      return p;
  end case;
end
$$;

-- A member row's personal fields in a JSON copy (audit payloads of the members table), where present.
create or replace function private.redact_member_json(p jsonb)
returns jsonb
language plpgsql immutable set search_path = ''
as $$
declare
  v jsonb := p;
begin
  if v is null or jsonb_typeof(v) <> 'object' then
    return v;
  end if;
  if v ? 'name' then v := v || jsonb_build_object('name', private.anonymised_name()); end if;
  if v ? 'phone' then v := v || jsonb_build_object('phone', null); end if;
  if v ? 'email' then v := v || jsonb_build_object('email', null); end if;
  if v ? 'birthday' then v := v || jsonb_build_object('birthday', null); end if;
  if v ? 'gender' then v := v || jsonb_build_object('gender', 'unknown'); end if;
  if v ? 'custom' then v := v || jsonb_build_object('custom', '{}'::jsonb); end if;
  if v ? 'phone_before_merge' then v := v || jsonb_build_object('phone_before_merge', null); end if;
  if v ? 'member_name' then v := v || jsonb_build_object('member_name', private.anonymised_name()); end if;
  return v;
end
$$;

create or replace function private.anonymised_name()
returns text
language sql immutable
as $$ select '匿名会员'::text $$;

-- ── Audit redaction, chain-compatible ────────────────────────────────────────────────────
create table private.audit_redactions (
  audit_id bigint primary key, -- public.audit_log.id (no foreign key: audit_log keeps refusing TRUNCATE by its own trigger)
  redacted_hash bytea not null,
  member_id uuid not null,
  redacted_at timestamptz not null default now()
);
comment on table private.audit_redactions is
  'Sealed audit rows whose personal data was redacted by public.anonymise_member: the hash of the redacted content, '
  'which private.audit_verify accepts for that row (its chain link, row_hash, is unchanged).';
alter table private.audit_redactions enable row level security;
revoke all on private.audit_redactions from public, anon, authenticated, service_role;

create or replace function private.audit_log_guard()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_head private.audit_chain_head;
begin
  -- The redaction of personal data (public.anonymise_member only): content of before, after and reason only.
  if tg_op = 'UPDATE' and coalesce(current_setting('private.audit_redacting', true), '') <> ''
     and (old.id, old.table_name, old.record_id, old.action, old.actor_id, old.actor_role, old.at, old.api_key_id,
          old.chain_seq, old.prev_hash, old.row_hash)
         is not distinct from
         (new.id, new.table_name, new.record_id, new.action, new.actor_id, new.actor_role, new.at, new.api_key_id,
          new.chain_seq, new.prev_hash, new.row_hash) then
    if old.chain_seq is not null then
      insert into private.audit_redactions (audit_id, redacted_hash, member_id)
      values (new.id, private.audit_row_hash(new), current_setting('private.audit_redacting')::uuid)
      on conflict (audit_id) do update set redacted_hash = excluded.redacted_hash, redacted_at = now();
    end if;
    return new;
  end if;
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
  v_hash bytea;
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
    v_hash := private.audit_row_hash(v_row);
    if v_hash is distinct from v_row.row_hash
       and not exists (select 1 from private.audit_redactions r where r.audit_id = v_row.id and r.redacted_hash = v_hash) then
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
  'Checks the sealed audit chain (npm run audit:verify): ok, or the first broken row and why; and the unsealed count. '
  'A row redacted by anonymise_member is checked against its redacted content''s hash (private.audit_redactions).';
revoke all on function private.audit_verify(), private.audit_log_guard() from public, anon, authenticated;

-- Follow-ups stay a record; the one change allowed is the anonymisation's scrub of a note.
create or replace function private.refuse_followup_change()
returns trigger
language plpgsql
as $$
begin
  if tg_op = 'UPDATE' and coalesce(current_setting('private.audit_redacting', true), '') <> ''
     and (to_jsonb(old) - 'note') = (to_jsonb(new) - 'note') then
    return new;
  end if;
  raise exception 'follow-ups are a record: they are never changed or deleted' using errcode = '42501',
    hint = 'followup_append_only';
end
$$;

-- ── Who ──────────────────────────────────────────────────────────────────────────────────
-- Export: the roles that serve members (core/enums/access-matrix.ts PERSONAL_DATA_ROLES: staff, managers, admins).
-- Anonymise: managers of the member's home unit, group-wide managers, admins (access matrix member_privacy.edit).
create or replace function private.assert_anonymises_member(p_member_id uuid, p_home_unit uuid)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if private.is_system_caller() or private.has_group_role('{manager}') then
    return;
  end if;
  if p_home_unit is null or not private.has_any_role('{manager}', p_home_unit) then
    raise exception 'permission denied: only the managers of the member''s home unit anonymise a member'
      using errcode = '42501', hint = 'anonymise_not_allowed',
      detail = json_build_object('member_id', p_member_id, 'business_unit_id', p_home_unit)::text;
  end if;
end
$$;
revoke all on function private.assert_anonymises_member(uuid, uuid) from public, anon;

-- ── Export ───────────────────────────────────────────────────────────────────────────────
create or replace function public.member_privacy_export(p_member_id uuid)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_member public.members;
  v_ids uuid[];
  v_texts text[];
  v_out jsonb;
begin
  if not private.is_system_caller() and not private.sees_personal_data() then
    raise exception 'permission denied: only the roles that serve members export a member''s data'
      using errcode = '42501', hint = 'privacy_export_not_allowed', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  if p_member_id is null then
    raise exception 'a member is required' using errcode = '22023', hint = 'member_required';
  end if;
  select * into v_member from public.members m where m.id = p_member_id;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
      json_build_object('member_id', p_member_id)::text);
  end if;
  -- The member and the records merged into it (the same person).
  select array_agg(m.id order by m.id) into v_ids from public.members m where m.id = p_member_id or m.merged_into = p_member_id;
  select array_agg(x::text) into v_texts from unnest(v_ids) x;

  v_out := jsonb_build_object(
    'format', 'member-privacy-export', 'version', 1, 'exported_at', now(), 'member_id', p_member_id,
    'profile', (select jsonb_agg(to_jsonb(m) order by m.id) from public.members m where m.id = any (v_ids)),
    'tags', to_jsonb(v_member.tags),
    'auto_tags', (select coalesce(jsonb_agg(to_jsonb(t)), '[]') from public.member_auto_tags t where t.member_id = any (v_ids)),
    'identities', (select coalesce(jsonb_agg(to_jsonb(i) order by i.created_at), '[]') from public.member_identities i where i.member_id = any (v_ids)),
    'balance', (select to_jsonb(s) from public.member_point_summary s where s.member_id = p_member_id),
    'ledger', (select coalesce(jsonb_agg(to_jsonb(e) order by e.id), '[]') from public.ledger_entries e where e.member_id = any (v_ids)),
    'lot_moves', (select coalesce(jsonb_agg(to_jsonb(mv) order by mv.entry_id, mv.lot_id), '[]')
                  from public.ledger_lot_moves mv join public.ledger_entries e on e.id = mv.entry_id where e.member_id = any (v_ids)),
    'lots', (select coalesce(jsonb_agg(to_jsonb(l) order by l.id), '[]') from public.point_lots l where l.member_id = any (v_ids)),
    'pending_points', (select coalesce(jsonb_agg(to_jsonb(p) order by p.id), '[]') from public.pending_points p where p.member_id = any (v_ids)),
    'transactions', (select coalesce(jsonb_agg(to_jsonb(t) order by t.occurred_at, t.id), '[]') from public.transactions t where t.member_id = any (v_ids)),
    'transaction_earnings', (select coalesce(jsonb_agg(to_jsonb(t) order by t.evaluated_at), '[]') from public.transaction_earnings t where t.member_id = any (v_ids)),
    'tier_history', (select coalesce(jsonb_agg(to_jsonb(h) order by h.changed_at), '[]') from public.tier_history h where h.member_id = any (v_ids)),
    'tier_purchases', (select coalesce(jsonb_agg(to_jsonb(p)), '[]') from public.tier_purchases p where p.member_id = any (v_ids)),
    'benefit_grants', (select coalesce(jsonb_agg(to_jsonb(g)), '[]') from public.benefit_grants g where g.member_id = any (v_ids)),
    'benefit_uses', (select coalesce(jsonb_agg(to_jsonb(u)), '[]') from public.benefit_uses u where u.member_id = any (v_ids)),
    'benefit_revocations', (select coalesce(jsonb_agg(to_jsonb(r)), '[]') from public.benefit_grant_revocations r
                             join public.benefit_grants g on g.id = r.grant_id where g.member_id = any (v_ids)),
    'cards', (select coalesce(jsonb_agg(to_jsonb(c) order by c.issued_at), '[]') from public.stored_value_cards c where c.member_id = any (v_ids)),
    'card_ledger', (select coalesce(jsonb_agg(to_jsonb(cl) order by cl.id), '[]') from public.card_ledger cl
                    join public.stored_value_cards c on c.id = cl.card_id where c.member_id = any (v_ids)),
    'approvals', (select coalesce(jsonb_agg(to_jsonb(a) order by a.requested_at), '[]') from public.approval_requests a
                  where a.member_id = any (v_ids)
                     or exists (select 1 from public.approval_request_members rm where rm.request_id = a.id and rm.member_id = any (v_ids))),
    'care_tasks', (select coalesce(jsonb_agg(to_jsonb(c) order by c.opened_at), '[]') from public.care_tasks c where c.member_id = any (v_ids)),
    'followups', (select coalesce(jsonb_agg(to_jsonb(f) order by f.id), '[]') from public.member_followups f where f.member_id = any (v_ids)),
    'segments', (select coalesce(jsonb_agg(to_jsonb(s)), '[]') from public.segment_members s where s.member_id = any (v_ids)),
    'notification_settings', (select to_jsonb(s) from public.member_notification_settings s where s.member_id = p_member_id),
    'notifications', (select coalesce(jsonb_agg(to_jsonb(n) order by n.id), '[]') from public.notifications_outbox n where n.member_id = any (v_ids)),
    'notification_deliveries', (select coalesce(jsonb_agg(to_jsonb(d) order by d.id), '[]') from public.notification_deliveries d where d.member_id = any (v_ids)),
    'audit', (select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'table', a.table_name, 'record', a.record_id,
                                                           'action', a.action, 'actor_id', a.actor_id, 'at', a.at,
                                                           'before', a.before, 'after', a.after, 'reason', a.reason) order by a.id), '[]')
              from public.audit_log a
              where (a.table_name = 'members' and a.record_id = any (v_texts))
                 or a.before ->> 'member_id' = any (v_texts) or a.after ->> 'member_id' = any (v_texts))
  );
  insert into public.audit_log (table_name, record_id, action, actor_id, actor_role, after, reason)
  values ('members', p_member_id::text, 'EXPORT', (select auth.uid()), 'authenticated',
          jsonb_build_object('format', 'member-privacy-export', 'records', (select sum(jsonb_array_length(v.value))
                                                                             from jsonb_each(v_out) v where jsonb_typeof(v.value) = 'array')),
          'privacy-export');
  return v_out;
end
$$;
comment on function public.member_privacy_export(uuid) is
  'Everything about one member (and the records merged into it) as one JSON document: profile, tags, identities, '
  'balance and pending points, ledger, lot moves, lots, transactions, tier history, benefits, cards, approvals, care '
  'tasks, follow-ups, segments, notifications and the audit rows about them. Audited (EXPORT, reason privacy-export). '
  'Roles that serve members only (42501 privacy_export_not_allowed).';
revoke all on function public.member_privacy_export(uuid) from public, anon;
grant execute on function public.member_privacy_export(uuid) to authenticated, service_role;

-- ── Anonymise ────────────────────────────────────────────────────────────────────────────
create or replace function public.anonymise_member(p_member_id uuid, p_reason text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_member public.members;
  v_ids uuid[];
  v_texts text[];
  v_needles text[];
  v_named text[];
  v_like text[];
  v_a public.audit_log;
  v_before jsonb;
  v_after jsonb;
  v_reason text;
  v_linked boolean;
  v_audit int := 0;
  v_other int := 0;
  v_n int;
begin
  if p_member_id is null then
    raise exception 'a member is required' using errcode = '22023', hint = 'member_required';
  end if;
  if p_reason is null or btrim(p_reason) = '' then
    raise exception 'a reason is required' using errcode = '22023', hint = 'reason_required';
  end if;
  if length(p_reason) > 500 then
    raise exception 'the reason is longer than 500 characters' using errcode = '22023',
      hint = 'reason_too_long', detail = json_build_object('max', 500)::text;
  end if;
  select * into v_member from public.members m where m.id = p_member_id;
  if not found then
    perform private.raise_not_found(format('unknown member %s', p_member_id), 'member_unknown',
      json_build_object('member_id', p_member_id)::text);
  end if;
  perform private.assert_anonymises_member(p_member_id, v_member.home_business_unit_id);
  if v_member.merged_into is not null then
    raise exception 'member % was merged into another record: anonymise that one', p_member_id using errcode = '22023',
      hint = 'member_merged', detail = json_build_object('member_id', p_member_id, 'merged_into', v_member.merged_into)::text;
  end if;

  -- One at a time per member: the member row and the records merged into it, locked; then the audit chain's sealer
  -- lock, so no sealer hashes a row while it is redacted.
  perform 1 from public.members m where m.id = p_member_id or m.merged_into = p_member_id order by m.id for update;
  select * into v_member from public.members m where m.id = p_member_id;
  if v_member.anonymised_at is not null then
    return jsonb_build_object('member_id', p_member_id, 'anonymised_at', v_member.anonymised_at, 'already', true);
  end if;
  perform pg_advisory_xact_lock(hashtext('private.seal_audit_chain'));

  select array_agg(m.id order by m.id), array_agg(distinct m.name) filter (where length(m.name) >= 2)
  into v_ids, v_named
  from public.members m where m.id = p_member_id or m.merged_into = p_member_id;
  select array_agg(distinct x.v) filter (where x.v is not null) into v_needles
  from public.members m, unnest(array[m.phone, m.phone_before_merge, m.email]) x(v)
  where m.id = any (v_ids);
  select array_agg(x::text) into v_texts from unnest(v_ids) x;
  v_needles := coalesce(v_needles, '{}');
  v_named := v_needles || coalesce(v_named, '{}');
  select coalesce(array_agg('%' || replace(replace(replace(n, '\', '\\'), '%', '\%'), '_', '\_') || '%'), '{}')
  into v_like from unnest(v_needles) n;

  -- The member rows: personal fields cleared, cancelled, marked.
  perform set_config('app.reason', btrim(p_reason), true);
  update public.members m
  set name = private.anonymised_name(), phone = null, email = null, birthday = null, gender = 'unknown',
      custom = '{}'::jsonb, phone_before_merge = null, status = 'cancelled',
      anonymised_at = clock_timestamp(), anonymised_by = auth.uid()
  where m.id = any (v_ids);

  perform set_config('private.audit_redacting', p_member_id::text, true);
  -- Other copies.
  update public.notifications_outbox n
  set payload = private.scrub_jsonb(private.redact_member_json(n.payload), v_named),
      last_error = private.scrub_text(n.last_error, v_named)
  where n.member_id = any (v_ids)
    and (n.payload is distinct from private.scrub_jsonb(private.redact_member_json(n.payload), v_named)
         or n.last_error is distinct from private.scrub_text(n.last_error, v_named));
  get diagnostics v_n = row_count; v_other := v_other + v_n;
  update public.notification_deliveries d set last_error = private.scrub_text(d.last_error, v_named)
  where d.member_id = any (v_ids) and d.last_error is not null;
  update public.notification_attempts t set detail = private.scrub_text(t.detail, v_needles)
  where t.detail like any (v_like);
  update public.webhook_events w
  set payload = private.scrub_jsonb(private.redact_member_json(w.payload),
                                    case when w.payload::text like '%' || p_member_id::text || '%' then v_named else v_needles end)
  where w.payload::text like any (v_like) or w.payload::text like any (select '%' || t || '%' from unnest(v_texts) t);
  get diagnostics v_n = row_count; v_other := v_other + v_n;
  update public.webhook_attempts t set detail = private.scrub_text(t.detail, v_needles) where t.detail like any (v_like);
  update public.webhook_deliveries d set last_error = private.scrub_text(d.last_error, v_needles) where d.last_error like any (v_like);
  update public.approval_requests a
  set data = private.scrub_jsonb(a.data, case when a.member_id = any (v_ids) then v_named else v_needles end),
      result = private.scrub_jsonb(a.result, v_needles),
      failure_message = private.scrub_text(a.failure_message, v_needles)
  where a.data::text like any (v_like) or a.result::text like any (v_like) or a.failure_message like any (v_like)
     or (a.member_id = any (v_ids) and cardinality(v_named) > 0 and a.data::text like any (select '%' || n || '%' from unnest(v_named) n));
  get diagnostics v_n = row_count; v_other := v_other + v_n;
  update public.member_followups f set note = private.scrub_text(f.note, v_named)
  where f.member_id = any (v_ids) and f.note is distinct from private.scrub_text(f.note, v_named);
  update public.member_identities i set external_id = 'anon-' || left(md5(i.id::text), 12)
  where i.member_id = any (v_ids) and i.external_id = any (v_needles);
  -- Last, so the audit rows the scrubs above wrote are redacted too.
  -- Audit rows about the member (its rows, rows naming it) and any row holding its phone or email.
  for v_a in
    select * from public.audit_log a
    where (a.table_name = 'members' and a.record_id = any (v_texts))
       or a.before ->> 'member_id' = any (v_texts) or a.after ->> 'member_id' = any (v_texts)
       or (cardinality(v_like) > 0 and (a.before::text like any (v_like) or a.after::text like any (v_like)
                                        or a.reason like any (v_like)))
    order by a.id
  loop
    v_linked := (v_a.table_name = 'members' and v_a.record_id = any (v_texts))
                or v_a.before ->> 'member_id' = any (v_texts) or v_a.after ->> 'member_id' = any (v_texts);
    v_before := v_a.before;
    v_after := v_a.after;
    if v_a.table_name = 'members' and v_a.record_id = any (v_texts) then
      v_before := private.redact_member_json(v_before);
      v_after := private.redact_member_json(v_after);
    end if;
    v_before := private.scrub_jsonb(v_before, case when v_linked then v_named else v_needles end);
    v_after := private.scrub_jsonb(v_after, case when v_linked then v_named else v_needles end);
    v_reason := private.scrub_text(v_a.reason, v_needles);
    if v_before is distinct from v_a.before or v_after is distinct from v_a.after or v_reason is distinct from v_a.reason then
      update public.audit_log set before = v_before, after = v_after, reason = v_reason where id = v_a.id;
      v_audit := v_audit + 1;
    end if;
  end loop;

  perform set_config('private.audit_redacting', '', true);

  -- The anonymisation itself, in the chain: who, when, why, how many rows were redacted.
  insert into public.audit_log (table_name, record_id, action, actor_id, actor_role, after, reason)
  values ('members', p_member_id::text, 'UPDATE', (select auth.uid()), 'authenticated',
          jsonb_build_object('anonymised', true, 'records', cardinality(v_ids), 'audit_rows_redacted', v_audit,
                             'other_rows_redacted', v_other),
          btrim(p_reason));
  return jsonb_build_object('member_id', p_member_id, 'anonymised_at', clock_timestamp(), 'already', false,
                            'audit_rows_redacted', v_audit, 'other_rows_redacted', v_other);
end
$$;
comment on function public.anonymise_member(uuid, text) is
  'Anonymises a member on request (irreversible): personal fields of the member and the records merged into it are '
  'replaced or cleared, and every copy of them (audit payloads, notifications, webhook events, approval requests, '
  'follow-up notes, member ids equal to the phone) is scrubbed; ledger, lots, transactions and settlement stay. The '
  'member is cancelled and marked anonymised. Once per member, also when called twice at once. Managers of the '
  'home unit, group-wide managers, admins (42501 anonymise_not_allowed).';
revoke all on function public.anonymise_member(uuid, text) from public, anon;
grant execute on function public.anonymise_member(uuid, text) to authenticated, service_role;

-- ── The member directory says who was anonymised ────────────────────────────────────────
create or replace view public.member_directory with (security_barrier = true) as
select m.id, m.member_no, m.name,
       case when pd.unmasked then m.phone else private.mask_phone(m.phone) end as phone,
       case when pd.unmasked then m.email else private.mask_email(m.email) end as email,
       case when pd.unmasked then m.birthday end as birthday,
       extract(month from m.birthday)::smallint as birthday_month,
       m.gender, m.tier_id, m.growth_value, m.tags, m.status, m.home_business_unit_id, m.custom,
       m.created_at, m.updated_at, m.form_version, m.merged_into, m.tier_reviewed_at,
       case when pd.unmasked then m.phone_before_merge else private.mask_phone(m.phone_before_merge) end as phone_before_merge,
       not pd.unmasked as personal_data_masked,
       m.paid_tier_id, m.paid_until, m.earned_tier_id,
       m.anonymised_at
from public.members m
cross join (select private.sees_personal_data() as unmasked) pd
where (select private.is_staff_user());
