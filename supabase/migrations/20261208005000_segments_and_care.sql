-- Marketing segments, churn care and staff reminders.
--   * segment_definitions: versioned definitions (kind `segment`): a JSON-logic condition over the segment data
--     of a member (core/segments/fields.ts: member fields, tags, tier and activity aggregates). Marketing staff and
--     administrators write drafts; publishing follows the shared lifecycle and, when an administrator switched it
--     on, goes through approval (flow definition-publish).
--   * segment_member_data: the data a segment's condition reads per member, computed here once (the engine's
--     refresh and previews, and the SQL a test compares counts with, read the same columns).
--   * segment_previews: a live count and a sample while a segment is edited; evaluated by the engine with the rule
--     engine's budgets (engine/segments.ts), never by the API.
--   * segment_members: a published segment's members, replaced as a whole by the engine's refresh (idempotent);
--     public.segment_member_ids(key) is how a campaign reads them.
--   * care_triggers / care_tasks / member_followups: a tag or a segment opens care tasks for a unit's staff with a
--     due date, at most one open task per member and unit; a follow-up recorded by the unit closes it.
--   * care_reminders: members' birthdays and membership anniversaries in the coming days, per unit.

-- ── Segment definitions ──────────────────────────────────────────────────────────────────
create or replace function private.segment_limits()
returns jsonb
language sql immutable
as $$
  select '{"logic_max_bytes": 16384, "sample_size": 10, "previews_per_minute": 30, "max_due_days": 90,
           "note_max_length": 1000, "max_reminder_days": 60, "max_next_days": 365}'::jsonb
$$;
comment on function private.segment_limits() is
  'Caps of segments and care (core/segments/limits.ts): the size of a condition, the sample a preview shows, '
  'previews a user may ask per minute, a care task''s due days, a follow-up note, reminder look-ahead days and '
  'how far ahead a next follow-up may be planned.';

create table public.segment_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  version int not null check (version > 0),
  status public.config_status not null default 'draft',
  name text not null check (length(btrim(name)) between 1 and 100),
  name_en text check (name_en is null or length(btrim(name_en)) between 1 and 100),
  description text check (length(description) <= 2000),
  logic jsonb not null default 'true'::jsonb,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  superseded_at timestamptz,
  unique (key, version),
  constraint segment_definitions_logic_size check (octet_length(logic::text) <= 16384),
  constraint segment_definitions_published check (status = 'draft' or published_at is not null)
);
create unique index segment_definitions_one_published on public.segment_definitions (key) where status = 'published';
call private.add_definition_kind('segment', 'public.segment_definitions', 'segment definitions');
comment on table public.segment_definitions is
  'Marketing segments (客群), versioned like rules: a JSON-logic condition over a member''s segment data '
  '(private.segment_member_data: member fields, tags, tier, activity in the last 30/90 days). Only active, '
  'unmerged members belong to segments.';

create trigger audit after insert or update or delete on public.segment_definitions
  for each row execute function private.audit_row();
create trigger touch before update on public.segment_definitions
  for each row execute function private.touch_updated_at();

-- A condition's shape, with a clear reason (the engine's validator, core/rules, is the full check).
create or replace function private.check_segment_definition()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_max int := (private.segment_limits() ->> 'logic_max_bytes')::int;
  v_problems text[];
begin
  if new.logic is null or octet_length(new.logic::text) > v_max then
    raise exception 'a segment condition is at most % bytes', v_max using errcode = '22023',
      hint = 'segment_logic_too_large', detail = json_build_object('max', v_max)::text;
  end if;
  v_problems := private.rule_logic_problems(new.logic);
  if cardinality(v_problems) > 0 then
    raise exception 'segment condition is not valid: %', array_to_string(v_problems, '; ') using errcode = '22023',
      hint = 'segment_logic_invalid', detail = json_build_object('problems', v_problems)::text;
  end if;
  return new;
end
$$;
create trigger check_definition before insert or update on public.segment_definitions
  for each row execute function private.check_segment_definition();

