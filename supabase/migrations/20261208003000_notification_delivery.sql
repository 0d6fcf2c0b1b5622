-- Notifications that reach members, and outbound webhooks.
--
-- notifications_outbox rows (expiry reminders, benefit notices...) are events for one member. Each row gets one
-- delivery per channel (the row's own channel, plus every other channel that has a template for the event),
-- written by a trigger in the same transaction as the row. The engine claims deliveries (for update skip locked,
-- a claim token and a lease), renders the member's language's template and sends through a channel adapter
-- (e-mail over SMTP, SMS and push through one HTTP provider), then records the attempt with its token: two
-- engines never send one delivery twice, a finish with a stale token changes nothing. Failures are retried with
-- exponential backoff up to a cap; opt-outs and missing addresses are recorded as skipped.
--
-- Webhooks: administrators subscribe a URL to event types; the events are written by triggers in the same
-- transaction as what happened (points earned or redeemed, points expiring, tier changed, approval decided, benefit
-- used), with one delivery per matching subscription, delivered with an HMAC-SHA256 signature, retried with
-- backoff, logged per attempt, and replayed on request.

-- ── Event types, channels and templates ──────────────────────────────────────────────────
create table public.notification_events (
  key text primary key check (key ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  variables text[] not null default '{}'
);
comment on table public.notification_events is
  'Events members are notified of (notifications_outbox.template) and the variables their templates may use '
  '(core/enums/notifications.ts holds the same list).';
insert into public.notification_events (key, variables) values
  ('points_expiring', '{member_name,member_no,points,days_left,days_before,expires_at,expires_on}'),
  ('benefit_granted', '{member_name,member_no,definition_key,uses,valid_until,valid_until_on,code}'),
  ('benefit_used', '{member_name,member_no,name,name_en,uses,uses_left,business_unit,used_at}');

create table public.notification_templates (
  id bigint generated always as identity primary key,
  event text not null references public.notification_events (key),
  channel text not null check (channel in ('email', 'sms', 'push')),
  language text not null check (language in ('zh-CN', 'en')),
  version int not null check (version between 1 and 100000),
  subject text not null default '' check (length(subject) <= 200),
  body text not null check (length(btrim(body)) between 1 and 4000),
  source text not null default 'ui' check (source in ('file', 'ui')),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  unique (event, channel, language, version)
);
comment on table public.notification_templates is
  'Message templates, versioned per event, channel and language: the highest version is in force. Placeholders '
  '{{variable}} name the event''s variables (notification_events). Seeded from workflows/notifications/templates.json '
  '(a file change adds a version unless the last one was written in the UI); save_notification_template adds one.';

create table public.member_notification_settings (
  member_id uuid primary key references public.members (id),
  language text not null default 'zh-CN' check (language in ('zh-CN', 'en')),
  opted_out text[] not null default '{}' check (opted_out <@ array['email', 'sms', 'push']::text[]),
  updated_at timestamptz not null default now()
);
comment on table public.member_notification_settings is
  'A member''s language for messages and the channels they opted out of (absent row: zh-CN, none).';

-- ── Deliveries ───────────────────────────────────────────────────────────────────────────
alter table public.notifications_outbox drop constraint notifications_outbox_status_check;
alter table public.notifications_outbox add constraint notifications_outbox_status_check
  check (status in ('pending', 'sent', 'failed', 'cancelled', 'skipped'));

create table public.notification_deliveries (
  id bigint generated always as identity primary key,
  outbox_id bigint not null references public.notifications_outbox (id),
  member_id uuid not null references public.members (id),
  channel text not null check (channel in ('email', 'sms', 'push')),
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts int not null default 0 check (attempts between 0 and 100),
  next_attempt_at timestamptz not null default now(),
  claim_token uuid,
  claimed_until timestamptz,
  last_error text check (length(last_error) <= 1000),
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  unique (outbox_id, channel)
);
create index notification_deliveries_due_idx on public.notification_deliveries (next_attempt_at, id)
  where status in ('pending', 'sending');
create index notification_deliveries_member_idx on public.notification_deliveries (member_id, created_at desc);
comment on table public.notification_deliveries is
  'One delivery of an outbox row on one channel: pending → sending (claimed by one engine, claim_token, lease '
  'claimed_until) → sent | failed (attempts exhausted) | skipped (opted out, no address, no template, channel not '
  'configured), or back to pending with next_attempt_at after a failure.';

create table public.notification_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references public.notification_deliveries (id),
  attempt int not null check (attempt between 1 and 100),
  outcome text not null check (outcome in ('sent', 'failed', 'skipped')),
  detail text check (length(detail) <= 1000),
  template_version int,
  language text,
  created_at timestamptz not null default now()
);
create index notification_attempts_delivery_idx on public.notification_attempts (delivery_id, id);
comment on table public.notification_attempts is 'The delivery log: every attempt of every delivery with its outcome (append-only).';

-- ── Webhooks ─────────────────────────────────────────────────────────────────────────────
create table public.webhook_subscriptions (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 100),
  url text not null check (length(url) <= 500 and url ~ '^https?://[^\s/?#@]+(/[^\s]*)?$'),
  secret text not null check (length(secret) between 32 and 200),
  event_types text[] not null check (cardinality(event_types) between 1 and 6 and event_types <@ array[
    'points.earned', 'points.redeemed', 'points.expiring', 'tier.changed', 'approval.decided', 'benefit.used']::text[]),
  active boolean not null default true,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.webhook_subscriptions is
  'Outbound webhooks (administrators): events of the listed types are POSTed to url, signed with secret '
  '(X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">). The secret is shown once.';

create table public.webhook_events (
  id bigint generated always as identity primary key,
  event_type text not null,
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  created_at timestamptz not null default now()
);
comment on table public.webhook_events is
  'Events for webhooks, written in the same transaction as what happened, only while a subscription wants the type.';

create table public.webhook_deliveries (
  id bigint generated always as identity primary key,
  event_id bigint not null references public.webhook_events (id),
  subscription_id uuid not null references public.webhook_subscriptions (id),
  replay_of bigint references public.webhook_deliveries (id),
  status text not null default 'pending' check (status in ('pending', 'sending', 'delivered', 'failed')),
  attempts int not null default 0 check (attempts between 0 and 100),
  next_attempt_at timestamptz not null default now(),
  claim_token uuid,
  claimed_until timestamptz,
  last_status int,
  last_error text check (length(last_error) <= 1000),
  finished_at timestamptz,
  requested_by uuid default auth.uid(),
  created_at timestamptz not null default now()
);
create unique index webhook_deliveries_once on public.webhook_deliveries (event_id, subscription_id) where replay_of is null;
create index webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at, id) where status in ('pending', 'sending');
create index webhook_deliveries_subscription_idx on public.webhook_deliveries (subscription_id, id desc);

