-- The tier programme decided by rules, end to end:
-- 1. Tier rules are evaluated: the engine's daily tier review runs the published tier rules on every active member
--    (engine/jobs.ts reviewTiers) and passes the tier each member holds at least (a "tier threshold") to
--    public.review_tiers. A member whose review period ended is re-ranked to the highest of the tier their growth
--    earns, the tier rules' tier and a running paid tier; any other member is upgraded at once when the rules' tier is
--    above theirs (downgrades stay with the review). Every upgrade by the review grants the new tier's upgrade gift,
--    once per member, tier and review window (private.grant_upgrade_gift's key), so running the review twice grants
--    nothing more.
-- 2. Growth only from rules: private.post_earnings no longer falls back to 1 growth per yuan for an item without a
--    growth value; such an item adds 0.
-- 3. A rule's test verdict also names the tier ladder it ran with (codes in rank order and thresholds): a change of the
--    ladder makes the verdicts of every rule stale, and publish_rule asks for the test cases to be run again.
-- Lock order stays the ledger's: point_balances row, then the members row.

-- ── Verdicts depend on the ladder ───────────────────────────────────────────────────────
create or replace function private.tier_ladder_fingerprint()
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_array(t.code, t.rank, t.growth_threshold) order by t.rank), '[]'::jsonb)
  from public.tiers t
$$;
comment on function private.tier_ladder_fingerprint() is
  'The tier ladder as a rule evaluation sees it (codes by rank; thresholds): part of every rule''s logic digest.';

create or replace function private.rule_logic_digest(p_kind text, p_logic jsonb)
returns text
language sql stable set search_path = ''
as $$ select md5(jsonb_build_array(p_kind, p_logic, private.tier_ladder_fingerprint())::text) $$;
comment on function private.rule_logic_digest(text, jsonb) is
  'Digest of what a rule version''s test verdict depends on: its kind, its logic and the tier ladder '
  '(private.tier_ladder_fingerprint): a ladder change makes earlier verdicts stale.';

-- ── Growth only from the growth rules ───────────────────────────────────────────────────
create or replace function private.post_earnings(p_items jsonb)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_item jsonb;
  v_lot jsonb;
  v_txn public.transactions;
  v_res jsonb;
  v_lots jsonb;
  v_total bigint;
  v_first timestamptz;
  v_n int;
  v_outcome text;
  v_error text;
  v_expires timestamptz;
  v_expired boolean;
  v_growth jsonb;
  v_out jsonb := '[]';
