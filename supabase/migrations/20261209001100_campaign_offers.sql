-- Campaign offers, results and cost:
--   * points_multiplier: when the engine posts a transaction's earning (private.post_earnings writes its
--     transaction_earnings row), a treatment member of a live multiplier campaign at one of its units within its period
--     gets (multiplier - 1) × the points the rules gave as a bonus lot (kind campaign, issued by the paying unit), in the
--     same database transaction, capped by what is left of the budget at the point value (campaign row locked: two
--     parallel earnings never overspend). A refused bonus never blocks the earning.
--   * benefit_grant / message: the engine job `campaigns` (private.run_campaigns) grants the benefit
--     (private.grant_campaign_benefit, source_ref campaign:<key>) or queues the message (event campaign_offer) once per
--     treatment member, in batches, until the budget stops it; run twice (or in parallel) it gives nothing twice.
--   * The same job starts and ends campaigns and shares the cost of an ended or cancelled one among its units through
--     public.post_campaign_cost (once: campaigns.cost_posted_at under the row lock).
--   * campaign_results: reach, uptake, spend per arm, incremental spend against the holdout, cost, by day and unit.
--   * settlement_unit_report gains campaign_return: per campaign live at the unit in the period, the spend of its
--     treatment members there and the incremental part against the holdout.
--   * Dashboard metric campaign_uptake (core/metrics/metrics/campaign_uptake.ts).
-- Lock order: point_balances (the earning's member), then campaigns.

-- ── Notification event ──────────────────────────────────────────────────────────────────
insert into public.notification_events (key, variables)
values ('campaign_offer', '{member_name,member_no,campaign_name,message}')
on conflict (key) do nothing;

-- ── Points multiplier: a bonus lot with the earning ─────────────────────────────────────
create or replace function private.campaign_bonus_on_earning()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_txn public.transactions;
  v_c record;
  v_pv_fen numeric := private.point_value_yuan() * 100;
  v_mult numeric;
  v_bonus bigint;
  v_allowed bigint;
  v_cost bigint;
  v_expires timestamptz;
begin
  if new.outcome <> 'earned' or new.points <= 0 then
    return null;
  end if;
  select t.* into v_txn from public.transactions t where t.id = new.transaction_id;
  for v_c in
    select c.id, c.key, c.offer, c.arms, c.paying_unit_id, cm.arm
    from public.campaign_members cm
    join public.campaigns c on c.id = cm.campaign_id
    where cm.member_id = new.member_id and cm.arm <> 'holdout'
      and c.status in ('approved', 'running') and c.offer ->> 'kind' = 'points_multiplier'
      and v_txn.business_unit_id = any (c.business_unit_ids)
      and v_txn.occurred_at >= c.starts_at and v_txn.occurred_at < c.ends_at
    order by c.id
  loop
    v_mult := coalesce((select (a.value ->> 'multiplier')::numeric from jsonb_array_elements(v_c.arms) a
                        where a.value ->> 'key' = v_c.arm), (v_c.offer ->> 'multiplier')::numeric);
    v_bonus := floor(new.points * (v_mult - 1));
    v_expires := private.default_expiry('campaign', least(v_txn.occurred_at, clock_timestamp()));
    if v_bonus <= 0 or v_expires <= clock_timestamp() then
      continue;
    end if;
    begin
      -- The budget left, under the campaign's row lock: parallel earnings wait here and see what this one spent.
      select floor((c.budget_fen - c.spent_fen) / v_pv_fen)::bigint into v_allowed
      from public.campaigns c where c.id = v_c.id and c.status in ('approved', 'running') for update;
      v_bonus := least(v_bonus, coalesce(v_allowed, 0), 2000000000);
      if v_bonus <= 0 then
        continue;
      end if;
      v_cost := ceil(v_bonus * v_pv_fen)::bigint;
      insert into public.campaign_offers_given (campaign_id, member_id, arm, kind, ref, business_unit_id, points, cost_fen, at)
      values (v_c.id, new.member_id, v_c.arm, 'points_multiplier', new.transaction_id::text, v_txn.business_unit_id,
              v_bonus, v_cost, v_txn.occurred_at)
      on conflict (campaign_id, member_id, kind, ref) do nothing;
      if not found then
        continue;
      end if;
      update public.campaigns set spent_fen = spent_fen + v_cost, spent_points = spent_points + v_bonus where id = v_c.id;
      perform public.earn_points(new.member_id, v_c.paying_unit_id, v_bonus::int,
        'txn:' || new.transaction_id || ':campaign:' || v_c.key, 'campaign', v_expires, new.transaction_id,
        left('campaign:' || v_c.key, 500), v_txn.occurred_at);
    exception when sqlstate '22023' or sqlstate 'P0002' or sqlstate '23505' or sqlstate '23514' then
      -- refused (a cap, a frozen member...): no bonus, nothing spent, the earning stands
      null;
    end;
  end loop;
  return null;
end
$$;
create trigger campaign_bonus after insert on public.transaction_earnings
  for each row when (new.outcome = 'earned' and new.points > 0)
  execute function private.campaign_bonus_on_earning();

-- ── Grants and messages: once per treatment member, within the budget ───────────────────
-- Gives a running grant or message campaign's offer to at most p_limit more treatment members (active ones, by
-- member id), as many as its budget still pays for. Returns how many were given.
create or replace function private.give_campaign_offers(p_campaign_id uuid, p_limit int)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_arm record;
  v_uses int;
  v_cost bigint;
  v_room bigint;
  v_ids uuid[];
  v_given int;
  v_total int := 0;
  v_ref text;