create table public.webhook_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references public.webhook_deliveries (id),
  attempt int not null check (attempt between 1 and 100),
  outcome text not null check (outcome in ('delivered', 'failed')),
  http_status int,
  detail text check (length(detail) <= 1000),
  created_at timestamptz not null default now()
);
create index webhook_attempts_delivery_idx on public.webhook_attempts (delivery_id, id);

-- ── Limits ───────────────────────────────────────────────────────────────────────────────
create or replace function private.delivery_limits()
returns jsonb
language sql immutable
as $$
  select '{"max_attempts": 8, "max_retry_seconds": 3600, "max_lease_seconds": 600, "max_claim": 100}'::jsonb
$$;
comment on function private.delivery_limits() is
  'Caps of the delivery loop (core/enums/limits.ts DELIVERY_LIMITS): attempts per delivery, the longest pause '
  'between attempts, the longest claim lease, the most deliveries per claim.';

-- ── Templates ────────────────────────────────────────────────────────────────────────────
-- Refuses a template whose placeholders are malformed or name a variable the event does not have.
create or replace function private.check_notification_template(p_event text, p_channel text, p_language text,
                                                               p_subject text, p_body text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_vars text[];
  v_text text := coalesce(p_subject, '') || E'\n' || coalesce(p_body, '');
  v_name text;
begin
  select e.variables into v_vars from public.notification_events e where e.key = p_event;
  if v_vars is null then
    raise exception 'unknown notification event %', coalesce(p_event, 'null') using errcode = '22023',
      hint = 'notification_event_unknown', detail = json_build_object('event', p_event)::text;
  end if;
  if p_channel is null or p_channel not in ('email', 'sms', 'push') then
    raise exception 'unknown channel %', coalesce(p_channel, 'null') using errcode = '22023',
      hint = 'notification_channel_unknown', detail = json_build_object('channel', p_channel)::text;
  end if;
  if p_language is null or p_language not in ('zh-CN', 'en') then
    raise exception 'unknown language %', coalesce(p_language, 'null') using errcode = '22023',
      hint = 'notification_language_unknown', detail = json_build_object('language', p_language)::text;
  end if;
  if p_body is null or length(btrim(p_body)) = 0 or length(p_body) > 4000 or length(coalesce(p_subject, '')) > 200 then
    raise exception 'a template needs a body of 1 to 4000 characters and a subject of at most 200'
      using errcode = '22023', hint = 'notification_template_size',
      detail = json_build_object('max_body', 4000, 'max_subject', 200)::text;
  end if;
  if p_channel = 'email' and length(btrim(coalesce(p_subject, ''))) = 0 then
    raise exception 'an e-mail template needs a subject' using errcode = '22023',
      hint = 'notification_subject_required', detail = '{}';
  end if;
  -- Every {{ must open a valid placeholder and every }} close one.
  if regexp_replace(v_text, '\{\{\s*[a-z_][a-z0-9_]*\s*\}\}', '', 'g') ~ '(\{\{|\}\})' then
    raise exception 'malformed placeholder in the template' using errcode = '22023',
      hint = 'notification_placeholder_malformed', detail = '{}';
  end if;
  for v_name in select (regexp_matches(v_text, '\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}', 'g'))[1] loop
    if not v_name = any (v_vars) then
      raise exception 'unknown variable % for event %', v_name, p_event using errcode = '22023',
        hint = 'notification_variable_unknown',
        detail = json_build_object('variable', v_name, 'allowed', array_to_string(v_vars, ', '))::text;
    end if;
  end loop;
end
$$;

create or replace function private.guard_notification_template()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op <> 'INSERT' then
    raise exception 'a template version is never changed; save a new version' using errcode = '42501',
      hint = 'notification_template_immutable', detail = '{}';
  end if;
  perform private.check_notification_template(new.event, new.channel, new.language, new.subject, new.body);
  return new;
end
$$;
create trigger guard before insert or update or delete on public.notification_templates
  for each row execute function private.guard_notification_template();
create trigger guard_truncate before truncate on public.notification_templates
  for each statement execute function private.refuse_change();
create trigger audit after insert on public.notification_templates
  for each row execute function private.audit_row();

-- Saves a new version of a template (drafters of messages: marketing, admins); returns the saved row.
create or replace function public.save_notification_template(p_event text, p_channel text, p_language text,
                                                             p_subject text, p_body text)
returns public.notification_templates
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.notification_templates;
  v_version int;
begin
  if not (private.is_system_caller() or private.has_any_role('{marketing}')) then
    raise exception 'only marketing and administrators edit message templates' using errcode = '42501',
      hint = 'template_editor_required', detail = '{}';
  end if;
  perform private.check_notification_template(p_event, p_channel, p_language, p_subject, p_body);
  perform pg_advisory_xact_lock(hashtext('notification_template:' || p_event || ':' || p_channel || ':' || p_language));
  select coalesce(max(t.version), 0) + 1 into v_version from public.notification_templates t
  where t.event = p_event and t.channel = p_channel and t.language = p_language;
  insert into public.notification_templates (event, channel, language, version, subject, body, source)
  values (p_event, p_channel, p_language, v_version, coalesce(p_subject, ''), p_body, 'ui')
  returning * into v_row;
  return v_row;
end
$$;

-- The file seeder: adds a version when the file's text differs from the newest one and that one came from a file.
create or replace function private.sync_notification_template(p_event text, p_channel text, p_language text,
                                                              p_subject text, p_body text)
returns text
language plpgsql security definer set search_path = ''
as $$
declare
  v_last public.notification_templates;
begin
  perform pg_advisory_xact_lock(hashtext('notification_template:' || p_event || ':' || p_channel || ':' || p_language));
  select * into v_last from public.notification_templates t
  where t.event = p_event and t.channel = p_channel and t.language = p_language
  order by t.version desc limit 1;
  if v_last.id is not null and (v_last.source = 'ui' or (v_last.subject = coalesce(p_subject, '') and v_last.body = p_body)) then
    return case when v_last.source = 'ui' then 'kept' else 'unchanged' end;
  end if;
  insert into public.notification_templates (event, channel, language, version, subject, body, source)
  values (p_event, p_channel, p_language, coalesce(v_last.version, 0) + 1, coalesce(p_subject, ''), p_body, 'file');
  return case when v_last.id is null then 'created' else 'updated' end;
end
$$;

-- ── Member settings ──────────────────────────────────────────────────────────────────────
create or replace function public.set_member_notification_settings(p_member_id uuid, p_language text, p_opted_out text[])
returns public.member_notification_settings
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.member_notification_settings;
begin
  if not (private.is_system_caller() or private.sees_personal_data()) then
    raise exception 'only staff who serve members change their message settings' using errcode = '42501',
      hint = 'message_settings_not_allowed', detail = '{}';
  end if;
  if not exists (select 1 from public.members m where m.id = p_member_id) then
    raise exception 'member not found' using errcode = 'P0002', hint = 'member_unknown',
      detail = json_build_object('member_id', p_member_id)::text;
  end if;
  if p_language is null or p_language not in ('zh-CN', 'en') then
    raise exception 'unknown language %', coalesce(p_language, 'null') using errcode = '22023',
      hint = 'notification_language_unknown', detail = json_build_object('language', p_language)::text;
  end if;
  if p_opted_out is null or not (p_opted_out <@ array['email', 'sms', 'push']::text[]) then
    raise exception 'unknown channel in opt-outs' using errcode = '22023', hint = 'notification_channel_unknown',
      detail = json_build_object('channel', array_to_string(p_opted_out, ', '))::text;
  end if;
  insert into public.member_notification_settings as s (member_id, language, opted_out)
  values (p_member_id, p_language, (select coalesce(array_agg(distinct c order by c), '{}') from unnest(p_opted_out) c))
  on conflict (member_id) do update set language = excluded.language, opted_out = excluded.opted_out, updated_at = now()
  returning * into v_row;
  return v_row;
end
$$;
create trigger audit after insert or update on public.member_notification_settings
  for each row execute function private.audit_row('member_id');

-- ── Queueing deliveries ──────────────────────────────────────────────────────────────────
-- One delivery per channel for each new outbox row: its own channel (when it is a member channel) and every channel
-- with a template for the event. The engine is woken through its job queue (one job, whatever the batch size).
create or replace function private.queue_notification_deliveries()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.notification_deliveries (outbox_id, member_id, channel, next_attempt_at)
  select n.id, n.member_id, c.channel, n.due_at
  from new_rows n
  cross join lateral (
    select n.channel as channel where n.channel in ('email', 'sms', 'push')
    union
    select distinct t.channel from public.notification_templates t where t.event = n.template
  ) c
  where n.status = 'pending'
  on conflict (outbox_id, channel) do nothing;
  if found then
    -- No job key: a keyed job is one row that every writer would lock until its commit, so every transaction
    -- writing a notice (a counter verification, a long reminder run) would wait for the others.
    perform private.enqueue_job('deliver_notifications', '{}'::json);
  end if;
  return null;
end
$$;
create trigger queue_deliveries after insert on public.notifications_outbox
  referencing new table as new_rows
  for each statement execute function private.queue_notification_deliveries();

-- Claims up to p_limit due deliveries for one engine pass: each claimed row gets a fresh claim token and a lease;
-- rows another pass holds are skipped (for update skip locked); a lease that ran out (a dead engine) is claimable.
create or replace function private.claim_notification_deliveries(p_limit int, p_lease_seconds int)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.delivery_limits();
  v_out jsonb;
begin
  if p_limit is null or p_limit < 1 or p_limit > (v_limits ->> 'max_claim')::int
     or p_lease_seconds is null or p_lease_seconds < 1 or p_lease_seconds > (v_limits ->> 'max_lease_seconds')::int then
    raise exception 'claim size or lease out of range' using errcode = '22023', hint = 'delivery_claim_out_of_range',
      detail = v_limits::text;
  end if;
  with due as (
    select d.id from public.notification_deliveries d
    where d.next_attempt_at <= now()
      and (d.status = 'pending' or (d.status = 'sending' and d.claimed_until < now()))
    order by d.next_attempt_at, d.id
    limit p_limit
    for update skip locked
  ), claimed as (
    update public.notification_deliveries d
    set status = 'sending', claim_token = gen_random_uuid(), claimed_until = now() + make_interval(secs => p_lease_seconds),
        attempts = d.attempts + 1
    from due where d.id = due.id
    returning d.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', c.id, 'token', c.claim_token, 'channel', c.channel, 'attempt', c.attempts,
    'event', o.template, 'payload', o.payload, 'outbox_id', o.id,
    'member', jsonb_build_object('id', m.id, 'name', m.name, 'member_no', m.member_no, 'email', m.email,
                                 'phone', m.phone, 'status', m.status),
    'language', coalesce(s.language, 'zh-CN'), 'opted_out', coalesce(to_jsonb(s.opted_out), '[]'::jsonb),
    'template', (select jsonb_build_object('version', t.version, 'subject', t.subject, 'body', t.body, 'language', t.language)
                 from public.notification_templates t
                 where t.event = o.template and t.channel = c.channel
                 order by (t.language = coalesce(s.language, 'zh-CN')) desc, (t.language = 'zh-CN') desc, t.version desc
                 limit 1)
  ) order by c.id), '[]'::jsonb) into v_out
  from claimed c
  join public.notifications_outbox o on o.id = c.outbox_id
  join public.members m on m.id = c.member_id
  left join public.member_notification_settings s on s.member_id = c.member_id;
  return v_out;