begin
  perform private.assert_system_caller('posting earnings');
  for v_item in
    select i.value from jsonb_array_elements(p_items) i
    order by (i.value ->> 'member_id')::uuid, (i.value ->> 'transaction_id')::uuid
  loop
    perform 1 from public.point_balances b where b.member_id = (v_item ->> 'member_id')::uuid for update;
    select * into v_txn from public.transactions t where t.id = (v_item ->> 'transaction_id')::uuid;
    if not found then
      v_out := v_out || jsonb_build_object('transaction_id', v_item -> 'transaction_id', 'outcome', 'missing');
      continue;
    end if;
    if v_txn.member_id <> (v_item ->> 'member_id')::uuid or v_txn.business_unit_id <> (v_item ->> 'business_unit_id')::uuid then
      v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', 'stale');
      continue;
    end if;
    if exists (select 1 from public.transaction_earnings e where e.transaction_id = v_txn.id) then
      v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', 'duplicate');
      continue;
    end if;

    if jsonb_array_length(coalesce(v_item -> 'errors', '[]')) > 0 then
      insert into public.rule_errors as re (rule_id, rule_key, rule_version, stage, message, detail, transaction_id)
      select (x ->> 'rule_id')::uuid, x ->> 'rule_key', (x ->> 'rule_version')::int, x ->> 'stage',
             left(x ->> 'message', 2000), x -> 'detail', v_txn.id
      from jsonb_array_elements(v_item -> 'errors') x
      where exists (select 1 from public.rules r where r.id = (x ->> 'rule_id')::uuid)
      on conflict (rule_id, stage, message) do update
        set occurrences = re.occurrences + 1, last_seen = now(), transaction_id = excluded.transaction_id;
    end if;

    v_lots := '[]'; v_total := 0; v_n := 0; v_first := null; v_error := null; v_expired := false;
    v_outcome := 'none';
    begin
      for v_lot in select l.value from jsonb_array_elements(coalesce(v_item -> 'lots', '[]')) l loop
        v_expires := coalesce((v_lot ->> 'expires_at')::timestamptz,
                              private.default_expiry(v_lot ->> 'kind', least(v_txn.occurred_at, clock_timestamp())));
        if v_expires <= clock_timestamp() then
          v_lots := v_lots || jsonb_build_object('kind', v_lot ->> 'kind', 'points', 0,
                                                 'expired_points', (v_lot ->> 'points')::int, 'expires_at', v_expires);
          v_expired := true;
          continue;
        end if;
        v_res := public.earn_points(
          v_txn.member_id, v_txn.business_unit_id, (v_lot ->> 'points')::int,
          'txn:' || v_txn.id || ':earn' || case when v_n = 0 then '' else ':' || (v_lot ->> 'kind') end,
          v_lot ->> 'kind', v_expires, v_txn.id, left(v_item ->> 'reason', 500), v_txn.occurred_at);
        v_lots := v_lots || jsonb_build_object(
          'kind', v_lot ->> 'kind', 'points', (v_lot ->> 'points')::int,
          'entry_id', (v_res ->> 'entry_id')::bigint, 'lot_id', (v_res ->> 'lot_id')::bigint, 'expires_at', v_expires);
        v_total := v_total + (v_lot ->> 'points')::int;
        v_n := v_n + 1;
      end loop;
      if v_n > 0 then
        v_outcome := 'earned';
      elsif v_expired then
        v_outcome := 'expired';
      end if;
    exception when sqlstate '22023' or sqlstate 'P0002' or sqlstate '23505' then
      v_outcome := 'refused';
      v_error := sqlerrm;
      v_lots := '[]';
      v_total := 0;
    end;
    select min((l ->> 'expires_at')::timestamptz) into v_first from jsonb_array_elements(v_lots) l where (l ->> 'points')::int > 0;
    insert into public.transaction_earnings (transaction_id, member_id, business_unit_id, points, outcome, lots,
                                             expires_at, rule_versions, error)
    values (v_txn.id, v_txn.member_id, v_txn.business_unit_id, v_total, v_outcome, v_lots, v_first,
            coalesce(v_item -> 'rule_versions', '[]'), v_error);
    -- Growth comes from the growth rules only: an item without `growth` adds none (its row says 0, rules []).
    v_growth := private.add_transaction_growth(
      v_txn.id, coalesce((v_item ->> 'growth')::int, 0), coalesce(v_item -> 'growth_rules', '[]'));
    v_out := v_out || jsonb_build_object('transaction_id', v_txn.id, 'outcome', v_outcome, 'points', v_total,
                                         'growth', v_growth -> 'growth', 'tier_changed', v_growth -> 'tier_changed');
  end loop;
  return v_out;
end
$$;
comment on function private.post_earnings(jsonb) is
  'The engine''s posting of a batch of evaluated transactions, one database transaction: earn_points per lot '
  '(idempotency key txn:<id>:earn[:<kind>]), the transaction_earnings row and the growth the growth rules gave '
  '(private.add_transaction_growth; an item without growth adds 0) together. Returns per item {transaction_id, '
  'outcome: earned|none|expired|refused|duplicate|stale|missing, points, growth, tier_changed}.';

-- ── The tier review with the tier rules ─────────────────────────────────────────────────
drop function public.review_tiers(timestamptz);