begin
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id for update;
  if not found or v_c.status <> 'running' or v_c.offer ->> 'kind' not in ('benefit_grant', 'message') then
    return 0;
  end if;
  v_cost := coalesce((v_c.offer ->> 'unit_cost_fen')::bigint, 0);
  v_ref := case when v_c.offer ->> 'kind' = 'benefit_grant' then 'grant' else 'message' end;
  for v_arm in select a.value ->> 'key' as key, a.value as arm from jsonb_array_elements(v_c.arms) a order by a.value ->> 'key' loop
    v_room := case when v_cost > 0 then (v_c.budget_fen - v_c.spent_fen) / v_cost else p_limit end;
    v_room := least(v_room, p_limit - v_total);
    exit when v_room <= 0;
    v_ids := array(
      select cm.member_id from public.campaign_members cm
      join public.members m on m.id = cm.member_id and m.status = 'active' and m.merged_into is null
      where cm.campaign_id = v_c.id and cm.arm = v_arm.key
        and not exists (select 1 from public.campaign_offers_given g where g.campaign_id = v_c.id and g.member_id = cm.member_id
                          and g.kind = v_c.offer ->> 'kind' and g.ref = v_ref)
      order by cm.member_id limit v_room);
    continue when cardinality(v_ids) = 0;
    if v_c.offer ->> 'kind' = 'benefit_grant' then
      v_uses := coalesce((v_arm.arm ->> 'uses')::int, (v_c.offer ->> 'uses')::int);
      perform private.grant_campaign_benefit(v_c.offer ->> 'benefit_key', (v_c.offer ->> 'benefit_version')::int,
        'campaign:' || v_c.key, v_ids, v_uses);
      -- what was granted (now or by an earlier run that stopped before recording it) is recorded and paid once
      insert into public.campaign_offers_given (campaign_id, member_id, arm, kind, ref, business_unit_id, cost_fen)
      select v_c.id, g.member_id, v_arm.key, 'benefit_grant', 'grant', v_c.paying_unit_id, v_cost
      from public.benefit_grants g
      where g.member_id = any (v_ids) and g.definition_key = v_c.offer ->> 'benefit_key' and g.source = 'campaign'
        and g.source_ref = 'campaign:' || v_c.key
      on conflict (campaign_id, member_id, kind, ref) do nothing;
      get diagnostics v_given = row_count;
    else
      with given as (
        insert into public.campaign_offers_given (campaign_id, member_id, arm, kind, ref, business_unit_id, cost_fen)
        select v_c.id, x, v_arm.key, 'message', 'message', v_c.paying_unit_id, v_cost from unnest(v_ids) x
        on conflict (campaign_id, member_id, kind, ref) do nothing
        returning member_id
      ), sent as (
        insert into public.notifications_outbox (member_id, channel, template, payload, dedupe_key)
        select g.member_id, 'sms', 'campaign_offer',
               jsonb_build_object('campaign_name', v_c.name, 'campaign_key', v_c.key,
                                  'message', coalesce(v_arm.arm ->> 'message', v_c.offer ->> 'message')),
               'campaign:' || v_c.key
        from given g
        on conflict (member_id, template, dedupe_key) do nothing
        returning 1
      )
      select count(*) into v_given from given;
    end if;
    update public.campaigns set spent_fen = spent_fen + v_given * v_cost where id = v_c.id
    returning * into v_c;
    v_total := v_total + v_given;
  end loop;
  return v_total;