-- Marketing staff draft segments as they draft rules and forms (a segment grants nothing by itself).
create or replace function private.drafts_definitions(p_kind text)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.has_role('admin') or (p_kind in ('rule', 'form', 'segment') and private.has_role('marketing'));
end
$$;
comment on function private.drafts_definitions(text) is
  'Whether the current user writes drafts of this kind of definition: administrators every kind, marketing staff '
  'rules, forms and segments (core/enums/access-matrix.ts: rules, forms, segments).';

create or replace function private.publish_approval_kinds()
returns text[]
language sql immutable
as $$ select array['rule', 'approval_flow', 'form', 'benefit', 'segment'] $$;

drop policy "admins write segment drafts" on public.segment_definitions;
drop policy "admins edit segment drafts" on public.segment_definitions;
drop policy "admins delete segment drafts" on public.segment_definitions;
create policy "drafters write segment drafts" on public.segment_definitions for insert to authenticated
  with check ((select private.drafts_definitions('segment')) and status = 'draft');
create policy "drafters edit segment drafts" on public.segment_definitions for update to authenticated
  using ((select private.drafts_definitions('segment')) and status = 'draft')
  with check ((select private.drafts_definitions('segment')) and status = 'draft');
create policy "drafters delete segment drafts" on public.segment_definitions for delete to authenticated
  using ((select private.drafts_definitions('segment')) and status = 'draft');
grant select, insert, delete on public.segment_definitions to authenticated;
grant update (name, name_en, description, logic) on public.segment_definitions to authenticated;
grant select on public.segment_definitions to service_role;

-- Publishes draft p_version of p_key: drafters directly unless publishing segments needs approval (then the
-- shared lifecycle refuses them and request_definition_publish asks for it); the system on an approval.
-- The engine refreshes the segment's members at once.
create or replace function public.publish_segment(p_key text, p_version int)
returns public.segment_definitions
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.segment_definitions;
begin
  if not private.is_system_caller() and not private.drafts_definitions('segment') then
    raise exception 'permission denied: you may not publish segments' using errcode = '42501',
      hint = 'definition_drafter_only', detail = json_build_object('action', 'publish_segment', 'kind', 'segment')::text;
  end if;
  perform private.publish_definition_version('public.segment_definitions', p_key, p_version, clock_timestamp());
  select * into v_row from public.segment_definitions d where d.key = p_key and d.version = p_version;
  perform private.enqueue_job('refresh_segments', json_build_object('segment_key', p_key), 'refresh_segments:' || p_key, -5, 3);
  return v_row;
end
$$;
comment on function public.publish_segment(text, int) is
  'Publishes a segment draft (marketing staff and administrators; under approval when the setting says so) and '
  'queues the refresh of its members.';

-- ── The data a segment reads ─────────────────────────────────────────────────────────────
-- One row per active, unmerged member after p_after (by id), at most p_limit, as of p_now: the member's fields
-- and activity. Days and dates are business days (Asia/Shanghai). Read by the engine (service role) only.
create or replace function private.segment_member_data(p_now timestamptz, p_after uuid default null, p_limit int default 1000)
returns table (
  member_id uuid, member_no text, tier text, tier_rank int, tags text[], gender text, birthday date, joined_on date,
  home_business_unit text, growth_value int, balance bigint, last_purchase_on date, days_since_purchase int,
  amount_30d float8, amount_90d float8, visits_30d int, visits_90d int, units_90d text[])