-- p_rule_tiers: [{member_id, tier, rule_key, rule_version}], the tier the tier rules give each member (the engine
-- evaluates them); a code not on the ladder is ignored. p_after / p_through: the members reviewed, by id
-- (after p_after, up to p_through; null: no bound), so the engine reviews batch by batch; p_members: only these
-- members (targeted reruns, tests).
create or replace function public.review_tiers(p_as_of timestamptz default now(), p_rule_tiers jsonb default '[]',
                                               p_after uuid default null, p_through uuid default null,
                                               p_members uuid[] default null)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_member public.members;
  v_current public.tiers;
  v_growth_tier public.tiers;
  v_rule_tier public.tiers;
  v_paid public.tiers;
  v_earned public.tiers;
  v_new public.tiers;
  v_rule jsonb;
  v_by_member jsonb;
  v_due boolean;
  v_unit uuid;
  v_gift int;
  v_changed int := 0;
begin
  perform private.assert_system_caller('tier review');
  if p_as_of is null or not isfinite(p_as_of) then
    raise exception 'the review moment must be a finite timestamp' using errcode = '22023', hint = 'timestamp_not_finite';
  end if;
  if jsonb_typeof(coalesce(p_rule_tiers, '[]')) <> 'array' then
    raise exception 'rule tiers must be an array' using errcode = '22023', hint = 'rule_tiers_invalid';
  end if;
  select coalesce(jsonb_object_agg(x ->> 'member_id', x), '{}') into v_by_member
  from jsonb_array_elements(coalesce(p_rule_tiers, '[]')) x;
  for v_id in
    select m.id from public.members m
    join public.tiers cur on cur.id = m.tier_id
    left join public.tiers rt on rt.code = v_by_member -> m.id::text ->> 'tier'
    where m.status = 'active' and m.merged_into is null
      and (p_after is null or m.id > p_after) and (p_through is null or m.id <= p_through)
      and (p_members is null or m.id = any (p_members))
      and (m.tier_reviewed_at + make_interval(months => cur.review_period_months) <= p_as_of or rt.rank > cur.rank)
    order by m.id
  loop
    -- The ledger's lock order: the balance row, then the member row; then decide on what is locked.
    perform 1 from public.point_balances b where b.member_id = v_id for update;
    select * into v_member from public.members m where m.id = v_id for update;
    if v_member.status <> 'active' or v_member.merged_into is not null then
      continue;
    end if;
    select * into v_current from public.tiers where id = v_member.tier_id;
    select * into v_growth_tier from public.tiers where growth_threshold <= v_member.growth_value order by rank desc limit 1;
    v_rule := v_by_member -> v_id::text;
    select * into v_rule_tier from public.tiers where code = v_rule ->> 'tier';
    select * into v_paid from public.tiers where id = v_member.paid_tier_id;
    v_due := v_member.tier_reviewed_at + make_interval(months => v_current.review_period_months) <= p_as_of;
    if v_due then
      -- earned: the higher of what the period's growth and the tier rules give
      v_earned := v_growth_tier;
      if v_rule_tier.id is not null and v_rule_tier.rank > v_growth_tier.rank then
        v_earned := v_rule_tier;
      end if;
      v_new := v_earned;
      if v_paid.id is not null and v_paid.rank > v_earned.rank then
        v_new := v_paid;
      end if;
      update public.members
      set tier_id = v_new.id, growth_value = 0, tier_reviewed_at = p_as_of,
          earned_tier_id = case when paid_tier_id is null then null else v_earned.id end
      where id = v_id;
    else
      -- between reviews the rules only lift: the member's tier (and, while a paid tier runs, the earned one)
      if v_rule_tier.id is null or v_rule_tier.rank <= v_current.rank then
        continue;
      end if;
      v_new := v_rule_tier;
      update public.members
      set tier_id = v_new.id, earned_tier_id = case when paid_tier_id is null then null else v_new.id end
      where id = v_id;
    end if;
    if v_new.id is distinct from v_current.id then
      v_gift := 0;
      if v_new.rank > v_current.rank then
        v_unit := coalesce(v_member.home_business_unit_id,
                           (select t.business_unit_id from public.transactions t where t.member_id = v_id
                            order by t.occurred_at desc limit 1));
        v_gift := private.grant_upgrade_gift(v_id, v_new.id, v_unit);
      end if;
      insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, details)
      values (v_id, v_current.id, v_new.id, 'review',
              jsonb_strip_nulls(jsonb_build_object(
                'growth', v_member.growth_value, 'gift_points', case when v_new.rank > v_current.rank then v_gift end,
                'rule_key', case when v_new.id = v_rule_tier.id then v_rule ->> 'rule_key' end,
                'rule_version', case when v_new.id = v_rule_tier.id then (v_rule ->> 'rule_version')::int end)));
      v_changed := v_changed + 1;
    end if;
  end loop;
  return v_changed;