end
$$;

-- ── Cost to settlement ──────────────────────────────────────────────────────────────────
-- post_campaign_cost shares a campaign's cost among the campaign's own units (traffic and revenue shares among them)
-- when its key names a campaign; any other key is shared among all units as before.
do $$
declare
  v_def text := pg_get_functiondef('public.post_campaign_cost(text, date, bigint, uuid, text)'::regprocedure);
  v_new text;
begin
  v_new := replace(v_def, E'  v_total_amount numeric;\nbegin\n',
    E'  v_total_amount numeric;\n  v_units uuid[] := (select c.business_unit_ids || c.paying_unit_id from public.campaigns c where c.key = p_campaign_key);\nbegin\n');
  v_new := replace(v_new, E'into v_total_txn, v_total_amount from public.transactions t\n  where t.occurred_at',
    E'into v_total_txn, v_total_amount from public.transactions t\n  where (v_units is null or t.business_unit_id = any (v_units)) and t.occurred_at');
  v_new := replace(v_new, 'from public.business_units u where u.id <> p_payer_unit_id order by u.id',
    'from public.business_units u where u.id <> p_payer_unit_id and (v_units is null or u.id = any (v_units)) order by u.id');
  if v_new = v_def or (length(v_new) - length(v_def)) < 150 then
    raise sqlstate 'XX000' using message = 'post_campaign_cost changed: the campaign units patch does not apply';
  end if;
  execute v_new;
end
$$;

-- Posts an ended or cancelled campaign's spent cost to settlement once (shared among its units by the settlement
-- rules). The engine job calls it as the system; finance of the paying unit or group finance may call it earlier.
create or replace function public.settle_campaign_cost(p_campaign_id uuid)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_at timestamptz;
  v_period date;
  v_result jsonb;
begin
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id;
  if not found then
    perform private.raise_not_found(format('unknown campaign %s', p_campaign_id), 'campaign_unknown',
      json_build_object('campaign_id', p_campaign_id)::text);
  end if;
  if not (private.is_system_caller() or private.is_group_finance() or exists (
      select 1 from public.role_assignments ra where ra.user_id = (select auth.uid())
        and ra.role = 'finance' and ra.business_unit_id = v_c.paying_unit_id)) then
    raise exception 'only the paying unit''s finance (or group finance) posts a campaign cost' using errcode = '42501',
      hint = 'settlement_not_your_unit', detail = json_build_object('business_unit_id', v_c.paying_unit_id)::text;
  end if;
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id for update;
  if v_c.cost_posted_at is not null then
    return jsonb_build_object('campaign_id', v_c.id, 'event_ref', v_c.cost_event_ref, 'duplicate', true);
  end if;
  if v_c.status not in ('ended', 'cancelled') then
    raise exception 'campaign % is %: its cost is settled once it ended or was cancelled', v_c.key, v_c.status
      using errcode = '22023', hint = 'campaign_not_ended', detail = json_build_object('status', v_c.status)::text;
  end if;
  if v_c.spent_fen = 0 then
    update public.campaigns set cost_posted_at = now() where id = v_c.id;
    return jsonb_build_object('campaign_id', v_c.id, 'event_ref', null, 'duplicate', false, 'shares', '[]'::jsonb);
  end if;
  v_at := coalesce(v_c.ended_at, v_c.cancelled_at, now());
  v_period := date_trunc('month', (least(v_at, now()) at time zone private.business_time_zone()))::date;
  begin
    v_result := public.post_campaign_cost(v_c.key, v_period, v_c.spent_fen, v_c.paying_unit_id, 'campaign-cost:' || v_c.id);
  exception when sqlstate '22023' then
    -- only the paying unit takes part: nothing to share
    if sqlerrm not like 'no other unit has a share%' then
      raise;
    end if;
    v_result := jsonb_build_object('event_ref', null, 'duplicate', false, 'shares', '[]'::jsonb);
  end;
  update public.campaigns set cost_posted_at = now(), cost_event_ref = v_result ->> 'event_ref' where id = v_c.id;
  return v_result || jsonb_build_object('campaign_id', v_c.id);