end
$$;

-- Records the outcome of one claimed attempt. Only the holder of the claim token may finish it; a second finish,
-- or a finish after the lease was taken over, changes nothing and returns false. A failure is retried after
-- p_retry_seconds (capped) until the attempts run out.
create or replace function private.finish_notification_delivery(p_id bigint, p_token uuid, p_outcome text, p_detail text,
                                                                p_retry_seconds int, p_template_version int default null,
                                                                p_language text default null)
returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.delivery_limits();
  v_d public.notification_deliveries;
  v_status text;
begin
  if p_outcome is null or p_outcome not in ('sent', 'failed', 'skipped') then
    raise exception 'unknown outcome %', coalesce(p_outcome, 'null') using errcode = '22023',
      hint = 'delivery_outcome_unknown', detail = json_build_object('outcome', p_outcome)::text;
  end if;
  -- The outbox row first: finishes of one message's channels take turns, so the last one sees the others' outcome.
  perform 1 from public.notifications_outbox o
  where o.id = (select d.outbox_id from public.notification_deliveries d where d.id = p_id)
  for update;
  select * into v_d from public.notification_deliveries d where d.id = p_id and d.claim_token = p_token
    and d.status = 'sending' for update;
  if v_d.id is null then
    return false;
  end if;
  v_status := case when p_outcome = 'failed' and v_d.attempts < (v_limits ->> 'max_attempts')::int then 'pending'
                   else p_outcome end;
  update public.notification_deliveries d
  set status = v_status, claim_token = null, claimed_until = null, last_error = left(p_detail, 1000),
      next_attempt_at = case when v_status = 'pending'
        then now() + make_interval(secs => least(greatest(coalesce(p_retry_seconds, 0), 0), (v_limits ->> 'max_retry_seconds')::int))
        else d.next_attempt_at end,
      finished_at = case when v_status = 'pending' then null else now() end
  where d.id = p_id;
  insert into public.notification_attempts (delivery_id, attempt, outcome, detail, template_version, language)
  values (p_id, v_d.attempts, p_outcome, left(p_detail, 1000), p_template_version, p_language);
  -- The outbox row follows its deliveries once none is open.
  update public.notifications_outbox o
  set status = x.status, attempts = x.attempts, sent_at = x.sent_at, last_error = x.last_error
  from (
    select case when bool_or(d.status = 'sent') then 'sent' when bool_or(d.status = 'failed') then 'failed' else 'skipped' end as status,
           max(d.attempts) as attempts, max(d.finished_at) filter (where d.status = 'sent') as sent_at,
           max(d.last_error) filter (where d.status <> 'sent') as last_error
    from public.notification_deliveries d where d.outbox_id = v_d.outbox_id
    having bool_and(d.status in ('sent', 'failed', 'skipped'))
  ) x
  where o.id = v_d.outbox_id;
  return true;