end
$$;
comment on function public.review_tiers(timestamptz, jsonb, uuid, uuid, uuid[]) is
  'Tier review (system; the engine passes the tier rules'' tiers): members whose review period ended are re-ranked to '
  'the highest of the tier their period''s growth earns, the tier rules'' tier and a running paid tier, and growth '
  'restarts; other members are lifted at once to the tier rules'' tier when it is higher. Upgrades grant the tier''s '
  'gift once per member, tier and window. Safe to run twice.';

revoke all on function private.tier_ladder_fingerprint() from public, anon, authenticated, service_role;
revoke all on function private.rule_logic_digest(text, jsonb) from public, anon, authenticated, service_role;
revoke all on function public.review_tiers(timestamptz, jsonb, uuid, uuid, uuid[]) from public, anon, authenticated;
grant execute on function public.review_tiers(timestamptz, jsonb, uuid, uuid, uuid[]) to service_role;

-- ── The bench's sample from a real member ───────────────────────────────────────────────
-- The data member-context rules (tier, tagging, reminder) receive for one member, as the engine's jobs build it
-- (engine/jobs.ts: the member, the last 90 and 365 days' statistics as of p_now, the balance), read with the caller's
-- own rights through member_directory (masked roles see no birthday): null when the caller cannot read the member.
create or replace function public.rule_member_context(p_member_id uuid, p_now timestamptz default now())
returns jsonb
language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object(
    'member', jsonb_build_object(
      'tier', t.code, 'tags', to_jsonb(coalesce(m.tags, '{}'::text[])), 'birthday', m.birthday,
      'growth_value', m.growth_value, 'joined_at', m.created_at, 'status', m.status, 'home_business_unit', home.code),
    'stats', jsonb_build_object(
      'transactions_90d', s.transactions_90d, 'amount_90d', s.amount_90d, 'transactions_365d', s.transactions_365d,
      'amount_365d', s.amount_365d, 'hotel_transactions_365d', s.hotel_transactions_365d, 'units_365d', to_jsonb(s.units_365d),
      'last_transaction_at', s.last_transaction_at,
      'balance', coalesce((select b.balance from public.point_balances b where b.member_id = m.id), 0)),
    'now', p_now)
  from public.member_directory m
  join public.tiers t on t.id = m.tier_id
  left join public.business_units home on home.id = m.home_business_unit_id
  left join lateral (
    select count(*) filter (where x.occurred_at > p_now - interval '90 days')::int as transactions_90d,
           coalesce(sum(x.amount) filter (where x.occurred_at > p_now - interval '90 days'), 0)::float8 as amount_90d,
           count(*)::int as transactions_365d,
           coalesce(sum(x.amount), 0)::float8 as amount_365d,
           count(*) filter (where u.kind = 'hotel')::int as hotel_transactions_365d,
           coalesce(array_agg(distinct u.code) filter (where u.code is not null), '{}') as units_365d,
           max(x.occurred_at) as last_transaction_at
    from public.transactions x join public.business_units u on u.id = x.business_unit_id
    where x.member_id = m.id and x.occurred_at > p_now - interval '365 days' and x.occurred_at <= p_now) s on true
  where m.id = p_member_id and p_now is not null and isfinite(p_now)
$$;
comment on function public.rule_member_context(uuid, timestamptz) is
  'The rules test bench''s sample from a real member: {member, stats, now} as the tier, tagging and reminder jobs give '
  'their rules, read with the caller''s rights (null when the member is not readable).';
revoke all on function public.rule_member_context(uuid, timestamptz) from public, anon;
grant execute on function public.rule_member_context(uuid, timestamptz) to authenticated;