end
$$;
comment on function public.settle_campaign_cost(uuid) is
  'Posts an ended or cancelled campaign''s spent_fen to settlement once (public.post_campaign_cost: shared among the '
  'campaign''s units by the settlement rules; by traffic among them without a rule). The engine job does it at the '
  'end; finance of the paying unit or group finance may do it as soon as the campaign ended (campaign_not_ended '
  'before). A second call returns the first posting''s reference.';

-- ── The engine job ──────────────────────────────────────────────────────────────────────
create or replace function private.run_campaigns(p_now timestamptz default now())
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_started int;
  v_ended int;
  v_given int := 0;
  v_settled int := 0;
  v_failed jsonb := '[]';
  v_id uuid;
  v_batch int := (private.campaign_limits() ->> 'grant_batch')::int;
begin
  perform private.assert_system_caller('running campaigns');
  if p_now is null or not isfinite(p_now) then
    raise exception 'a finite moment is required' using errcode = '22023', hint = 'campaign_period_invalid';
  end if;
  update public.campaigns set status = 'running', started_at = p_now
  where status = 'approved' and starts_at <= p_now and ends_at > p_now;
  get diagnostics v_started = row_count;
  update public.campaigns set status = 'ended', ended_at = p_now
  where status in ('approved', 'running') and ends_at <= p_now;
  get diagnostics v_ended = row_count;
  for v_id in select c.id from public.campaigns c where c.status = 'running' and c.offer ->> 'kind' in ('benefit_grant', 'message')
              order by c.id loop
    begin
      v_given := v_given + private.give_campaign_offers(v_id, v_batch);
    exception when others then
      v_failed := v_failed || jsonb_build_object('campaign_id', v_id, 'error', left(sqlerrm, 300));
    end;
  end loop;
  for v_id in select c.id from public.campaigns c where c.status in ('ended', 'cancelled') and c.cost_posted_at is null
              order by c.id loop
    begin
      perform public.settle_campaign_cost(v_id);
      v_settled := v_settled + 1;
    exception when others then
      v_failed := v_failed || jsonb_build_object('campaign_id', v_id, 'error', left(sqlerrm, 300));
    end;
  end loop;
  return jsonb_build_object('started', v_started, 'ended', v_ended, 'given', v_given, 'settled', v_settled, 'failed', v_failed);
end
$$;
comment on function private.run_campaigns(timestamptz) is
  'The engine job campaigns (every minute): approved campaigns whose start came become running, live ones whose end '
  'came end; running grant and message campaigns give their offer to the next grant_batch treatment members within '
  'the budget; ended and cancelled ones have their cost settled once. Idempotent.';

-- ── Results ─────────────────────────────────────────────────────────────────────────────
-- Spend is the treatment and holdout members' purchases at the campaign's units within its period (fen).
create or replace function public.campaign_results(p_campaign_id uuid)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_c public.campaigns;
  v_out jsonb;
  v_tz text := private.business_time_zone();