end
$$;

-- ── Webhook events ───────────────────────────────────────────────────────────────────────
-- Adds events of one type (only when an active subscription wants it) and a delivery per subscription.
create or replace function private.add_webhook_events(p_type text, p_payloads jsonb)
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if p_payloads is null or jsonb_array_length(p_payloads) = 0 then
    return;
  end if;
  with ev as (
    insert into public.webhook_events (event_type, payload)
    select p_type, p from jsonb_array_elements(p_payloads) p
    returning id
  )
  insert into public.webhook_deliveries (event_id, subscription_id, requested_by)
  select ev.id, s.id, null from ev
  join public.webhook_subscriptions s on s.active and p_type = any (s.event_types);
  perform private.enqueue_job('deliver_webhooks', '{}'::json);
end
$$;

create or replace function private.wants_webhook(p_type text)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.webhook_subscriptions s where s.active and p_type = any (s.event_types));
end
$$;

create or replace function private.webhook_ledger_events()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_type text;
begin
  foreach v_type in array array['points.earned', 'points.redeemed'] loop
    if private.wants_webhook(v_type) then
      perform private.add_webhook_events(v_type, (
        select jsonb_agg(jsonb_build_object(
          'entry_id', n.id, 'member_id', n.member_id, 'member_no', m.member_no, 'business_unit', bu.code,
          'points', abs(n.points), 'balance_after', n.balance_after, 'transaction_id', n.transaction_id,
          'occurred_at', n.occurred_at) order by n.id)
        from new_rows n
        join public.members m on m.id = n.member_id
        join public.business_units bu on bu.id = n.business_unit_id
        where n.kind = case v_type when 'points.earned' then 'earn' else 'redeem' end));
    end if;
  end loop;
  return null;