language sql stable security definer set search_path = ''
as $$
  select m.id, m.member_no, t.code, t.rank, m.tags, m.gender::text, m.birthday,
         (m.created_at at time zone private.business_time_zone())::date, home.code, m.growth_value,
         coalesce(b.balance, 0),
         (s.last_at at time zone private.business_time_zone())::date,
         (p_now at time zone private.business_time_zone())::date - (s.last_at at time zone private.business_time_zone())::date,
         coalesce(s.amount_30d, 0), coalesce(s.amount_90d, 0), coalesce(s.visits_30d, 0), coalesce(s.visits_90d, 0),
         coalesce(s.units_90d, '{}')
  from public.members m
  join public.tiers t on t.id = m.tier_id
  left join public.business_units home on home.id = m.home_business_unit_id
  left join public.point_balances b on b.member_id = m.id
  left join lateral (
    select max(x.occurred_at) as last_at,
           sum(x.amount) filter (where x.occurred_at > p_now - interval '30 days')::float8 as amount_30d,
           sum(x.amount) filter (where x.occurred_at > p_now - interval '90 days')::float8 as amount_90d,
           (count(*) filter (where x.occurred_at > p_now - interval '30 days'))::int as visits_30d,
           (count(*) filter (where x.occurred_at > p_now - interval '90 days'))::int as visits_90d,
           array_agg(distinct u.code order by u.code) filter (where x.occurred_at > p_now - interval '90 days') as units_90d
    from public.transactions x join public.business_units u on u.id = x.business_unit_id
    where x.member_id = m.id and x.occurred_at <= p_now) s on true
  where m.status = 'active' and m.merged_into is null and (p_after is null or m.id > p_after)
    and p_now is not null and isfinite(p_now)
  order by m.id
  limit least(greatest(coalesce(p_limit, 1000), 1), 5000)
$$;
comment on function private.segment_member_data(timestamptz, uuid, int) is
  'The data segment conditions read, per active unmerged member (core/segments/fields.ts), in pages by member id.';