begin
  if not private.reads_campaigns() then
    raise exception 'permission denied: you may not read campaign results' using errcode = '42501',
      hint = 'campaign_results_denied', detail = json_build_object('campaign_id', p_campaign_id)::text;
  end if;
  select c.* into v_c from public.campaigns c where c.id = p_campaign_id;
  if not found then
    perform private.raise_not_found(format('unknown campaign %s', p_campaign_id), 'campaign_unknown',
      json_build_object('campaign_id', p_campaign_id)::text);
  end if;
  with m as (
    select cm.member_id, cm.arm from public.campaign_members cm where cm.campaign_id = v_c.id
  ), tx as (
    select m.member_id, m.arm, t.business_unit_id, round(t.amount * 100)::bigint as fen,
           (t.occurred_at at time zone v_tz)::date as day
    from m join public.transactions t on t.member_id = m.member_id
    where t.business_unit_id = any (v_c.business_unit_ids) and t.occurred_at >= v_c.starts_at and t.occurred_at < v_c.ends_at
  ), arms as (
    select m.arm, count(*)::bigint as members,
           (select count(distinct tx.member_id) from tx where tx.arm = m.arm)::bigint as buyers,
           (select coalesce(sum(tx.fen), 0) from tx where tx.arm = m.arm)::bigint as spend_fen
    from m group by m.arm
  ), totals as (
    select coalesce(sum(a.members) filter (where a.arm <> 'holdout'), 0)::bigint as treat_members,
           coalesce(sum(a.buyers) filter (where a.arm <> 'holdout'), 0)::bigint as treat_buyers,
           coalesce(sum(a.spend_fen) filter (where a.arm <> 'holdout'), 0)::bigint as treat_spend,
           coalesce(sum(a.members) filter (where a.arm = 'holdout'), 0)::bigint as hold_members,
           coalesce(sum(a.spend_fen) filter (where a.arm = 'holdout'), 0)::bigint as hold_spend
    from arms a
  ), given as (
    select g.* from public.campaign_offers_given g where g.campaign_id = v_c.id
  ), days as (
    select d.day,
           (select count(distinct tx.member_id) from tx where tx.day = d.day and tx.arm <> 'holdout')::bigint as uptake,
           (select coalesce(sum(tx.fen), 0) from tx where tx.day = d.day and tx.arm <> 'holdout')::bigint as spend_fen,
           (select coalesce(sum(g.cost_fen), 0) from given g where (g.at at time zone v_tz)::date = d.day)::bigint as cost_fen
    from (select tx.day from tx union select (g.at at time zone v_tz)::date from given g) d
  ), units as (
    select u.unit,
           (select coalesce(sum(tx.fen), 0) from tx where tx.business_unit_id = u.unit and tx.arm <> 'holdout')::bigint as spend_fen,
           (select coalesce(sum(g.cost_fen), 0) from given g where g.business_unit_id = u.unit)::bigint as cost_fen
    from (select unnest(v_c.business_unit_ids) as unit union select g.business_unit_id from given g where g.business_unit_id is not null) u
  )
  select jsonb_build_object(
    'campaign_id', v_c.id, 'key', v_c.key, 'status', v_c.status, 'offer_kind', v_c.offer ->> 'kind',
    'members', t.treat_members + t.hold_members, 'treatment_members', t.treat_members, 'holdout_members', t.hold_members,
    'reach', case when v_c.offer ->> 'kind' = 'points_multiplier' then t.treat_members
                  else (select count(distinct g.member_id) from given g) end,
    'uptake', t.treat_buyers,
    'uptake_rate', case when t.treat_members > 0 then round(t.treat_buyers::numeric / t.treat_members, 4) end,
    'arms', coalesce((select jsonb_agg(jsonb_build_object('arm', a.arm, 'members', a.members, 'buyers', a.buyers,
                                                          'spend_fen', a.spend_fen,
                                                          'spend_per_member_fen', case when a.members > 0 then round(a.spend_fen::numeric / a.members, 2) end)
                                       order by a.arm) from arms a), '[]'::jsonb),
    'incremental_spend_fen', case when t.hold_members > 0 and t.treat_members > 0
      then round((t.treat_spend::numeric / t.treat_members - t.hold_spend::numeric / t.hold_members) * t.treat_members)::bigint end,
    'cost_fen', (select coalesce(sum(g.cost_fen), 0) from given g),
    'cost_points', (select coalesce(sum(g.points), 0) from given g),
    'offers_given', (select count(*) from given g),
    'budget_fen', v_c.budget_fen, 'spent_fen', v_c.spent_fen, 'spent_points', v_c.spent_points,
    'by_day', coalesce((select jsonb_agg(jsonb_build_object('day', d.day, 'uptake', d.uptake, 'spend_fen', d.spend_fen,
                                                            'cost_fen', d.cost_fen) order by d.day) from days d), '[]'::jsonb),
    'by_unit', coalesce((select jsonb_agg(jsonb_build_object('business_unit_id', u.unit, 'spend_fen', u.spend_fen,
                                                             'cost_fen', u.cost_fen) order by u.unit) from units u), '[]'::jsonb))
  into v_out
  from totals t;
  return v_out;