end
$$;
create trigger webhook_events after insert on public.ledger_entries
  referencing new table as new_rows
  for each statement execute function private.webhook_ledger_events();

create or replace function private.webhook_expiring_events()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if private.wants_webhook('points.expiring') then
    perform private.add_webhook_events('points.expiring', (
      select jsonb_agg(jsonb_build_object(
        'member_id', n.member_id, 'member_no', m.member_no, 'lot_id', n.payload -> 'lot_id', 'points', n.payload -> 'points',
        'days_left', n.payload -> 'days_left', 'expires_at', n.payload -> 'expires_at') order by n.id)
      from new_rows n join public.members m on m.id = n.member_id
      where n.template = 'points_expiring'));
  end if;
  return null;
end
$$;
create trigger webhook_events after insert on public.notifications_outbox
  referencing new table as new_rows
  for each statement execute function private.webhook_expiring_events();

create or replace function private.webhook_tier_events()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if private.wants_webhook('tier.changed') then
    perform private.add_webhook_events('tier.changed', (
      select jsonb_agg(jsonb_build_object(
        'member_id', n.member_id, 'member_no', m.member_no, 'from_tier', ft.code, 'to_tier', tt.code,
        'reason', n.reason, 'changed_at', n.changed_at) order by n.id)
      from new_rows n
      join public.members m on m.id = n.member_id
      join public.tiers tt on tt.id = n.to_tier_id
      left join public.tiers ft on ft.id = n.from_tier_id));
  end if;
  return null;