-- ── Membership ───────────────────────────────────────────────────────────────────────────
create table public.segment_members (
  segment_key text not null check (segment_key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  member_id uuid not null references public.members (id),
  segment_version int not null,
  since timestamptz not null default now(),
  primary key (segment_key, member_id)
);
create index segment_members_member_idx on public.segment_members (member_id);
comment on table public.segment_members is
  'The members of each published segment as of its last refresh (public.segment_refreshes); written only by the engine.';

create table public.segment_refreshes (
  segment_key text primary key check (segment_key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  segment_version int not null,
  refreshed_at timestamptz not null,
  members int not null check (members >= 0),
  added int not null default 0,
  removed int not null default 0,
  error text check (length(error) <= 2000)
);
comment on table public.segment_refreshes is
  'The last refresh of each segment: version, moment, members, how many joined and left, or the error that stopped it.';

-- Replaces a segment's members with p_members (the engine's evaluation of version p_version as of p_at): members
-- that left are removed, new ones added, the others keep their `since`. Idempotent. System callers only.
create or replace function private.store_segment_members(p_key text, p_version int, p_members uuid[], p_at timestamptz)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_added int;
  v_removed int;
  v_count int;
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: segment members are written by the engine' using errcode = '42501', hint = 'system_job_only';
  end if;
  if not exists (select 1 from public.segment_definitions d where d.key = p_key and d.version = p_version and d.status = 'published') then
    raise exception 'segment % version % is not published', p_key, p_version using errcode = '22023',
      hint = 'segment_not_published', detail = json_build_object('key', p_key, 'version', p_version)::text;
  end if;
  perform pg_advisory_xact_lock(hashtext('private.store_segment_members'), hashtext(p_key));
  delete from public.segment_members s where s.segment_key = p_key and not (s.member_id = any (coalesce(p_members, '{}')));
  get diagnostics v_removed = row_count;
  insert into public.segment_members (segment_key, member_id, segment_version, since)
  select p_key, x, p_version, p_at from unnest(coalesce(p_members, '{}')) x
  join public.members m on m.id = x
  on conflict (segment_key, member_id) do nothing;
  get diagnostics v_added = row_count;
  update public.segment_members s set segment_version = p_version
  where s.segment_key = p_key and s.segment_version <> p_version;
  select count(*) into v_count from public.segment_members s where s.segment_key = p_key;
  insert into public.segment_refreshes as r (segment_key, segment_version, refreshed_at, members, added, removed, error)
  values (p_key, p_version, p_at, v_count, v_added, v_removed, null)
  on conflict (segment_key) do update set segment_version = excluded.segment_version, refreshed_at = excluded.refreshed_at,
    members = excluded.members, added = excluded.added, removed = excluded.removed, error = null;
  return jsonb_build_object('members', v_count, 'added', v_added, 'removed', v_removed);
end
$$;

-- Records why a refresh of a segment stopped (its members stay as they were).
create or replace function private.record_segment_refresh_error(p_key text, p_version int, p_error text)
returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: segment refreshes are recorded by the engine' using errcode = '42501', hint = 'system_job_only';
  end if;
  insert into public.segment_refreshes as r (segment_key, segment_version, refreshed_at, members, error)
  values (p_key, p_version, clock_timestamp(), coalesce((select count(*) from public.segment_members s where s.segment_key = p_key), 0),
          left(p_error, 2000))
  on conflict (segment_key) do update set error = excluded.error, refreshed_at = excluded.refreshed_at;
end
$$;

-- Who reads segments' members: marketing staff, directors, analysts and administrators (group-wide roles).
create or replace function private.reads_segments()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.has_any_role('{marketing,director,analyst}');
end
$$;

-- A published segment's members as of its last refresh: how a campaign targets a segment.
create or replace function public.segment_member_ids(p_key text)
returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_system_caller() and not private.reads_segments() then
    raise exception 'permission denied: you may not read segment members' using errcode = '42501',
      hint = 'segment_read_denied', detail = json_build_object('key', p_key)::text;
  end if;
  if not exists (select 1 from public.segment_definitions d where d.key = p_key and d.status = 'published') then
    raise exception 'segment % is not published', coalesce(p_key, 'null') using errcode = '22023',
      hint = 'segment_not_published', detail = json_build_object('key', p_key)::text;
  end if;
  return query select s.member_id from public.segment_members s where s.segment_key = p_key order by s.member_id;
end
$$;
comment on function public.segment_member_ids(text) is
  'The members of a published segment as of its last refresh (campaigns target a segment through this).';

alter table public.segment_members enable row level security;
alter table public.segment_refreshes enable row level security;
create policy "marketing reads segment members" on public.segment_members for select to authenticated
  using ((select private.reads_segments()));
create policy "staff read segment refreshes" on public.segment_refreshes for select to authenticated
  using ((select private.is_staff_user()));
revoke all on public.segment_members, public.segment_refreshes from anon, authenticated;
grant select on public.segment_members, public.segment_refreshes to authenticated, service_role;

-- ── Live previews ────────────────────────────────────────────────────────────────────────
create table public.segment_previews (
  id uuid primary key default gen_random_uuid(),
  logic jsonb not null check (octet_length(logic::text) <= 16384),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  members int check (members >= 0),
  evaluated int check (evaluated >= 0),
  sample uuid[] check (cardinality(sample) <= 10),
  error text check (length(error) <= 2000),
  requested_by uuid not null default auth.uid(),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index segment_previews_user_idx on public.segment_previews (requested_by, created_at);
comment on table public.segment_previews is
  'Live count and sample of a segment condition while it is edited: a drafter inserts the condition, the engine '
  'evaluates it over every active member with the rule engine''s budgets and writes the count and up to 10 members.';

create or replace function private.before_segment_preview()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_max int := (private.segment_limits() ->> 'previews_per_minute')::int;
  v_problems text[];
begin
  if private.is_system_caller() then
    return new;
  end if;
  if (select count(*) from public.segment_previews p
      where p.requested_by = new.requested_by and p.created_at > now() - interval '1 minute') >= v_max then
    raise exception 'at most % previews a minute', v_max using errcode = '54000',
      hint = 'segment_preview_rate_limited', detail = json_build_object('max', v_max)::text;
  end if;
  v_problems := private.rule_logic_problems(new.logic);
  if cardinality(v_problems) > 0 then
    raise exception 'segment condition is not valid: %', array_to_string(v_problems, '; ') using errcode = '22023',
      hint = 'segment_logic_invalid', detail = json_build_object('problems', v_problems)::text;
  end if;
  new.created_at := now();
  return new;
end
$$;
create trigger before_insert before insert on public.segment_previews
  for each row execute function private.before_segment_preview();

create or replace function private.enqueue_segment_preview()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.enqueue_job('segment_preview', json_build_object('preview_id', new.id), 'segment_preview:' || new.id, -5, 1);
  return new;
end
$$;
create trigger enqueue after insert on public.segment_previews
  for each row execute function private.enqueue_segment_preview();

alter table public.segment_previews enable row level security;
create policy "drafters read their previews" on public.segment_previews for select to authenticated
  using (requested_by = (select auth.uid()));
create policy "drafters ask previews" on public.segment_previews for insert to authenticated
  with check ((select private.drafts_definitions('segment')) and requested_by = (select auth.uid()) and status = 'queued'
              and members is null and evaluated is null and sample is null and error is null and finished_at is null);
revoke all on public.segment_previews from anon, authenticated;
grant select, insert (logic) on public.segment_previews to authenticated;
grant select, update on public.segment_previews to service_role;

-- The sample of a preview as the caller may see members (member_directory: masked for masked roles).
create or replace function public.segment_preview_sample(p_preview_id uuid)
returns table (member_id uuid, member_no text, name text, tier_id uuid)
language sql stable security invoker set search_path = ''
as $$
  select d.id, d.member_no, d.name, d.tier_id
  from public.segment_previews p
  cross join lateral unnest(p.sample) with ordinality s (id, n)
  join public.member_directory d on d.id = s.id
  where p.id = p_preview_id
  order by s.n
$$;

-- ── Care: triggers, tasks and follow-ups ─────────────────────────────────────────────────
create or replace function private.followup_channels()
returns text[]
language sql immutable
as $$ select array['phone', 'sms', 'wechat', 'visit', 'email', 'other'] $$;

create or replace function private.followup_outcomes()
returns text[]
language sql immutable
as $$ select array['reached', 'no_answer', 'interested', 'declined', 'callback', 'other'] $$;

create table public.care_triggers (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 100),
  source text not null check (source in ('tag', 'segment')),
  tag text check (tag is null or length(btrim(tag)) between 1 and 20),
  segment_key text check (segment_key is null or segment_key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  business_unit_id uuid not null references public.business_units (id),
  due_days int not null default 7 check (due_days between 1 and 90),
  active boolean not null default true,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  constraint care_triggers_source check ((source = 'tag' and tag is not null and segment_key is null)
                                         or (source = 'segment' and segment_key is not null and tag is null))
);
comment on table public.care_triggers is
  'What opens care tasks for a unit''s staff: members carrying a tag (流失预警) or belonging to a segment get a task '
  'due in due_days. Marketing staff and administrators manage them.';
create trigger audit after insert or update or delete on public.care_triggers
  for each row execute function private.audit_row();

create table public.care_tasks (
  id uuid primary key default gen_random_uuid(),
  trigger_id uuid not null references public.care_triggers (id),
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  status text not null default 'open' check (status in ('open', 'closed')),
  due_on date not null,
  opened_at timestamptz not null default now(),
  closed_at timestamptz,
  closed_by uuid,
  followup_id bigint,
  constraint care_tasks_closed check ((status = 'open') = (closed_at is null))
);
-- At most one open task per member and unit: a rerun, or a second trigger, opens nothing more.
create unique index care_tasks_one_open on public.care_tasks (business_unit_id, member_id) where status = 'open';
create index care_tasks_member_idx on public.care_tasks (member_id);
comment on table public.care_tasks is
  'Care tasks for a unit''s staff (opened by public.open_care_tasks, closed by a follow-up of the unit).';
create trigger audit after insert or update or delete on public.care_tasks
  for each row execute function private.audit_row();

create table public.member_followups (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  business_unit_id uuid not null references public.business_units (id),
  task_id uuid references public.care_tasks (id),
  channel text not null check (channel = any (private.followup_channels())),
  outcome text not null check (outcome = any (private.followup_outcomes())),
  note text not null check (length(btrim(note)) between 1 and 1000),
  next_on date,
  created_by uuid not null default auth.uid(),
  created_at timestamptz not null default now()
);
create index member_followups_member_idx on public.member_followups (member_id, created_at desc);
comment on table public.member_followups is
  'Follow-ups of members by a unit''s staff (跟进: note, channel, outcome, next date); append-only.';
create trigger audit after insert or update or delete on public.member_followups
  for each row execute function private.audit_row();

create or replace function private.refuse_followup_change()
returns trigger
language plpgsql
as $$
begin
  raise exception 'follow-ups are a record: they are never changed or deleted' using errcode = '42501',
    hint = 'followup_append_only';
end
$$;
create trigger append_only before update or delete on public.member_followups
  for each row execute function private.refuse_followup_change();

-- Opens a task for every member a trigger selects who has no open task at that unit (system only: the
-- engine after each segment refresh and hourly). Idempotent.
create or replace function public.open_care_tasks(p_now timestamptz default now())
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_opened int := 0;
  v_n int;
  v_trigger public.care_triggers;
  v_today date := (p_now at time zone private.business_time_zone())::date;
begin
  if not private.is_system_caller() then
    raise exception 'permission denied: care tasks are opened by the engine' using errcode = '42501', hint = 'system_job_only';
  end if;
  if p_now is null or not isfinite(p_now) or p_now > now() + interval '5 minutes' then
    raise exception 'p_now must be a finite moment not in the future' using errcode = '22023', hint = 'timestamp_out_of_range';
  end if;
  for v_trigger in select * from public.care_triggers t where t.active order by t.created_at loop
    insert into public.care_tasks (trigger_id, member_id, business_unit_id, due_on, opened_at)
    select v_trigger.id, m.id, v_trigger.business_unit_id, v_today + v_trigger.due_days, p_now
    from public.members m
    where m.status = 'active' and m.merged_into is null
      and case v_trigger.source
            when 'tag' then v_trigger.tag = any (m.tags)
            else exists (select 1 from public.segment_members s where s.segment_key = v_trigger.segment_key and s.member_id = m.id)
          end
    on conflict (business_unit_id, member_id) where status = 'open' do nothing;
    get diagnostics v_n = row_count;
    v_opened := v_opened + v_n;
  end loop;
  return v_opened;
end
$$;

-- Records a follow-up of a member by unit p_unit (its staff and managers; administrators), and closes the
-- member's open care task at that unit.
create or replace function public.record_followup(p_member_id uuid, p_business_unit_id uuid, p_channel text, p_outcome text,
                                                  p_note text, p_next_on date default null)
returns public.member_followups
language plpgsql security definer set search_path = ''
as $$
declare
  v_limits jsonb := private.segment_limits();
  v_note text := btrim(p_note);
  v_today date := private.business_today();
  v_row public.member_followups;
  v_task uuid;
begin
  if auth.uid() is null or p_business_unit_id is null or not private.has_any_role('{staff,manager}', p_business_unit_id) then
    raise exception 'permission denied: follow-ups are recorded by the unit''s staff' using errcode = '42501',
      hint = 'followup_unit_denied', detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  if not exists (select 1 from public.members m where m.id = p_member_id and m.merged_into is null) then
    raise exception 'member % not found', coalesce(p_member_id::text, 'null') using errcode = 'no_data_found',
      hint = 'member_unknown', detail = json_build_object('member_id', p_member_id)::text;
  end if;
  if p_channel is null or not p_channel = any (private.followup_channels()) then
    raise exception 'unknown follow-up channel %', coalesce(p_channel, 'null') using errcode = '22023',
      hint = 'followup_channel_invalid', detail = json_build_object('channel', p_channel)::text;
  end if;
  if p_outcome is null or not p_outcome = any (private.followup_outcomes()) then
    raise exception 'unknown follow-up outcome %', coalesce(p_outcome, 'null') using errcode = '22023',
      hint = 'followup_outcome_invalid', detail = json_build_object('outcome', p_outcome)::text;
  end if;
  if v_note is null or length(v_note) not between 1 and (v_limits ->> 'note_max_length')::int then
    raise exception 'a note of 1 to % characters is required', v_limits ->> 'note_max_length' using errcode = '22023',
      hint = 'followup_note_invalid', detail = json_build_object('max', (v_limits ->> 'note_max_length')::int)::text;
  end if;
  if p_next_on is not null and p_next_on not between v_today and v_today + (v_limits ->> 'max_next_days')::int then
    raise exception 'the next follow-up date must be from today to % days ahead', v_limits ->> 'max_next_days'
      using errcode = '22023', hint = 'followup_next_date_invalid',
            detail = json_build_object('max_days', (v_limits ->> 'max_next_days')::int)::text;
  end if;
  select t.id into v_task from public.care_tasks t
  where t.business_unit_id = p_business_unit_id and t.member_id = p_member_id and t.status = 'open'
  for update;
  insert into public.member_followups (member_id, business_unit_id, task_id, channel, outcome, note, next_on)
  values (p_member_id, p_business_unit_id, v_task, p_channel, p_outcome, v_note, p_next_on)
  returning * into v_row;
  if v_task is not null then
    update public.care_tasks set status = 'closed', closed_at = clock_timestamp(), closed_by = auth.uid(), followup_id = v_row.id
    where id = v_task;
  end if;
  return v_row;
end
$$;

-- Who sees a unit's care: its staff and managers, and the group-wide roles.
alter table public.care_triggers enable row level security;
alter table public.care_tasks enable row level security;
alter table public.member_followups enable row level security;
create policy "staff read care triggers" on public.care_triggers for select to authenticated
  using ((select private.is_staff_user()));
create policy "marketing write care triggers" on public.care_triggers for insert to authenticated
  with check ((select private.has_role('marketing')) and created_by = (select auth.uid()));
create policy "marketing edit care triggers" on public.care_triggers for update to authenticated
  using ((select private.has_role('marketing'))) with check ((select private.has_role('marketing')));
create policy "units read their care tasks" on public.care_tasks for select to authenticated
  using ((select private.has_any_role('{staff,manager,director,marketing}', business_unit_id)));
create policy "units read their follow-ups" on public.member_followups for select to authenticated
  using ((select private.has_any_role('{staff,manager,director,marketing}', business_unit_id)));
revoke all on public.care_triggers, public.care_tasks, public.member_followups from anon, authenticated;
grant select, insert (name, source, tag, segment_key, business_unit_id, due_days, active) on public.care_triggers to authenticated;
grant update (name, due_days, active) on public.care_triggers to authenticated;
grant select on public.care_tasks, public.member_followups to authenticated;
grant select on public.care_triggers, public.care_tasks, public.member_followups to service_role;

-- ── Reminders ────────────────────────────────────────────────────────────────────────────
-- The next day on or after p_today that falls on p_date's month and day (29 February: the 28th in other years).
create or replace function private.next_yearly(p_date date, p_today date)
returns date
language sql immutable
as $$
  select case when this_year >= p_today then this_year else next_year end
  from (select
    case when extract(month from p_date) = 2 and extract(day from p_date) = 29
              and not (extract(year from p_today)::int % 4 = 0 and (extract(year from p_today)::int % 100 <> 0 or extract(year from p_today)::int % 400 = 0))
         then make_date(extract(year from p_today)::int, 2, 28)
         else make_date(extract(year from p_today)::int, extract(month from p_date)::int, extract(day from p_date)::int) end as this_year,
    case when extract(month from p_date) = 2 and extract(day from p_date) = 29
              and not ((extract(year from p_today)::int + 1) % 4 = 0 and ((extract(year from p_today)::int + 1) % 100 <> 0 or (extract(year from p_today)::int + 1) % 400 = 0))
         then make_date(extract(year from p_today)::int + 1, 2, 28)
         else make_date(extract(year from p_today)::int + 1, extract(month from p_date)::int, extract(day from p_date)::int) end as next_year) d
  where p_date is not null and p_today is not null
$$;

-- Birthdays and membership anniversaries within p_days (today included) of the members of unit p_unit (its home
-- members and those who bought there in the last 365 days), for the unit's staff and managers.
create or replace function public.care_reminders(p_business_unit_id uuid, p_days int default 7)
returns table (member_id uuid, member_no text, name text, tier_id uuid, kind text, on_date date, days_until int, years int)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_max int := (private.segment_limits() ->> 'max_reminder_days')::int;
  v_today date := private.business_today();
begin
  if auth.uid() is null or p_business_unit_id is null or not private.has_any_role('{staff,manager}', p_business_unit_id) then
    raise exception 'permission denied: reminders are for the unit''s staff' using errcode = '42501',
      hint = 'followup_unit_denied', detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  if p_days is null or p_days not between 1 and v_max then
    raise exception 'days must be from 1 to %', v_max using errcode = '22023',
      hint = 'reminder_days_invalid', detail = json_build_object('max', v_max)::text;
  end if;
  return query
  with unit_members as (
    select m.* from public.members m
    where m.status = 'active' and m.merged_into is null
      and (m.home_business_unit_id = p_business_unit_id
           or exists (select 1 from public.transactions x where x.member_id = m.id and x.business_unit_id = p_business_unit_id
                      and x.occurred_at > now() - interval '365 days'))),
  events as (
    select u.id, u.member_no, u.name, u.tier_id, 'birthday'::text as kind, private.next_yearly(u.birthday, v_today) as on_date,
           u.birthday as origin
    from unit_members u where u.birthday is not null
    union all
    select u.id, u.member_no, u.name, u.tier_id, 'anniversary', private.next_yearly((u.created_at at time zone private.business_time_zone())::date, v_today),
           (u.created_at at time zone private.business_time_zone())::date
    from unit_members u)
  select e.id, e.member_no, e.name, e.tier_id, e.kind, e.on_date, (e.on_date - v_today)::int,
         (extract(year from e.on_date) - extract(year from e.origin))::int
  from events e
  where e.on_date <= v_today + (p_days - 1)
    and extract(year from e.on_date) > extract(year from e.origin)
  order by e.on_date, e.kind, e.member_no
  limit 500;
end
$$;
comment on function public.care_reminders(uuid, int) is
  'Birthdays and membership anniversaries of a unit''s members in the next p_days days (1-60), for its staff and managers.';

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function private.segment_limits(), private.check_segment_definition(),
  private.segment_member_data(timestamptz, uuid, int), private.store_segment_members(text, int, uuid[], timestamptz),
  private.record_segment_refresh_error(text, int, text), private.reads_segments(), private.before_segment_preview(),
  private.enqueue_segment_preview(), private.followup_channels(), private.followup_outcomes(), private.refuse_followup_change(),
  private.next_yearly(date, date)
  from public, anon, authenticated;
grant execute on function private.segment_member_data(timestamptz, uuid, int), private.store_segment_members(text, int, uuid[], timestamptz),
  private.record_segment_refresh_error(text, int, text), private.segment_limits() to service_role;
grant execute on function private.reads_segments() to authenticated, service_role;
revoke all on function public.publish_segment(text, int), public.segment_member_ids(text), public.segment_preview_sample(uuid),
  public.open_care_tasks(timestamptz), public.record_followup(uuid, uuid, text, text, text, date), public.care_reminders(uuid, int)
  from public, anon;
grant execute on function public.publish_segment(text, int), public.segment_member_ids(text), public.segment_preview_sample(uuid),
  public.record_followup(uuid, uuid, text, text, text, date), public.care_reminders(uuid, int)
  to authenticated, service_role;
revoke all on function public.open_care_tasks(timestamptz) from authenticated;
grant execute on function public.open_care_tasks(timestamptz) to service_role;