end
$$;
comment on function public.campaign_results(uuid) is
  'A campaign''s results (campaign readers): members per arm, reach (treatment members offered; a multiplier reaches '
  'every treatment member), uptake (treatment members who bought at its units in its period) and its rate, spend per '
  'arm and the holdout (fen), incremental spend ((treatment spend per member - holdout spend per member) × treatment '
  'members; null without a holdout), cost (fen, points), budget and spent, by day (business days) and by unit.';

-- ── Return per unit in settlement ───────────────────────────────────────────────────────
-- Per campaign live at p_unit during settlement month p_period: its treatment members' spend at the unit within the
-- campaign's period and the month, and the incremental part against the holdout's spend per member there.
create or replace function private.campaign_unit_return(p_period date, p_unit uuid)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  with bounds as (
    select (p_period::timestamp at time zone private.business_time_zone()) as p_from,
           ((p_period + interval '1 month')::timestamp at time zone private.business_time_zone()) as p_to
  ), cs as (
    select c.id, c.key, c.name, greatest(c.starts_at, b.p_from) as f, least(c.ends_at, b.p_to) as t
    from public.campaigns c, bounds b
    where p_unit = any (c.business_unit_ids) and c.status in ('approved', 'running', 'ended', 'cancelled')
      and c.starts_at < b.p_to and c.ends_at > b.p_from and c.approved_at is not null
  ), per as (
    select cs.id, cs.key, cs.name,
           count(*) filter (where cm.arm <> 'holdout') as treat_members,
           count(*) filter (where cm.arm = 'holdout') as hold_members,
           coalesce(sum(s.fen) filter (where cm.arm <> 'holdout'), 0) as treat_spend,
           coalesce(sum(s.fen) filter (where cm.arm = 'holdout'), 0) as hold_spend
    from cs
    join public.campaign_members cm on cm.campaign_id = cs.id
    left join lateral (select sum(round(t.amount * 100))::bigint as fen from public.transactions t
                       where t.member_id = cm.member_id and t.business_unit_id = p_unit
                         and t.occurred_at >= cs.f and t.occurred_at < cs.t) s on true
    group by cs.id, cs.key, cs.name
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'campaign_id', p.id, 'campaign_key', p.key, 'name', p.name, 'spend_fen', p.treat_spend,
    'incremental_spend_fen', case when p.hold_members > 0 and p.treat_members > 0
      then round((p.treat_spend::numeric / p.treat_members - p.hold_spend::numeric / p.hold_members) * p.treat_members)::bigint end)
    order by p.key), '[]'::jsonb)
  from per p
$$;

do $$
declare
  v_def text := pg_get_functiondef('public.settlement_unit_report(date, uuid)'::regprocedure);
  v_new text;
begin
  v_new := replace(v_def, E'  into v_out from per;\n  return v_out;',
    E'  into v_out from per;\n  return v_out || jsonb_build_object(''campaign_return'', private.campaign_unit_return(p_period, p_business_unit_id));');
  if v_new = v_def then
    raise sqlstate 'XX000' using message = 'settlement_unit_report changed: the campaign return patch does not apply';
  end if;
  execute v_new;