end
$$;
create trigger webhook_events after insert on public.tier_history
  referencing new table as new_rows
  for each statement execute function private.webhook_tier_events();

create or replace function private.webhook_approval_events()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if private.wants_webhook('approval.decided') then
    perform private.add_webhook_events('approval.decided', (
      select jsonb_agg(jsonb_build_object(
        'request_id', n.id, 'action', n.action, 'status', n.status, 'member_id', n.member_id,
        'business_unit', bu.code, 'decided_at', n.decided_at) order by n.requested_at, n.id)
      from new_rows n
      join old_rows o on o.id = n.id
      join public.business_units bu on bu.id = n.business_unit_id
      where o.status = 'pending' and n.status in ('approved', 'rejected')));
  end if;
  return null;
end
$$;
create trigger webhook_events after update on public.approval_requests
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.webhook_approval_events();

create or replace function private.webhook_benefit_events()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if private.wants_webhook('benefit.used') then
    perform private.add_webhook_events('benefit.used', (
      select jsonb_agg(jsonb_build_object(
        'use_id', n.id, 'grant_id', n.grant_id, 'member_id', n.member_id, 'business_unit', bu.code,
        'uses', n.uses, 'uses_left', n.uses_left, 'used_at', n.created_at) order by n.id)
      from new_rows n join public.business_units bu on bu.id = n.business_unit_id));
  end if;
  return null;
end
$$;
create trigger webhook_events after insert on public.benefit_uses
  referencing new table as new_rows
  for each statement execute function private.webhook_benefit_events();

-- ── Webhook subscriptions (administrators) ───────────────────────────────────────────────
create or replace function private.assert_webhook_input(p_name text, p_url text, p_event_types text[])
returns void
language plpgsql immutable
as $$
begin
  if p_name is null or length(btrim(p_name)) not between 1 and 100 then
    raise exception 'a webhook needs a name of 1 to 100 characters' using errcode = '22023',
      hint = 'webhook_name_invalid', detail = '{}';
  end if;
  if p_url is null or length(p_url) > 500 or p_url !~ '^https?://[^\s/?#@]+(/[^\s]*)?$' then
    raise exception 'not a webhook URL: %', coalesce(p_url, 'null') using errcode = '22023',
      hint = 'webhook_url_invalid', detail = json_build_object('url', left(p_url, 100))::text;
  end if;
  if p_event_types is null or cardinality(p_event_types) not between 1 and 6 or not (p_event_types <@ array[
      'points.earned', 'points.redeemed', 'points.expiring', 'tier.changed', 'approval.decided', 'benefit.used']::text[]) then
    raise exception 'unknown or missing event types' using errcode = '22023', hint = 'webhook_event_types_invalid',
      detail = json_build_object('event_types', array_to_string(p_event_types, ', '))::text;
  end if;
end
$$;

-- Creates a subscription and returns it with its secret (shown this once).
create or replace function public.create_webhook_subscription(p_name text, p_url text, p_event_types text[])
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.webhook_subscriptions;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'only administrators manage webhooks' using errcode = '42501', hint = 'admin_only', detail = '{}';
  end if;
  perform private.assert_webhook_input(p_name, p_url, p_event_types);
  insert into public.webhook_subscriptions (name, url, secret, event_types)
  values (btrim(p_name), p_url, encode(extensions.gen_random_bytes(32), 'hex'),
          (select array_agg(distinct e order by e) from unnest(p_event_types) e))
  returning * into v_row;
  return jsonb_build_object('id', v_row.id, 'name', v_row.name, 'url', v_row.url, 'event_types', v_row.event_types,
                            'secret', v_row.secret);
