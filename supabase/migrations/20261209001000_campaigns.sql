-- Marketing campaigns: a published segment, a period, one or more units, an offer (a points
-- multiplier, a benefit or coupon grant, a message), a budget cap, an optional A/B split with a holdout, launched
-- through approval (flow campaign-launch, action campaign_launch).
--   * campaigns: drafts written by marketing and administrators through save_campaign (no direct writes); submit_campaign
--     files the approval request; the final approval (private.run_campaign_launch, in the approver's transaction)
--     makes it approved and assigns the segment's members (a snapshot) to arms and the holdout, deterministically by a
--     hash of the campaign key and the member id, once.
--   * campaign_members: who is in which arm ('a', 'b', ... or 'holdout'), append-only.
--   * campaign_offers_given: what each member was given (bonus points of a transaction, a grant, a message) and its
--     cost, unique per (campaign, member, kind, ref): a job run twice gives nothing twice. spent_fen / spent_points on
--     the campaign are the sums, raised in the same statement that checks the budget (row lock): never overspent.
-- Every limit is in private.campaign_limits() (core/enums/campaigns.ts states the same).

-- ── Limits ──────────────────────────────────────────────────────────────────────────────
create or replace function private.campaign_limits()
returns jsonb
language sql immutable
as $$
  select '{"max_budget_fen": 100000000, "min_multiplier": 1.1, "max_multiplier": 5, "max_days": 366,
           "max_holdout_percent": 50, "max_arms": 4, "max_units": 20, "max_members": 100000, "max_name_length": 100,
           "max_description_length": 2000, "max_message_length": 200, "max_uses": 100, "max_unit_cost_fen": 10000000,
           "grant_batch": 1000, "director_above_fen": 5000000, "max_reason_length": 500}'::jsonb
$$;
comment on function private.campaign_limits() is
  'Caps of campaigns (core/enums/campaigns.ts CAMPAIGN_LIMITS): budget (fen), points multiplier range, days of a '
  'period, holdout percent, A/B arms, units, members of one campaign, name/description/message lengths, uses of a '
  'granted benefit, the cost of one grant or message (fen), grants per job pass, the budget above which the '
  'director approves too, and a cancel reason''s length.';

create or replace function private.campaign_statuses()
returns text[]
language sql immutable
as $$ select array['draft', 'pending', 'approved', 'running', 'ended', 'rejected', 'cancelled'] $$;

create or replace function private.campaign_offer_kinds()
returns text[]
language sql immutable
as $$ select array['points_multiplier', 'benefit_grant', 'message'] $$;