end
$$;
comment on function public.settlement_unit_report(date, uuid) is
  'A unit''s settlement report for a month: income for serving other units'' members, cost of its members served '
  'elsewhere, campaign cost share, referral commission, per counterparty and in total, and campaign_return: per '
  'campaign live at the unit that month, its treatment members'' spend there (fen) and the incremental part against '
  'the holdout.';

-- ── Dashboard metric ────────────────────────────────────────────────────────────────────
-- Per day bucket and unit where a campaign applies: treatment members of live campaigns who bought there (uptake,
-- distinct per bucket), their spend, the offers given and their cost. Scoped like the other dashboards.
create or replace function public.metric_campaign_uptake(
  p_from date default null, p_to date default null, p_grain text default 'day',
  p_business_units uuid[] default null, p_tiers text[] default null, p_lot_kinds text[] default null)
returns table (period date, business_unit uuid, uptake bigint, spend_yuan numeric, offers bigint, cost_yuan numeric)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  a record;
  v_tz text := private.business_time_zone();
begin
  select * into a from private.metric_args(p_from, p_to, p_grain, p_business_units, p_tiers, p_lot_kinds);
  return query
    with tx as (
      select private.period_start((t.occurred_at at time zone v_tz)::date, a.grain) as period, t.business_unit_id as unit,
             t.member_id, round(t.amount * 100)::bigint as fen
      from public.campaigns c
      join public.campaign_members cm on cm.campaign_id = c.id and cm.arm <> 'holdout'
      join public.transactions t on t.member_id = cm.member_id and t.business_unit_id = any (c.business_unit_ids)
        and t.occurred_at >= c.starts_at and t.occurred_at < c.ends_at
      where c.approved_at is not null
        and t.occurred_at >= (a.from_day::timestamp at time zone v_tz) and t.occurred_at < ((a.to_day + 1)::timestamp at time zone v_tz)
        and (a.units is null or t.business_unit_id = any (a.units))
    ), given as (
      select private.period_start((g.at at time zone v_tz)::date, a.grain) as period, g.business_unit_id as unit,
             count(*) as offers, sum(g.cost_fen) as cost_fen
      from public.campaign_offers_given g
      where g.at >= (a.from_day::timestamp at time zone v_tz) and g.at < ((a.to_day + 1)::timestamp at time zone v_tz)
        and g.business_unit_id is not null and (a.units is null or g.business_unit_id = any (a.units))
      group by 1, 2
    ), bought as (
      select tx.period, tx.unit, count(distinct tx.member_id) as uptake, sum(tx.fen) as fen from tx group by 1, 2
    )
    select coalesce(b.period, g.period), coalesce(b.unit, g.unit), coalesce(b.uptake, 0)::bigint,
           round(coalesce(b.fen, 0) / 100.0, 2), coalesce(g.offers, 0)::bigint, round(coalesce(g.cost_fen, 0) / 100.0, 2)
    from bought b full join given g on g.period = b.period and g.unit = b.unit
    order by 1, 2;
end
$$;
comment on function public.metric_campaign_uptake(date, date, text, uuid[], text[], text[]) is
  'Campaign uptake per period and unit: treatment members of approved campaigns who bought at one of the campaign''s '
  'units within its period (distinct per bucket), their spend (yuan), offers given and their cost (yuan). Dashboard '
  'readers, scoped to their units like the other metrics.';

-- ── Grants ──────────────────────────────────────────────────────────────────────────────
revoke all on function private.campaign_bonus_on_earning(), private.give_campaign_offers(uuid, int),
  private.run_campaigns(timestamptz), private.campaign_unit_return(date, uuid)
  from public, anon, authenticated;
grant execute on function private.campaign_unit_return(date, uuid) to authenticated;
revoke all on function public.settle_campaign_cost(uuid), public.campaign_results(uuid),
  public.metric_campaign_uptake(date, date, text, uuid[], text[], text[]) from public, anon;
grant execute on function public.settle_campaign_cost(uuid), public.campaign_results(uuid),
  public.metric_campaign_uptake(date, date, text, uuid[], text[], text[]) to authenticated, service_role;