end
$$;

create or replace function public.update_webhook_subscription(p_id uuid, p_name text, p_url text, p_event_types text[],
                                                              p_active boolean)
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'only administrators manage webhooks' using errcode = '42501', hint = 'admin_only', detail = '{}';
  end if;
  perform private.assert_webhook_input(p_name, p_url, p_event_types);
  update public.webhook_subscriptions
  set name = btrim(p_name), url = p_url, event_types = (select array_agg(distinct e order by e) from unnest(p_event_types) e),
      active = coalesce(p_active, active), updated_at = now()
  where id = p_id;
  if not found then
    raise exception 'webhook not found' using errcode = 'P0002', hint = 'webhook_not_found',
      detail = json_build_object('id', p_id)::text;
  end if;
end
$$;

-- Sends one delivery's event again to its subscription: a new delivery (the log keeps the old one).
create or replace function public.replay_webhook_delivery(p_delivery_id bigint)
returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_d public.webhook_deliveries;
  v_id bigint;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'only administrators manage webhooks' using errcode = '42501', hint = 'admin_only', detail = '{}';
  end if;
  select * into v_d from public.webhook_deliveries d where d.id = p_delivery_id;
  if v_d.id is null then
    raise exception 'webhook delivery not found' using errcode = 'P0002', hint = 'webhook_delivery_not_found',
      detail = json_build_object('id', p_delivery_id)::text;
  end if;
  insert into public.webhook_deliveries (event_id, subscription_id, replay_of)
  values (v_d.event_id, v_d.subscription_id, v_d.id)
  returning id into v_id;
  perform private.enqueue_job('deliver_webhooks', '{}'::json);
  return v_id;
end
$$;

create trigger audit after insert or update on public.webhook_subscriptions
  for each row execute function private.audit_row();

create or replace function private.claim_webhook_deliveries(p_limit int, p_lease_seconds int)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.delivery_limits();
  v_out jsonb;
begin
  if p_limit is null or p_limit < 1 or p_limit > (v_limits ->> 'max_claim')::int
     or p_lease_seconds is null or p_lease_seconds < 1 or p_lease_seconds > (v_limits ->> 'max_lease_seconds')::int then
    raise exception 'claim size or lease out of range' using errcode = '22023', hint = 'delivery_claim_out_of_range',
      detail = v_limits::text;
  end if;
  with due as (
    select d.id from public.webhook_deliveries d
    where d.next_attempt_at <= now()
      and (d.status = 'pending' or (d.status = 'sending' and d.claimed_until < now()))
    order by d.next_attempt_at, d.id
    limit p_limit
    for update skip locked
  ), claimed as (
    update public.webhook_deliveries d
    set status = 'sending', claim_token = gen_random_uuid(), claimed_until = now() + make_interval(secs => p_lease_seconds),
        attempts = d.attempts + 1
    from due where d.id = due.id
    returning d.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', c.id, 'token', c.claim_token, 'attempt', c.attempts, 'url', s.url, 'secret', s.secret,
    'active', s.active, 'event', jsonb_build_object('id', e.id, 'type', e.event_type, 'created_at', e.created_at,
                                                    'data', e.payload)
  ) order by c.id), '[]'::jsonb) into v_out
  from claimed c
  join public.webhook_events e on e.id = c.event_id
  join public.webhook_subscriptions s on s.id = c.subscription_id;
  return v_out;
end
$$;

create or replace function private.finish_webhook_delivery(p_id bigint, p_token uuid, p_delivered boolean,
                                                           p_http_status int, p_detail text, p_retry_seconds int)
returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.delivery_limits();
  v_d public.webhook_deliveries;
  v_status text;
begin
  select * into v_d from public.webhook_deliveries d where d.id = p_id and d.claim_token = p_token
    and d.status = 'sending' for update;
  if v_d.id is null then
    return false;
  end if;
  v_status := case when coalesce(p_delivered, false) then 'delivered'
                   when v_d.attempts < (v_limits ->> 'max_attempts')::int then 'pending' else 'failed' end;
  update public.webhook_deliveries d
  set status = v_status, claim_token = null, claimed_until = null, last_status = p_http_status,
      last_error = case when v_status = 'delivered' then null else left(p_detail, 1000) end,
      next_attempt_at = case when v_status = 'pending'
        then now() + make_interval(secs => least(greatest(coalesce(p_retry_seconds, 0), 0), (v_limits ->> 'max_retry_seconds')::int))
        else d.next_attempt_at end,
      finished_at = case when v_status = 'pending' then null else now() end
  where d.id = p_id;
  insert into public.webhook_attempts (delivery_id, attempt, outcome, http_status, detail)
  values (p_id, v_d.attempts, case when coalesce(p_delivered, false) then 'delivered' else 'failed' end, p_http_status,
          left(p_detail, 1000));
  return true;