-- ── Tables ──────────────────────────────────────────────────────────────────────────────
create table public.campaigns (
  id uuid primary key default gen_random_uuid(),
  key text not null unique check (key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  description text not null default '' check (length(description) <= 2000),
  segment_key text not null,
  business_unit_ids uuid[] not null check (cardinality(business_unit_ids) between 1 and 20),
  starts_at timestamptz not null check (isfinite(starts_at)),
  ends_at timestamptz not null check (isfinite(ends_at) and ends_at > starts_at
                                      and ends_at <= starts_at + interval '366 days'),
  offer jsonb not null check (jsonb_typeof(offer) = 'object' and offer ->> 'kind' = any (private.campaign_offer_kinds())),
  arms jsonb not null default '[{"key": "a", "share": 100}]' check (jsonb_typeof(arms) = 'array'),
  holdout_percent int not null default 0 check (holdout_percent between 0 and 50),
  budget_fen bigint not null check (budget_fen between 1 and 100000000),
  paying_unit_id uuid not null references public.business_units (id),
  status text not null default 'draft' check (status = any (private.campaign_statuses())),
  approval_request_id uuid references public.approval_requests (id),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  approved_at timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text check (length(cancel_reason) <= 500),
  members_assigned int check (members_assigned >= 0),
  spent_fen bigint not null default 0 check (spent_fen >= 0),
  spent_points bigint not null default 0 check (spent_points >= 0),
  cost_posted_at timestamptz,
  cost_event_ref text,
  constraint campaigns_within_budget check (spent_fen <= budget_fen)
);
create index campaigns_live_idx on public.campaigns (status) where status in ('approved', 'running');
comment on table public.campaigns is
  'Marketing campaigns (营销活动): drafts by marketing and administrators (save_campaign), launched through approval '
  '(submit_campaign, flow campaign-launch); spent_fen/spent_points are raised only with the budget check.';

create table public.campaign_members (
  campaign_id uuid not null references public.campaigns (id),
  member_id uuid not null references public.members (id),
  arm text not null check (arm ~ '^([a-d]|holdout)$'),
  assigned_at timestamptz not null default now(),
  primary key (campaign_id, member_id)
);
create index campaign_members_member_idx on public.campaign_members (member_id);
comment on table public.campaign_members is
  'A launched campaign''s members (the segment on approval) and their arm (a..d, or holdout: never offered), append-only.';

create table public.campaign_offers_given (
  id bigint generated always as identity primary key,
  campaign_id uuid not null references public.campaigns (id),
  member_id uuid not null references public.members (id),
  arm text not null check (arm ~ '^[a-d]$'),
  kind text not null check (kind = any (private.campaign_offer_kinds())),
  ref text not null check (length(ref) between 1 and 200),
  business_unit_id uuid references public.business_units (id),
  points int not null default 0 check (points >= 0),
  cost_fen bigint not null default 0 check (cost_fen >= 0),
  at timestamptz not null default now(),
  unique (campaign_id, member_id, kind, ref)
);
create index campaign_offers_given_campaign_idx on public.campaign_offers_given (campaign_id, at);
comment on table public.campaign_offers_given is
  'What a campaign gave each treatment member (bonus points of a transaction: ref the transaction id; a grant: ref '
  '"grant"; a message: ref "message") and its cost; one row per (campaign, member, kind, ref), append-only.';

do $$
declare
  t text;
begin
  foreach t in array array['campaign_members', 'campaign_offers_given'] loop
    execute format('create trigger append_only before update or delete on public.%I for each row execute function private.refuse_change()', t);
    execute format('create trigger append_only_truncate before truncate on public.%I for each statement execute function private.refuse_change()', t);
  end loop;
end
$$;
create trigger audit after insert or update or delete on public.campaigns
  for each row execute function private.audit_row();

-- ── Who ─────────────────────────────────────────────────────────────────────────────────
-- Readers: marketing, administrators, managers, directors, analysts and finance (CAMPAIGN_READERS).
create or replace function private.reads_campaigns()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.is_system_caller() or private.has_any_role('{marketing,manager,director,analyst,finance}');
end
$$;
-- Drafters: marketing and administrators (CAMPAIGN_DRAFTERS).
create or replace function private.drafts_campaigns()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return auth.uid() is not null and private.has_any_role('{marketing}');
end
$$;

create or replace function private.assert_campaign_drafter(p_action text)
returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.drafts_campaigns() then
    raise exception 'permission denied: campaigns are drafted by marketing staff and administrators' using errcode = '42501',
      hint = 'campaign_drafters_only', detail = json_build_object('action', p_action)::text;
  end if;
end
$$;

-- ── Checks ──────────────────────────────────────────────────────────────────────────────
create or replace function private.campaign_refuse(p_hint text, p_message text, p_detail jsonb default '{}')
returns void
language plpgsql immutable set search_path = ''
as $$
begin
  -- raise sqlstate (not raise exception): the reason code is the caller's literal p_hint (tests/db/reason-codes).
  raise sqlstate '22023' using message = p_message, hint = p_hint, detail = p_detail::text;
end
$$;

-- The published benefit an offer names and the cost of one grant of it (a coupon: face value × uses; anything else:
-- offer.unit_cost_fen, required).
create or replace function private.campaign_grant_cost(p_offer jsonb, p_uses int)
returns bigint
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_lim jsonb := private.campaign_limits();
  v_def public.benefit_definitions;
  v_cost numeric;
begin
  select d.* into v_def from public.benefit_definitions d where d.key = p_offer ->> 'benefit_key' and d.status = 'published';
  if not found then
    perform private.campaign_refuse('campaign_benefit_unknown', format('benefit %s is not published', coalesce(p_offer ->> 'benefit_key', 'null')),
      jsonb_build_object('benefit_key', p_offer ->> 'benefit_key'));
  end if;
  if v_def.kind = 'coupon' and p_uses <> 1 then
    perform private.campaign_refuse('campaign_uses_invalid', 'a coupon is granted once per member (uses 1)', jsonb_build_object('uses', p_uses));
  end if;
  if v_def.kind = 'coupon' and not (p_offer ? 'unit_cost_fen') then
    return v_def.value::bigint * p_uses;
  end if;
  begin
    v_cost := (p_offer ->> 'unit_cost_fen')::numeric;
  exception when others then
    v_cost := null;
  end;
  if v_cost is null or v_cost < 1 or v_cost <> round(v_cost) or v_cost > (v_lim ->> 'max_unit_cost_fen')::bigint then
    perform private.campaign_refuse('campaign_unit_cost_invalid',
      format('the cost of one grant is a whole number of fen between 1 and %s', v_lim ->> 'max_unit_cost_fen'),
      jsonb_build_object('max', (v_lim ->> 'max_unit_cost_fen')::bigint));
  end if;
  return v_cost::bigint;
end
$$;

-- A whole number within [lo, hi] from a jsonb value, or null.
create or replace function private.campaign_int(p_value jsonb, p_lo numeric, p_hi numeric)
returns int
language plpgsql immutable set search_path = ''
as $$
declare
  v numeric;
begin
  if p_value is null or jsonb_typeof(p_value) <> 'number' then
    return null;
  end if;
  v := (p_value #>> '{}')::numeric;
  if v <> round(v) or v < p_lo or v > p_hi then
    return null;
  end if;
  return v::int;
end
$$;

-- Checks a campaign (as save_campaign would store it) and returns its normalised offer and arms; refuses the first
-- problem with its reason code and changes nothing.
create or replace function private.check_campaign(p_row public.campaigns)
returns public.campaigns
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_lim jsonb := private.campaign_limits();
  v_row public.campaigns := p_row;
  v_offer jsonb := p_row.offer;
  v_kind text;
  v_mult numeric;
  v_uses int;
  v_arm jsonb;
  v_arms jsonb := '[]';
  v_keys text[] := '{}';
  v_share int;
  v_total int := 0;
  v_unknown uuid[];
  v_msg text;
begin
  if v_row.key is null or v_row.key !~ '^[a-z][a-z0-9_.-]{1,63}$' then
    perform private.campaign_refuse('campaign_key_invalid',
      'a campaign key is 2 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter');
  end if;
  v_row.name := btrim(coalesce(v_row.name, ''));
  if length(v_row.name) not between 1 and (v_lim ->> 'max_name_length')::int then
    perform private.campaign_refuse('campaign_name_invalid', format('a campaign name has 1 to %s characters', v_lim ->> 'max_name_length'),
      jsonb_build_object('max', (v_lim ->> 'max_name_length')::int));
  end if;
  v_row.description := coalesce(v_row.description, '');
  if length(v_row.description) > (v_lim ->> 'max_description_length')::int then
    perform private.campaign_refuse('campaign_description_too_long',
      format('a description has at most %s characters', v_lim ->> 'max_description_length'),
      jsonb_build_object('max', (v_lim ->> 'max_description_length')::int));
  end if;
  if not exists (select 1 from public.segment_definitions d where d.key = v_row.segment_key and d.status = 'published') then
    perform private.campaign_refuse('campaign_segment_unknown', format('segment %s is not published', coalesce(v_row.segment_key, 'null')),
      jsonb_build_object('segment_key', v_row.segment_key));
  end if;
  select coalesce(array_agg(distinct u), '{}') into v_row.business_unit_ids from unnest(coalesce(v_row.business_unit_ids, '{}')) u where u is not null;
  if cardinality(v_row.business_unit_ids) not between 1 and (v_lim ->> 'max_units')::int then
    perform private.campaign_refuse('campaign_units_invalid', format('a campaign applies at 1 to %s business units', v_lim ->> 'max_units'),
      jsonb_build_object('max', (v_lim ->> 'max_units')::int));
  end if;
  select array_agg(u) into v_unknown from unnest(v_row.business_unit_ids) u
  where not exists (select 1 from public.business_units b where b.id = u and b.active);
  if cardinality(v_unknown) > 0 then
    perform private.campaign_refuse('campaign_units_invalid', 'a business unit of the campaign is unknown or inactive',
      jsonb_build_object('unknown', v_unknown));
  end if;
  if v_row.paying_unit_id is null or not exists (select 1 from public.business_units b where b.id = v_row.paying_unit_id and b.active) then
    perform private.campaign_refuse('campaign_paying_unit_invalid', 'the paying business unit is unknown or inactive');
  end if;
  if v_row.starts_at is null or v_row.ends_at is null or not isfinite(v_row.starts_at) or not isfinite(v_row.ends_at)
     or v_row.ends_at <= v_row.starts_at
     or v_row.ends_at > v_row.starts_at + make_interval(days => (v_lim ->> 'max_days')::int)
     or v_row.starts_at < (private.business_today() - 1)::timestamp at time zone private.business_time_zone() then
    perform private.campaign_refuse('campaign_period_invalid',
      format('a campaign ends after it starts, lasts at most %s days and starts no earlier than yesterday', v_lim ->> 'max_days'),
      jsonb_build_object('max_days', (v_lim ->> 'max_days')::int));
  end if;
  if v_row.holdout_percent is null or v_row.holdout_percent not between 0 and (v_lim ->> 'max_holdout_percent')::int then
    perform private.campaign_refuse('campaign_holdout_invalid',
      format('the holdout is a whole percent between 0 and %s', v_lim ->> 'max_holdout_percent'),
      jsonb_build_object('max', (v_lim ->> 'max_holdout_percent')::int));
  end if;
  if v_row.budget_fen is null or v_row.budget_fen < 1 or v_row.budget_fen > (v_lim ->> 'max_budget_fen')::bigint then
    perform private.campaign_refuse('campaign_budget_invalid',
      format('a budget is between 1 and %s fen', v_lim ->> 'max_budget_fen'),
      jsonb_build_object('max', (v_lim ->> 'max_budget_fen')::bigint));
  end if;

  -- The offer
  if v_offer is null or jsonb_typeof(v_offer) <> 'object' or not ((v_offer ->> 'kind') = any (private.campaign_offer_kinds())) then
    perform private.campaign_refuse('campaign_offer_invalid', 'an offer is a points multiplier, a benefit grant or a message');
  end if;
  v_kind := v_offer ->> 'kind';
  if v_kind = 'points_multiplier' then
    begin
      v_mult := (v_offer ->> 'multiplier')::numeric;
    exception when others then
      v_mult := null;
    end;
    if jsonb_typeof(v_offer -> 'multiplier') is distinct from 'number' or v_mult is null
       or v_mult < (v_lim ->> 'min_multiplier')::numeric or v_mult > (v_lim ->> 'max_multiplier')::numeric or v_mult <> round(v_mult, 2) then
      perform private.campaign_refuse('campaign_multiplier_invalid',
        format('a points multiplier is between %s and %s (2 decimals)', v_lim ->> 'min_multiplier', v_lim ->> 'max_multiplier'),
        jsonb_build_object('min', (v_lim ->> 'min_multiplier')::numeric, 'max', (v_lim ->> 'max_multiplier')::numeric));
    end if;
    v_offer := jsonb_build_object('kind', v_kind, 'multiplier', v_mult);
  elsif v_kind = 'benefit_grant' then
    v_uses := coalesce(private.campaign_int(coalesce(v_offer -> 'uses', '1'), 1, (v_lim ->> 'max_uses')::int), -1);
    if v_uses < 1 then
      perform private.campaign_refuse('campaign_uses_invalid', format('uses of a granted benefit are 1 to %s', v_lim ->> 'max_uses'),
        jsonb_build_object('max', (v_lim ->> 'max_uses')::int));
    end if;
    v_offer := jsonb_build_object('kind', v_kind, 'benefit_key', v_offer ->> 'benefit_key', 'uses', v_uses)
      || case when v_offer ? 'unit_cost_fen' then jsonb_build_object('unit_cost_fen', v_offer -> 'unit_cost_fen') else '{}' end;
    v_offer := v_offer || jsonb_build_object('unit_cost_fen', private.campaign_grant_cost(v_offer, v_uses),
      'benefit_version', (select d.version from public.benefit_definitions d where d.key = v_offer ->> 'benefit_key' and d.status = 'published'));
  else
    v_msg := btrim(coalesce(v_offer ->> 'message', ''));
    if jsonb_typeof(v_offer -> 'message') is distinct from 'string' or length(v_msg) not between 1 and (v_lim ->> 'max_message_length')::int then
      perform private.campaign_refuse('campaign_message_invalid', format('a message has 1 to %s characters', v_lim ->> 'max_message_length'),
        jsonb_build_object('max', (v_lim ->> 'max_message_length')::int));
    end if;
    v_share := private.campaign_int(coalesce(v_offer -> 'unit_cost_fen', '0'), 0, (v_lim ->> 'max_unit_cost_fen')::int);
    if v_share is null then
      perform private.campaign_refuse('campaign_unit_cost_invalid',
        format('the cost of one message is a whole number of fen between 0 and %s', v_lim ->> 'max_unit_cost_fen'),
        jsonb_build_object('max', (v_lim ->> 'max_unit_cost_fen')::bigint));
    end if;
    v_offer := jsonb_build_object('kind', v_kind, 'message', v_msg, 'unit_cost_fen', v_share);
  end if;
  v_row.offer := v_offer;

  -- Arms: 1..max_arms, keys a, b, c, d in order, shares whole percents summing to 100; an arm may override the offer's
  -- multiplier (points_multiplier), uses (benefit_grant) or message (message).
  if v_row.arms is null or jsonb_typeof(v_row.arms) <> 'array' or jsonb_array_length(v_row.arms) not between 1 and (v_lim ->> 'max_arms')::int then
    perform private.campaign_refuse('campaign_arms_invalid',
      format('a campaign has 1 to %s arms whose shares add up to 100', v_lim ->> 'max_arms'), jsonb_build_object('max', (v_lim ->> 'max_arms')::int));
  end if;
  for v_arm in select a.value from jsonb_array_elements(v_row.arms) a loop
    v_share := private.campaign_int(v_arm -> 'share', 1, 100);
    if jsonb_typeof(v_arm) <> 'object' or v_share is null
       or (v_arm ->> 'key') is distinct from chr(ascii('a') + cardinality(v_keys)) then
      perform private.campaign_refuse('campaign_arms_invalid',
        'arms are named a, b, c, d in order, each with a share of 1 to 100 percent', jsonb_build_object('max', (v_lim ->> 'max_arms')::int));
    end if;
    v_keys := v_keys || (v_arm ->> 'key');
    v_total := v_total + v_share;
    v_arm := jsonb_build_object('key', v_arm ->> 'key', 'share', v_share)
      || case
           when v_kind = 'points_multiplier' and v_arm ? 'multiplier' then
             case when jsonb_typeof(v_arm -> 'multiplier') = 'number'
                        and (v_arm ->> 'multiplier')::numeric between (v_lim ->> 'min_multiplier')::numeric and (v_lim ->> 'max_multiplier')::numeric
                        and (v_arm ->> 'multiplier')::numeric = round((v_arm ->> 'multiplier')::numeric, 2)
                  then jsonb_build_object('multiplier', (v_arm ->> 'multiplier')::numeric) end
           when v_kind = 'benefit_grant' and v_arm ? 'uses' then
             case when private.campaign_int(v_arm -> 'uses', 1, (v_lim ->> 'max_uses')::int) is not null
                  then jsonb_build_object('uses', private.campaign_int(v_arm -> 'uses', 1, (v_lim ->> 'max_uses')::int)) end
           when v_kind = 'message' and v_arm ? 'message' then
             case when jsonb_typeof(v_arm -> 'message') = 'string' and length(btrim(v_arm ->> 'message')) between 1 and (v_lim ->> 'max_message_length')::int
                  then jsonb_build_object('message', btrim(v_arm ->> 'message')) end
           when v_arm ?| array['multiplier', 'uses', 'message'] then null
           else '{}'::jsonb
         end;
    if v_arm is null then
      perform private.campaign_refuse('campaign_arm_offer_invalid',
        'an arm overrides only its offer''s multiplier, uses or message, within the same limits', jsonb_build_object('arm', v_keys[cardinality(v_keys)]));
    end if;
    if v_kind = 'benefit_grant' and v_arm ? 'uses' then
      perform private.campaign_grant_cost(v_row.offer, (v_arm ->> 'uses')::int);
    end if;
    v_arms := v_arms || v_arm;
  end loop;
  if v_total <> 100 then
    perform private.campaign_refuse('campaign_arms_invalid', format('the arms'' shares add up to %s, not 100', v_total),
      jsonb_build_object('total', v_total));
  end if;
  v_row.arms := v_arms;
  return v_row;
end
$$;

-- ── save / submit / cancel ──────────────────────────────────────────────────────────────
-- Creates a draft (no id) or changes a draft or a rejected campaign (id): the whole campaign in p (key, name,
-- description, segment_key, business_unit_ids, starts_at, ends_at, offer, arms, holdout_percent, budget_fen,
-- paying_unit_id). Marketing and administrators.
create or replace function public.save_campaign(p jsonb)
returns public.campaigns
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.campaigns;
  v_old public.campaigns;
  v_id uuid;
begin
  perform private.assert_campaign_drafter('save_campaign');
  if p is null or jsonb_typeof(p) <> 'object' then
    perform private.campaign_refuse('campaign_invalid', 'a campaign is a JSON object');
  end if;
  begin
    v_id := (p ->> 'id')::uuid;
    v_row.key := p ->> 'key';
    v_row.name := p ->> 'name';
    v_row.description := coalesce(p ->> 'description', '');
    v_row.segment_key := p ->> 'segment_key';
    v_row.business_unit_ids := case when jsonb_typeof(p -> 'business_unit_ids') = 'array'
      then (select array_agg(x::uuid) from jsonb_array_elements_text(p -> 'business_unit_ids') x) end;
    v_row.starts_at := (p ->> 'starts_at')::timestamptz;
    v_row.ends_at := (p ->> 'ends_at')::timestamptz;
    v_row.offer := p -> 'offer';
    v_row.arms := coalesce(p -> 'arms', '[{"key": "a", "share": 100}]');
    v_row.holdout_percent := coalesce((p ->> 'holdout_percent')::int, 0);
    v_row.budget_fen := (p ->> 'budget_fen')::bigint;
    v_row.paying_unit_id := (p ->> 'paying_unit_id')::uuid;
  exception when invalid_text_representation or datetime_field_overflow or invalid_datetime_format
            or numeric_value_out_of_range then
    perform private.campaign_refuse('campaign_invalid', 'a campaign field has the wrong type: ' || sqlerrm);
  end;
  v_row := private.check_campaign(v_row);
  if v_id is null then
    begin
      insert into public.campaigns (key, name, description, segment_key, business_unit_ids, starts_at, ends_at, offer, arms,
                                    holdout_percent, budget_fen, paying_unit_id)
      values (v_row.key, v_row.name, v_row.description, v_row.segment_key, v_row.business_unit_ids, v_row.starts_at,
              v_row.ends_at, v_row.offer, v_row.arms, v_row.holdout_percent, v_row.budget_fen, v_row.paying_unit_id)
      returning * into v_row;
    exception when unique_violation then
      perform private.campaign_refuse('campaign_key_taken', format('a campaign with key %s exists', v_row.key),
        jsonb_build_object('key', v_row.key));
    end;
    return v_row;
  end if;
  select c.* into v_old from public.campaigns c where c.id = v_id for update;
  if not found then
    perform private.raise_not_found(format('unknown campaign %s', v_id), 'campaign_unknown', json_build_object('campaign_id', v_id)::text);
  end if;
  if v_old.status not in ('draft', 'rejected') then
    perform private.campaign_refuse('campaign_not_draft', format('campaign %s is %s: only a draft or a rejected campaign changes', v_old.key, v_old.status),
      jsonb_build_object('status', v_old.status));
  end if;
  if v_old.key <> v_row.key then
    perform private.campaign_refuse('campaign_key_fixed', 'a campaign''s key does not change', jsonb_build_object('key', v_old.key));
  end if;
  update public.campaigns set name = v_row.name, description = v_row.description, segment_key = v_row.segment_key,
    business_unit_ids = v_row.business_unit_ids, starts_at = v_row.starts_at, ends_at = v_row.ends_at, offer = v_row.offer,
    arms = v_row.arms, holdout_percent = v_row.holdout_percent, budget_fen = v_row.budget_fen,
    paying_unit_id = v_row.paying_unit_id, status = 'draft', approval_request_id = null, updated_at = now()
  where id = v_id returning * into v_row;
  return v_row;
end
$$;
comment on function public.save_campaign(jsonb) is
  'Creates (no id) or changes (id; a draft or rejected campaign, which becomes a draft again) a campaign: marketing and '
  'administrators. Refusals: campaign_drafters_only, campaign_invalid, campaign_key_invalid, campaign_key_taken, '
  'campaign_key_fixed, campaign_name_invalid, campaign_description_too_long, campaign_segment_unknown, '
  'campaign_units_invalid, campaign_paying_unit_invalid, campaign_period_invalid, campaign_holdout_invalid, '
  'campaign_budget_invalid, campaign_offer_invalid, campaign_multiplier_invalid, campaign_benefit_unknown, '
  'campaign_uses_invalid, campaign_unit_cost_invalid, campaign_message_invalid, campaign_arms_invalid, '
  'campaign_arm_offer_invalid, campaign_not_draft, campaign_unknown.';

-- Files the launch request (flow campaign-launch) for a draft: the request is about the paying unit. A repeat of the
-- key by the same user returns the request it filed.
create or replace function public.submit_campaign(p_campaign_id uuid, p_key text)
returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_request public.approval_requests;
  v_members bigint;
  v_max int := (private.campaign_limits() ->> 'max_members')::int;
begin
  perform private.assert_campaign_drafter('submit_campaign');
  if p_key is null or length(p_key) not between 8 and 100 then
    raise exception 'an idempotency key of 8 to 100 characters is required' using errcode = '22023',
      hint = 'idempotency_key_invalid', detail = json_build_object('min', 8, 'max', 100)::text;
  end if;
  v_request := private.filed_approval_request(p_key);
  if v_request.id is not null then
    return v_request.id;
  end if;
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id for update;
  if not found then
    perform private.raise_not_found(format('unknown campaign %s', p_campaign_id), 'campaign_unknown',
      json_build_object('campaign_id', p_campaign_id)::text);
  end if;
  if v_c.status = 'pending' and v_c.approval_request_id is not null then
    v_request := private.filed_approval_request(p_key);
    if v_request.id = v_c.approval_request_id then
      return v_request.id;
    end if;
  end if;
  if v_c.status <> 'draft' then
    perform private.campaign_refuse('campaign_not_draft', format('campaign %s is %s: only a draft is submitted', v_c.key, v_c.status),
      jsonb_build_object('status', v_c.status));
  end if;
  -- checked again: the segment, units or benefit may have changed since the draft was saved
  perform private.check_campaign(v_c);
  select count(*) into v_members from public.segment_members s where s.segment_key = v_c.segment_key;
  if v_members = 0 or v_members > v_max then
    perform private.campaign_refuse('campaign_segment_size', format('the segment has %s members: a campaign targets 1 to %s', v_members, v_max),
      jsonb_build_object('members', v_members, 'max', v_max));
  end if;
  v_request := private.file_approval_request('campaign-launch', v_c.paying_unit_id, null,
    jsonb_build_object('campaign_id', v_c.id, 'key', v_c.key, 'name', v_c.name, 'segment_key', v_c.segment_key,
                       'segment_name', (select d.name from public.segment_definitions d where d.key = v_c.segment_key and d.status = 'published'),
                       'segment_name_en', (select d.name_en from public.segment_definitions d where d.key = v_c.segment_key and d.status = 'published'),
                       'member_count', v_members, 'business_unit_ids', to_jsonb(v_c.business_unit_ids),
                       'starts_at', v_c.starts_at, 'ends_at', v_c.ends_at, 'offer', v_c.offer, 'arms', v_c.arms,
                       'holdout_percent', v_c.holdout_percent, 'budget_fen', v_c.budget_fen,
                       'paying_unit_id', v_c.paying_unit_id),
    p_key);
  update public.campaigns set status = 'pending', approval_request_id = v_request.id, submitted_at = now(), updated_at = now()
  where id = v_c.id;
  return v_request.id;
end
$$;
comment on function public.submit_campaign(uuid, text) is
  'Submits a draft campaign for approval (flow campaign-launch; the request is about the paying unit): marketing and '
  'administrators. The segment must have 1 to max_members members (campaign_segment_size). A repeat of p_key by the '
  'same user returns the same request id. The final approval assigns the members and makes the campaign approved.';

-- Cancels a draft, approved or running campaign (a pending one is withdrawn in the approval centre first): nothing is
-- offered afterwards; what was spent is still shared to settlement by the campaign job.
create or replace function public.cancel_campaign(p_campaign_id uuid, p_reason text)
returns public.campaigns
language plpgsql security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_reason text;
begin
  if not (private.drafts_campaigns() or private.has_any_role('{director}')) then
    raise exception 'permission denied: campaigns are cancelled by marketing staff, directors and administrators'
      using errcode = '42501', hint = 'campaign_drafters_only', detail = json_build_object('action', 'cancel_campaign')::text;
  end if;
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id for update;
  if not found then
    perform private.raise_not_found(format('unknown campaign %s', p_campaign_id), 'campaign_unknown',
      json_build_object('campaign_id', p_campaign_id)::text);
  end if;
  if v_c.status = 'cancelled' then
    return v_c;
  end if;
  if v_c.status = 'pending' then
    perform private.campaign_refuse('campaign_pending_withdraw_first',
      'the campaign is waiting for approval: withdraw its request first', jsonb_build_object('request_id', v_c.approval_request_id));
  end if;
  if v_c.status not in ('draft', 'approved', 'running', 'rejected') then
    perform private.campaign_refuse('campaign_not_cancellable', format('campaign %s is %s and cannot be cancelled', v_c.key, v_c.status),
      jsonb_build_object('status', v_c.status));
  end if;
  v_reason := private.assert_request_reason(p_reason);
  perform set_config('app.reason', left('campaign-cancel: ' || v_reason, 500), true);
  update public.campaigns set status = 'cancelled', cancelled_at = now(), cancel_reason = v_reason, updated_at = now()
  where id = v_c.id returning * into v_c;
  perform set_config('app.reason', '', true);
  return v_c;
end
$$;
comment on function public.cancel_campaign(uuid, text) is
  'Cancels a draft, rejected, approved or running campaign with a reason (marketing, directors, administrators); a '
  'pending one refuses with campaign_pending_withdraw_first. Cancelling twice returns it unchanged.';

-- ── Assignment on approval ──────────────────────────────────────────────────────────────
-- The arm of a member: a first hash of key:member decides the holdout (its percent of 100 buckets), a second hash
-- decides the arm by the cumulative shares. Deterministic: the same campaign and member always land in the same arm.
create or replace function private.campaign_arm(p_key text, p_member_id uuid, p_holdout int, p_arms jsonb)
returns text
language sql immutable set search_path = ''
as $$
  select case
    when (('x' || substr(md5(p_key || ':holdout:' || p_member_id), 1, 8))::bit(32)::bigint % 100) < p_holdout then 'holdout'
    else (select a.value ->> 'key'
          from jsonb_array_elements(p_arms) with ordinality a(value, n)
          where (('x' || substr(md5(p_key || ':arm:' || p_member_id), 1, 8))::bit(32)::bigint % 100)
                < (select sum((b.value ->> 'share')::int) from jsonb_array_elements(p_arms) with ordinality b(value, m) where b.m <= a.n)
          order by a.n limit 1)
  end
$$;
comment on function private.campaign_arm(text, uuid, int, jsonb) is
  'The arm (a..d) or holdout of a member in a campaign: md5 of key:holdout:member decides the holdout, md5 of '
  'key:arm:member the arm by cumulative shares (core/campaigns/assign.ts computes the same).';

-- Assigns the campaign's segment (its members as of the last refresh) to arms and the holdout, once: a second run
-- assigns nobody again. Returns the counts per arm.
create or replace function private.assign_campaign_members(p_campaign_id uuid)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_out jsonb;
begin
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id;
  insert into public.campaign_members (campaign_id, member_id, arm)
  select v_c.id, s.id, private.campaign_arm(v_c.key, s.id, v_c.holdout_percent, v_c.arms)
  from public.segment_member_ids(v_c.segment_key) s(id)
  join public.members m on m.id = s.id and m.status = 'active' and m.merged_into is null
  order by s.id
  limit (private.campaign_limits() ->> 'max_members')::int
  on conflict do nothing;
  select coalesce(jsonb_object_agg(arm, n), '{}') into v_out
  from (select cm.arm, count(*) as n from public.campaign_members cm where cm.campaign_id = v_c.id group by 1) x;
  update public.campaigns set members_assigned = (select count(*) from public.campaign_members cm where cm.campaign_id = v_c.id)
  where id = v_c.id;
  return v_out;
end
$$;

-- The runner of action campaign_launch: the pending campaign of the request becomes approved (running from its
-- start) and its members are assigned, in the approver's transaction.
create or replace function private.run_campaign_launch(p_request public.approval_requests)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_arms jsonb;
begin
  select c.* into v_c from public.campaigns c where c.id = (p_request.data ->> 'campaign_id')::uuid for update;
  if not found or v_c.approval_request_id is distinct from p_request.id then
    perform private.campaign_refuse('campaign_unknown', 'the campaign of this request is unknown or was changed since',
      jsonb_build_object('campaign_id', p_request.data ->> 'campaign_id'));
  end if;
  if v_c.status in ('approved', 'running', 'ended') then
    return jsonb_build_object('campaign_id', v_c.id, 'status', v_c.status, 'duplicate', true);
  end if;
  if v_c.status <> 'pending' then
    perform private.campaign_refuse('campaign_not_pending', format('campaign %s is %s', v_c.key, v_c.status),
      jsonb_build_object('status', v_c.status));
  end if;
  if v_c.ends_at <= now() then
    perform private.campaign_refuse('campaign_period_invalid', 'the campaign''s period ended before it was approved');
  end if;
  update public.campaigns set status = 'approved', approved_at = now(), updated_at = now() where id = v_c.id;
  v_arms := private.assign_campaign_members(v_c.id);
  return jsonb_build_object('campaign_id', v_c.id, 'key', v_c.key, 'members', v_arms);
end
$$;
call private.register_approval_action('campaign_launch', 'private.run_campaign_launch(public.approval_requests)',
  false, 'required', 'none');

-- A rejected or failed launch request makes its campaign rejected (it can be changed and submitted again); a withdrawn
-- one makes it a draft again.
create or replace function private.sync_campaign_request()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.campaigns c
  set status = case when new.status = 'withdrawn' then 'draft' else 'rejected' end,
      approval_request_id = case when new.status = 'withdrawn' then null else c.approval_request_id end,
      updated_at = now()
  where c.approval_request_id = new.id and c.status = 'pending';
  return null;
end
$$;
create trigger campaign_request_decided after update of status on public.approval_requests
  for each row when (new.action = 'campaign_launch' and new.status in ('rejected', 'withdrawn', 'failed'))
  execute function private.sync_campaign_request();

-- ── Policies and grants ─────────────────────────────────────────────────────────────────
alter table public.campaigns enable row level security;
alter table public.campaign_members enable row level security;
alter table public.campaign_offers_given enable row level security;
create policy "campaign readers read campaigns" on public.campaigns for select to authenticated
  using ((select private.reads_campaigns()));
create policy "campaign readers read campaign members" on public.campaign_members for select to authenticated
  using ((select private.reads_campaigns()));
create policy "campaign readers read offers given" on public.campaign_offers_given for select to authenticated
  using ((select private.reads_campaigns()));
revoke all on public.campaigns, public.campaign_members, public.campaign_offers_given from anon, authenticated, service_role;
grant select on public.campaigns, public.campaign_members, public.campaign_offers_given to authenticated, service_role;

revoke all on function private.campaign_limits(), private.campaign_statuses(), private.campaign_offer_kinds() from public, anon;
grant execute on function private.campaign_limits(), private.campaign_statuses(), private.campaign_offer_kinds() to authenticated, service_role;
revoke all on function private.reads_campaigns(), private.drafts_campaigns() from public, anon;
grant execute on function private.reads_campaigns(), private.drafts_campaigns() to authenticated, service_role;
revoke all on function private.assert_campaign_drafter(text), private.campaign_refuse(text, text, jsonb),
  private.campaign_grant_cost(jsonb, int), private.campaign_int(jsonb, numeric, numeric), private.check_campaign(public.campaigns),
  private.assign_campaign_members(uuid), private.run_campaign_launch(public.approval_requests), private.sync_campaign_request()
  from public, anon, authenticated;
grant execute on function private.campaign_arm(text, uuid, int, jsonb) to authenticated, service_role;
revoke all on function public.save_campaign(jsonb), public.submit_campaign(uuid, text), public.cancel_campaign(uuid, text)
  from public, anon;
grant execute on function public.save_campaign(jsonb), public.submit_campaign(uuid, text), public.cancel_campaign(uuid, text)
  to authenticated, service_role;