end
$$;

-- ── Append-only logs ─────────────────────────────────────────────────────────────────────
create trigger guard before update or delete on public.notification_attempts
  for each row execute function private.refuse_change();
create trigger guard_truncate before truncate on public.notification_attempts
  for each statement execute function private.refuse_change();
create trigger guard before update or delete on public.webhook_attempts
  for each row execute function private.refuse_change();
create trigger guard_truncate before truncate on public.webhook_attempts
  for each statement execute function private.refuse_change();
create trigger guard before update or delete on public.webhook_events
  for each row execute function private.refuse_change();

-- ── Policies and grants ──────────────────────────────────────────────────────────────────
alter table public.notification_events enable row level security;
alter table public.notification_templates enable row level security;
alter table public.member_notification_settings enable row level security;
alter table public.notification_deliveries enable row level security;
alter table public.notification_attempts enable row level security;
alter table public.webhook_subscriptions enable row level security;
alter table public.webhook_events enable row level security;
alter table public.webhook_deliveries enable row level security;
alter table public.webhook_attempts enable row level security;

create policy "staff read notification events" on public.notification_events
  for select to authenticated using ((select private.is_staff_user()));
create policy "message editors read templates" on public.notification_templates
  for select to authenticated using ((select private.has_any_role('{marketing,director}')));
create policy "member servers read message settings" on public.member_notification_settings
  for select to authenticated using ((select private.sees_personal_data()));
create policy "directors read deliveries" on public.notification_deliveries
  for select to authenticated using ((select private.has_any_role('{director}')));
create policy "directors read delivery attempts" on public.notification_attempts
  for select to authenticated using ((select private.has_any_role('{director}')));
create policy "admins read webhooks" on public.webhook_subscriptions
  for select to authenticated using ((select private.has_role('admin')));
create policy "admins read webhook events" on public.webhook_events
  for select to authenticated using ((select private.has_role('admin')));
create policy "admins read webhook deliveries" on public.webhook_deliveries
  for select to authenticated using ((select private.has_role('admin')));
create policy "admins read webhook attempts" on public.webhook_attempts
  for select to authenticated using ((select private.has_role('admin')));

revoke all on public.notification_events, public.notification_templates, public.member_notification_settings,
  public.notification_deliveries, public.notification_attempts, public.webhook_subscriptions, public.webhook_events,
  public.webhook_deliveries, public.webhook_attempts from anon, authenticated, service_role;
grant select on public.notification_events, public.notification_templates, public.member_notification_settings,
  public.notification_deliveries, public.notification_attempts, public.webhook_events, public.webhook_deliveries,
  public.webhook_attempts to authenticated;
-- The secret is never read back through the API.
grant select (id, name, url, event_types, active, created_by, created_at, updated_at) on public.webhook_subscriptions
  to authenticated;

revoke all on function private.check_notification_template(text, text, text, text, text),
  private.guard_notification_template(), private.sync_notification_template(text, text, text, text, text),
  private.queue_notification_deliveries(), private.claim_notification_deliveries(int, int),
  private.finish_notification_delivery(bigint, uuid, text, text, int, int, text),
  private.add_webhook_events(text, jsonb), private.wants_webhook(text), private.webhook_ledger_events(),
  private.webhook_expiring_events(), private.webhook_tier_events(), private.webhook_approval_events(),
  private.webhook_benefit_events(), private.assert_webhook_input(text, text, text[]),
  private.claim_webhook_deliveries(int, int), private.finish_webhook_delivery(bigint, uuid, boolean, int, text, int),
  private.delivery_limits()
  from public, anon, authenticated, service_role;
revoke all on function public.save_notification_template(text, text, text, text, text),
  public.set_member_notification_settings(uuid, text, text[]),
  public.create_webhook_subscription(text, text, text[]),
  public.update_webhook_subscription(uuid, text, text, text[], boolean),
  public.replay_webhook_delivery(bigint)
  from public, anon;
grant execute on function public.save_notification_template(text, text, text, text, text),
  public.set_member_notification_settings(uuid, text, text[]),
  public.create_webhook_subscription(text, text, text[]),
  public.update_webhook_subscription(uuid, text, text, text[], boolean),
  public.replay_webhook_delivery(bigint)
  to authenticated, service_role;
