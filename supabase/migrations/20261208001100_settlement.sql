-- Settlement between business units (结算):
--   * settlement_entries: append-only, written in the same transaction as the event that causes them: a points
--     redemption at one unit of points another unit issued (trigger on ledger_lot_moves), a benefit or coupon of one
--     unit used at another (trigger on benefit_uses), a joint campaign cost shared among units (post_campaign_cost),
--     and the reversal of a redemption (its entries negated). Each event's rows are mirrored pairs: the sum is zero.
--     positive amount_fen: business_unit_id receives that much from counterparty_unit_id.
--   * The amounts come from the settlement rules (rule kind `settlement`, core/rule-kinds/kinds/settlement.ts),
--     evaluated here, in the event's transaction, by a bounded JSON-logic evaluator (private.settlement_value): the
--     first rule in force at the event (priority, key) that gives an amount wins; a missing or failing rule gives the
--     default (points: the point value × 1.0; a coupon: its face value; anything else: nothing), and never blocks
--     the member's redemption or verification.
--   * settlement_periods: calendar months in business time (Asia/Shanghai), named by their first day. Closing one
--     (group-wide finance, once both sides of every statement confirmed) locks it: nothing more is written into it;
--     later corrections land in the next open period with correction_of_period set.
--   * settlement_statement_decisions: each unit's confirmation or dispute (with a comment) of its statement with a
--     counterparty, append-only; the latest per (period, unit, counterparty) counts.
-- Lock order: writers take a shared advisory lock on the period (private.settlement_lock_period), closing takes it
-- exclusively, so a period never closes under a writer.

-- ── Registry ────────────────────────────────────────────────────────────────────────────
create or replace function private.settlement_event_kinds()
returns text[]
language sql immutable
as $$ select array['points_redeem', 'benefit_use', 'coupon_use', 'campaign_cost', 'referral'] $$;
comment on function private.settlement_event_kinds() is
  'What causes settlement entries (core/enums/settlement.ts SETTLEMENT_EVENT_KINDS).';

-- Caps (core/enums/settlement.ts SETTLEMENT_LIMITS): one row at most ¥1,000,000 (100,000,000 fen), a campaign cost
-- at most ¥10,000,000, comments 1,000 characters, periods within 24 months back.
create or replace function private.settlement_limits()
returns jsonb
language sql immutable
as $$ select '{"max_entry_fen": 100000000, "max_campaign_fen": 1000000000, "max_comment": 1000, "months_back": 24}'::jsonb $$;

-- ── Tables ──────────────────────────────────────────────────────────────────────────────
create table public.settlement_periods (
  period date primary key check (extract(day from period) = 1 and period >= '2000-01-01' and period < '2200-01-01'),
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_by uuid,
  closed_at timestamptz,
  comment text check (length(comment) <= 1000),
  created_at timestamptz not null default now(),
  constraint settlement_periods_closed check ((status = 'closed') = (closed_at is not null))
);
comment on table public.settlement_periods is
  'Settlement months (Asia/Shanghai), named by their first day: open, or closed by group-wide finance '
  '(close_settlement_period) once every statement is confirmed by both sides. A closed period takes no more entries.';

create table public.settlement_entries (
  id bigint generated always as identity primary key,
  period date not null references public.settlement_periods (period),
  event_kind text not null check (event_kind = any (private.settlement_event_kinds())),
  event_ref text not null check (length(event_ref) between 1 and 300),
  business_unit_id uuid not null references public.business_units (id),
  counterparty_unit_id uuid not null references public.business_units (id),
  amount_fen bigint not null check (amount_fen <> 0 and abs(amount_fen) <= 1000000000),
  rule_key text,
  rule_version int,
  reverses_entry_id bigint references public.settlement_entries (id),
  correction_of_period date,
  details jsonb check (details is null or octet_length(details::text) <= 4096),
  created_at timestamptz not null default now(),
  constraint settlement_entries_pair check (business_unit_id <> counterparty_unit_id),
  constraint settlement_entries_correction check (correction_of_period is null or correction_of_period < period)
);
create index settlement_entries_statement_idx on public.settlement_entries (period, business_unit_id, counterparty_unit_id);
create index settlement_entries_event_idx on public.settlement_entries (event_kind, event_ref);
create unique index settlement_entries_once on public.settlement_entries (event_kind, event_ref, business_unit_id, counterparty_unit_id)
  where reverses_entry_id is null;
create unique index settlement_entries_reversed_once on public.settlement_entries (reverses_entry_id)
  where reverses_entry_id is not null;
comment on table public.settlement_entries is
  'Settlement between business units, append-only: per event (event_kind, event_ref: the ledger entry id of a '
  'redemption or its reversal, the benefit use id, campaign:<key>:<caller>:<idempotency key>) mirrored rows per unit '
  'pair; amount_fen > 0: business_unit_id receives it from counterparty_unit_id. Each event''s rows sum to zero. '
  'rule_key/rule_version: the settlement rule that gave the amount (null: the default). reverses_entry_id: the row '
  'a reversal negates. correction_of_period: the closed period a late correction belongs to.';

create table public.settlement_statement_decisions (
  id bigint generated always as identity primary key,
  period date not null references public.settlement_periods (period),
  business_unit_id uuid not null references public.business_units (id),
  counterparty_unit_id uuid not null references public.business_units (id),
  decision text not null check (decision in ('confirmed', 'disputed')),
  comment text check (length(comment) <= 1000),
  decided_by uuid default auth.uid(),
  decided_at timestamptz not null default now(),
  constraint settlement_decisions_pair check (business_unit_id <> counterparty_unit_id),
  constraint settlement_decisions_dispute_comment check (decision <> 'disputed' or length(btrim(comment)) > 0)
);
create index settlement_decisions_idx on public.settlement_statement_decisions (period, business_unit_id, counterparty_unit_id, id desc);
comment on table public.settlement_statement_decisions is
  'Each unit''s decision on its statement with a counterparty for a period (confirmed, or disputed with a comment), '
  'append-only; the latest per (period, unit, counterparty) counts (decide_settlement_statement).';

create trigger append_only before update or delete on public.settlement_entries
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.settlement_entries
  for each statement execute function private.refuse_change();
create trigger append_only before update or delete on public.settlement_statement_decisions
  for each row execute function private.refuse_change();
create trigger append_only_truncate before truncate on public.settlement_statement_decisions
  for each statement execute function private.refuse_change();
create trigger audit after insert on public.settlement_statement_decisions
  for each row execute function private.audit_row();
create trigger audit after insert or update or delete on public.settlement_periods
  for each row execute function private.audit_row('period');

-- A period only closes (never reopens) and is never removed.
create or replace function private.guard_settlement_period()
returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' or (tg_op = 'UPDATE' and (old.status = 'closed' or new.period <> old.period)) then
    raise exception 'settlement period % is closed and cannot change', old.period using errcode = '22023',
      hint = 'settlement_period_closed', detail = json_build_object('period', old.period)::text;
  end if;
  return coalesce(new, old);
end
$$;
create trigger guard before update or delete on public.settlement_periods
  for each row execute function private.guard_settlement_period();
create trigger guard_truncate before truncate on public.settlement_periods
  for each statement execute function private.refuse_change();

-- ── Periods ─────────────────────────────────────────────────────────────────────────────
create or replace function private.settlement_period_of(p_at timestamptz)
returns date
language sql immutable
as $$ select date_trunc('month', (p_at at time zone 'Asia/Shanghai'))::date $$;

create or replace function private.settlement_lock_key()
returns int
language sql immutable
as $$ select 1936024948 $$; -- 'stlm'

-- Writers share the period's lock; close_settlement_period holds it exclusively.
create or replace function private.settlement_lock_period(p_period date, p_exclusive boolean default false)
returns void
language plpgsql set search_path = ''
as $$
begin
  if p_exclusive then
    perform pg_advisory_xact_lock(private.settlement_lock_key(), (p_period - date '2000-01-01'));
  else
    perform pg_advisory_xact_lock_shared(private.settlement_lock_key(), (p_period - date '2000-01-01'));
  end if;
end
$$;

-- Where entries meant for p_period go: p_period when open (created on first use), else the first open month after
-- it (correction_of = p_period). Takes the shared lock of the period returned.
create or replace function private.settlement_target_period(p_period date, out period date, out correction_of date)
language plpgsql security definer set search_path = ''
as $$
declare
  v_status text;
begin
  period := p_period;
  loop
    perform private.settlement_lock_period(period);
    select p.status into v_status from public.settlement_periods p where p.period = settlement_target_period.period;
    if v_status is null then
      insert into public.settlement_periods (period) values (settlement_target_period.period) on conflict do nothing;
      v_status := 'open';
    end if;
    exit when v_status = 'open';
    period := (period + interval '1 month')::date;
  end loop;
  correction_of := case when period <> p_period then p_period end;
end
$$;

-- Entries are written into open periods only, whoever writes them.
create or replace function private.check_settlement_entry()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.settlement_lock_period(new.period);
  if exists (select 1 from public.settlement_periods p where p.period = new.period and p.status = 'closed') then
    raise exception 'settlement period % is closed: nothing more is written into it', new.period using errcode = '22023',
      hint = 'settlement_period_closed', detail = json_build_object('period', new.period)::text;
  end if;
  return new;
end
$$;
create trigger check_open before insert on public.settlement_entries
  for each row execute function private.check_settlement_entry();
create trigger check_open before insert on public.settlement_statement_decisions
  for each row execute function private.check_settlement_entry();

-- ── Settlement rules: a bounded JSON-logic evaluator ────────────────────────────────────
-- var, if/?:, and, or, !, !!, comparisons (as flow conditions compare), in, +, -, *, /, %, min, max, floor, round.
-- Anything else raises, which makes the rule fail (and the default apply). At most 32 levels.
create or replace function private.settlement_number(p_value jsonb)
returns numeric
language plpgsql immutable set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) = 'null' then
    return 0;
  elsif jsonb_typeof(p_value) = 'boolean' then
    return case when p_value::text::boolean then 1 else 0 end;
  end if;
  return (p_value #>> '{}')::numeric;
end
$$;

create or replace function private.settlement_value(p_logic jsonb, p_data jsonb, p_depth int default 0)
returns jsonb
language plpgsql immutable set search_path = ''
as $$
declare
  v_op text;
  v_args jsonb;
  v_value jsonb;
  v_num numeric;
  v_acc numeric;
  v_cmp int;
  v_list jsonb;
  i int;
  n int;
begin
  if p_depth > 32 then
    raise exception 'settlement rule nested deeper than 32 levels' using errcode = '22023', hint = 'settlement_rule_invalid';
  end if;
  if jsonb_typeof(p_logic) = 'array' then
    return (select coalesce(jsonb_agg(private.settlement_value(e, p_data, p_depth + 1) order by o), '[]'::jsonb)
            from jsonb_array_elements(p_logic) with ordinality x(e, o));
  end if;
  if jsonb_typeof(p_logic) is distinct from 'object' then
    return p_logic;
  end if;
  v_op := (select k from jsonb_object_keys(p_logic) k limit 1);
  v_args := p_logic -> v_op;
  if jsonb_typeof(v_args) <> 'array' then
    v_args := jsonb_build_array(v_args);
  end if;
  n := jsonb_array_length(v_args);
  case v_op
    when 'var' then
      if coalesce(v_args ->> 0, '') = '' then return p_data; end if;
      return coalesce(p_data #> string_to_array(v_args ->> 0, '.'), v_args -> 1, 'null'::jsonb);
    when 'if', '?:' then
      i := 0;
      while i < n - 1 loop
        if private.flow_truthy(private.settlement_value(v_args -> i, p_data, p_depth + 1)) then
          return private.settlement_value(v_args -> (i + 1), p_data, p_depth + 1);
        end if;
        i := i + 2;
      end loop;
      if i = n - 1 then return private.settlement_value(v_args -> i, p_data, p_depth + 1); end if;
      return 'null'::jsonb;
    when 'and', 'or' then
      v_value := 'null'::jsonb;
      for i in 0 .. n - 1 loop
        v_value := private.settlement_value(v_args -> i, p_data, p_depth + 1);
        if private.flow_truthy(v_value) = (v_op = 'or') then return v_value; end if;
      end loop;
      return v_value;
    when '!' then
      return to_jsonb(not private.flow_truthy(private.settlement_value(v_args -> 0, p_data, p_depth + 1)));
    when '!!' then
      return to_jsonb(private.flow_truthy(private.settlement_value(v_args -> 0, p_data, p_depth + 1)));
    when '==', '===', '!=', '!==', '>', '>=', '<', '<=' then
      for i in 0 .. n - 2 loop
        v_cmp := private.flow_compare(private.settlement_value(v_args -> i, p_data, p_depth + 1),
                                      private.settlement_value(v_args -> (i + 1), p_data, p_depth + 1));
        if not coalesce(case v_op
            when '==' then v_cmp = 0 when '===' then v_cmp = 0
            when '!=' then v_cmp <> 0 when '!==' then v_cmp <> 0
            when '>' then v_cmp > 0 when '>=' then v_cmp >= 0
            when '<' then v_cmp < 0 else v_cmp <= 0 end, v_op in ('!=', '!==')) then
          return 'false'::jsonb;
        end if;
      end loop;
      return 'true'::jsonb;
    when 'in' then
      v_value := private.settlement_value(v_args -> 0, p_data, p_depth + 1);
      v_list := private.settlement_value(v_args -> 1, p_data, p_depth + 1);
      if jsonb_typeof(v_list) = 'array' then
        return to_jsonb(exists (select 1 from jsonb_array_elements(v_list) e where private.flow_compare(e, v_value) = 0));
      end if;
      return to_jsonb(jsonb_typeof(v_list) = 'string' and strpos(v_list #>> '{}', v_value #>> '{}') > 0);
    when '+', '*' then
      v_acc := case when v_op = '+' then 0 else 1 end;
      for i in 0 .. n - 1 loop
        v_num := private.settlement_number(private.settlement_value(v_args -> i, p_data, p_depth + 1));
        v_acc := case when v_op = '+' then v_acc + v_num else v_acc * v_num end;
      end loop;
      return to_jsonb(v_acc);
    when '-' then
      v_acc := private.settlement_number(private.settlement_value(v_args -> 0, p_data, p_depth + 1));
      if n = 1 then return to_jsonb(-v_acc); end if;
      return to_jsonb(v_acc - private.settlement_number(private.settlement_value(v_args -> 1, p_data, p_depth + 1)));
    when '/', '%' then
      v_acc := private.settlement_number(private.settlement_value(v_args -> 0, p_data, p_depth + 1));
      v_num := private.settlement_number(private.settlement_value(v_args -> 1, p_data, p_depth + 1));
      if v_num = 0 then return 'null'::jsonb; end if;
      return to_jsonb(case when v_op = '/' then v_acc / v_num else mod(v_acc, v_num) end);
    when 'min', 'max' then
      if n = 0 then return 'null'::jsonb; end if;
      select case when v_op = 'min' then min(private.settlement_number(private.settlement_value(e, p_data, p_depth + 1)))
                  else max(private.settlement_number(private.settlement_value(e, p_data, p_depth + 1))) end
      into v_acc from jsonb_array_elements(v_args) e;
      return to_jsonb(v_acc);
    when 'floor' then
      return to_jsonb(floor(private.settlement_number(private.settlement_value(v_args -> 0, p_data, p_depth + 1))));
    when 'round' then
      -- JSON-logic's round as core/rules has it: half away from zero
      return to_jsonb(round(private.settlement_number(private.settlement_value(v_args -> 0, p_data, p_depth + 1))));
    else
      raise exception 'operation "%" is not available to settlement rules', left(v_op, 40) using errcode = '22023',
        hint = 'settlement_rule_invalid';
  end case;
end
$$;
comment on function private.settlement_value(jsonb, jsonb, int) is
  'Evaluates a settlement rule''s JSON-logic in SQL (the subset core/rule-kinds/kinds/settlement.ts allows): var, '
  'if, and, or, !, !!, comparisons, in, + - * / %, min, max, floor, round. Anything else raises.';

-- The amount the settlement rules give an event, or the default: {amount_fen, rule_key, rule_version, error}.
-- p_data: {event: {kind, points, value_fen, face_value_fen, uses, total_fen, campaign}, issuing_unit: {code, kind},
-- using_unit: {code, kind}, member: {tier}}. Never raises: a failing rule is skipped (its error reported), a result
-- that is not a number between 0 and the cap is skipped.
create or replace function private.settlement_amount(p_data jsonb, p_at timestamptz, p_default bigint)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_rule record;
  v_value jsonb;
  v_num numeric;
  v_errors jsonb := '[]';
  v_max bigint := (private.settlement_limits() ->> 'max_entry_fen')::bigint;
begin
  for v_rule in
    select r.key, r.version, r.logic from public.rules r
    where r.kind = 'settlement' and r.published_at is not null and r.published_at <= p_at
      and (r.superseded_at is null or r.superseded_at > p_at)
      and (r.active_from is null or r.active_from <= p_at) and (r.active_to is null or r.active_to > p_at)
    order by r.priority desc, r.key, r.version desc
  loop
    begin
      v_value := private.settlement_value(v_rule.logic, p_data);
      if v_value is null or jsonb_typeof(v_value) = 'null' or v_value = 'false'::jsonb then
        continue; -- no opinion: the next rule
      end if;
      if jsonb_typeof(v_value) <> 'number' then
        v_errors := v_errors || jsonb_build_object('rule_key', v_rule.key, 'error', 'result is not a number');
        continue;
      end if;
      v_num := round((v_value #>> '{}')::numeric);
      if v_num < 0 or v_num > v_max then
        v_errors := v_errors || jsonb_build_object('rule_key', v_rule.key, 'error', 'amount out of range');
        continue;
      end if;
      return jsonb_build_object('amount_fen', v_num::bigint, 'rule_key', v_rule.key, 'rule_version', v_rule.version,
                                'errors', v_errors);
    exception when others then
      v_errors := v_errors || jsonb_build_object('rule_key', v_rule.key, 'error', left(sqlerrm, 200));
    end;
  end loop;
  return jsonb_build_object('amount_fen', least(greatest(coalesce(p_default, 0), 0), v_max), 'rule_key', null,
                            'rule_version', null, 'errors', v_errors);
end
$$;

-- One unit pair's mirrored rows for an event: p_receiver receives p_amount from p_payer. Nothing for 0 or one unit.
create or replace function private.post_settlement_pair(p_period date, p_kind text, p_ref text, p_receiver uuid,
                                                        p_payer uuid, p_amount bigint, p_rule jsonb,
                                                        p_details jsonb default null)
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_target record;
begin
  if p_amount is null or p_amount = 0 or p_receiver = p_payer then
    return 0;
  end if;
  select * into v_target from private.settlement_target_period(p_period);
  insert into public.settlement_entries (period, event_kind, event_ref, business_unit_id, counterparty_unit_id,
                                         amount_fen, rule_key, rule_version, correction_of_period, details)
  values (v_target.period, p_kind, p_ref, p_receiver, p_payer, p_amount, p_rule ->> 'rule_key',
          (p_rule ->> 'rule_version')::int, v_target.correction_of, p_details),
         (v_target.period, p_kind, p_ref, p_payer, p_receiver, -p_amount, p_rule ->> 'rule_key',
          (p_rule ->> 'rule_version')::int, v_target.correction_of, p_details);
  return 2;
end
$$;

create or replace function private.unit_facts(p_unit uuid)
returns jsonb
language sql stable security definer set search_path = ''
as $$ select jsonb_build_object('code', u.code, 'kind', u.kind) from public.business_units u where u.id = p_unit $$;

-- ── Events: redemptions and their reversals ─────────────────────────────────────────────
-- After the moves of one statement: a redeem entry at unit R that consumed lots issued by unit I ≠ R makes I pay R
-- the points' value by the rules; a reversal of such a redemption negates its rows. Other entries write nothing.
create or replace function private.settle_lot_moves()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_entry public.ledger_entries;
  v_first bigint;
  v_issuer record;
  v_data jsonb;
  v_rule jsonb;
  v_point_fen numeric;
  v_tier text;
  v_target record;
  v_orig_period date;
begin
  select min(m.entry_id) into v_first from new_moves m;
  select * into v_entry from public.ledger_entries e where e.id = v_first;
  if v_entry.kind = 'redeem' then
    v_point_fen := private.point_value_yuan() * 100;
    for v_issuer in
      select l.business_unit_id as unit, -sum(m.points)::bigint as points
      from new_moves m join public.point_lots l on l.id = m.lot_id
      where m.entry_id = v_entry.id and l.business_unit_id <> v_entry.business_unit_id
      group by l.business_unit_id
      order by l.business_unit_id
    loop
      if v_tier is null then
        select t.code into v_tier from public.members mb join public.tiers t on t.id = mb.tier_id where mb.id = v_entry.member_id;
      end if;
      v_data := jsonb_build_object(
        'event', jsonb_build_object('kind', 'points_redeem', 'points', v_issuer.points,
                                    'value_fen', round(v_issuer.points * v_point_fen)),
        'issuing_unit', private.unit_facts(v_issuer.unit),
        'using_unit', private.unit_facts(v_entry.business_unit_id),
        'member', jsonb_build_object('tier', v_tier));
      v_rule := private.settlement_amount(v_data, v_entry.occurred_at, round(v_issuer.points * v_point_fen)::bigint);
      perform private.post_settlement_pair(private.settlement_period_of(v_entry.occurred_at), 'points_redeem',
                                           v_entry.id::text, v_entry.business_unit_id, v_issuer.unit,
                                           (v_rule ->> 'amount_fen')::bigint, v_rule,
                                           jsonb_build_object('points', v_issuer.points, 'member_id', v_entry.member_id));
    end loop;
  elsif v_entry.kind = 'reverse' and exists (
      select 1 from public.settlement_entries s
      where s.event_kind = 'points_redeem' and s.event_ref = v_entry.reverses_entry_id::text and s.reverses_entry_id is null)
    -- a reversal's moves may come in two statements (lots given back, then a new lot): settle it once
    and not exists (select 1 from public.settlement_entries s
                    where s.event_kind = 'points_redeem' and s.event_ref = v_entry.id::text) then
    select s.period into v_orig_period from public.settlement_entries s
    where s.event_kind = 'points_redeem' and s.event_ref = v_entry.reverses_entry_id::text limit 1;
    select * into v_target from private.settlement_target_period(private.settlement_period_of(v_entry.occurred_at));
    insert into public.settlement_entries (period, event_kind, event_ref, business_unit_id, counterparty_unit_id,
                                           amount_fen, rule_key, rule_version, reverses_entry_id, correction_of_period,
                                           details)
    select v_target.period, 'points_redeem', v_entry.id::text, s.business_unit_id, s.counterparty_unit_id, -s.amount_fen,
           s.rule_key, s.rule_version, s.id,
           case when v_target.period <> s.period then coalesce(v_target.correction_of, s.period) end,
           jsonb_build_object('reverses_ledger_entry_id', v_entry.reverses_entry_id)
    from public.settlement_entries s
    where s.event_kind = 'points_redeem' and s.event_ref = v_entry.reverses_entry_id::text and s.reverses_entry_id is null
    order by s.id;
  end if;
  return null;
end
$$;
create trigger settle after insert on public.ledger_lot_moves
  referencing new table as new_moves
  for each statement execute function private.settle_lot_moves();

-- ── Events: benefit and coupon uses ─────────────────────────────────────────────────────
create or replace function private.settle_benefit_use()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_grant public.benefit_grants;
  v_def public.benefit_definitions;
  v_kind text;
  v_data jsonb;
  v_rule jsonb;
  v_tier text;
begin
  select * into v_grant from public.benefit_grants g where g.id = new.grant_id;
  if v_grant.issuing_unit_id is null or v_grant.issuing_unit_id = new.business_unit_id then
    return null;
  end if;
  select * into v_def from public.benefit_definitions d
  where d.key = v_grant.definition_key and d.version = v_grant.definition_version;
  select t.code into v_tier from public.members mb join public.tiers t on t.id = mb.tier_id where mb.id = new.member_id;
  v_kind := case when v_def.kind = 'coupon' then 'coupon_use' else 'benefit_use' end;
  v_data := jsonb_build_object(
    'event', jsonb_build_object('kind', v_kind, 'benefit_kind', v_def.kind, 'benefit', v_def.key, 'uses', new.uses,
                                'face_value_fen', case when v_def.kind = 'coupon' then v_def.value::bigint * new.uses else 0 end,
                                'value_fen', case when v_def.kind = 'coupon' then v_def.value::bigint * new.uses else 0 end),
    'issuing_unit', private.unit_facts(v_grant.issuing_unit_id),
    'using_unit', private.unit_facts(new.business_unit_id),
    'member', jsonb_build_object('tier', v_tier));
  v_rule := private.settlement_amount(v_data, new.created_at,
                                      case when v_def.kind = 'coupon' then v_def.value::bigint * new.uses else 0 end);
  perform private.post_settlement_pair(private.settlement_period_of(new.created_at), v_kind, new.id::text,
                                       new.business_unit_id, v_grant.issuing_unit_id, (v_rule ->> 'amount_fen')::bigint,
                                       v_rule, jsonb_build_object('benefit', v_def.key, 'uses', new.uses,
                                                                  'member_id', new.member_id));
  return null;
end
$$;
create trigger settle after insert on public.benefit_uses
  for each row execute function private.settle_benefit_use();

-- ── Access ──────────────────────────────────────────────────────────────────────────────
-- The units whose settlement the caller reads: every unit for admins and group-wide finance and directors; their
-- unit for finance, managers and directors of one unit.
create or replace function private.settlement_units()
returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
begin
  if private.is_system_caller() or exists (
      select 1 from public.role_assignments ra where ra.user_id = (select auth.uid())
        and (ra.role = 'admin' or (ra.role in ('finance', 'director') and ra.business_unit_id is null))) then
    return (select coalesce(array_agg(u.id), '{}') from public.business_units u);
  end if;
  return (select coalesce(array_agg(distinct ra.business_unit_id), '{}') from public.role_assignments ra
          where ra.user_id = (select auth.uid()) and ra.role in ('finance', 'manager', 'director')
            and ra.business_unit_id is not null);
end
$$;

create or replace function private.is_group_finance()
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.role_assignments ra where ra.user_id = (select auth.uid())
                 and (ra.role = 'admin' or (ra.role = 'finance' and ra.business_unit_id is null)));
end
$$;

-- Who decides a unit's statements: its finance or managers, group-wide finance, admins.
create or replace function private.decides_settlement_for(p_unit uuid)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return private.is_group_finance() or exists (
    select 1 from public.role_assignments ra where ra.user_id = (select auth.uid())
      and ra.role in ('finance', 'manager') and ra.business_unit_id = p_unit);
end
$$;

alter table public.settlement_periods enable row level security;
alter table public.settlement_entries enable row level security;
alter table public.settlement_statement_decisions enable row level security;
create policy "settlement readers read periods" on public.settlement_periods for select to authenticated
  using (cardinality((select private.settlement_units())) > 0);
create policy "settlement readers read their units' entries" on public.settlement_entries for select to authenticated
  using (business_unit_id = any ((select private.settlement_units())::uuid[]));
create policy "settlement readers read their units' decisions" on public.settlement_statement_decisions for select to authenticated
  using (business_unit_id = any ((select private.settlement_units())::uuid[])
         or counterparty_unit_id = any ((select private.settlement_units())::uuid[]));
revoke all on public.settlement_periods, public.settlement_entries, public.settlement_statement_decisions from anon, authenticated;
grant select on public.settlement_periods, public.settlement_entries, public.settlement_statement_decisions to authenticated;

-- ── Read API ────────────────────────────────────────────────────────────────────────────
create or replace view public.settlement_statements with (security_invoker = true) as
with sums as (
  select e.period, e.business_unit_id, e.counterparty_unit_id,
         coalesce(sum(e.amount_fen) filter (where e.amount_fen > 0), 0)::bigint as receivable_fen,
         coalesce(-sum(e.amount_fen) filter (where e.amount_fen < 0), 0)::bigint as payable_fen,
         sum(e.amount_fen)::bigint as net_fen,
         count(*)::int as entry_count
  from public.settlement_entries e
  group by e.period, e.business_unit_id, e.counterparty_unit_id
), kinds as (
  select k.period, k.business_unit_id, k.counterparty_unit_id, jsonb_object_agg(k.event_kind, k.net) as by_event_kind
  from (select e.period, e.business_unit_id, e.counterparty_unit_id, e.event_kind, sum(e.amount_fen)::bigint as net
        from public.settlement_entries e group by 1, 2, 3, 4) k
  group by 1, 2, 3
), latest as (
  select distinct on (d.period, d.business_unit_id, d.counterparty_unit_id)
         d.period, d.business_unit_id, d.counterparty_unit_id, d.decision, d.comment, d.decided_at
  from public.settlement_statement_decisions d
  order by d.period, d.business_unit_id, d.counterparty_unit_id, d.id desc
)
select s.period, s.business_unit_id, s.counterparty_unit_id, s.receivable_fen, s.payable_fen, s.net_fen, s.entry_count,
       k.by_event_kind, mine.decision as my_decision, mine.comment as my_comment,
       theirs.decision as counterparty_decision, theirs.comment as counterparty_comment,
       coalesce(p.status, 'open') as period_status
from sums s
join kinds k using (period, business_unit_id, counterparty_unit_id)
left join latest mine on mine.period = s.period and mine.business_unit_id = s.business_unit_id
                     and mine.counterparty_unit_id = s.counterparty_unit_id
left join latest theirs on theirs.period = s.period and theirs.business_unit_id = s.counterparty_unit_id
                       and theirs.counterparty_unit_id = s.business_unit_id
left join public.settlement_periods p on p.period = s.period;
comment on view public.settlement_statements is
  'One statement per period and ordered unit pair (both directions present, read with the caller''s rights): '
  'receivable (its positive rows), payable (its negative rows, positive), net, entries, net per event kind, and the '
  'latest decision of each side.';
revoke all on public.settlement_statements from anon, authenticated;
grant select on public.settlement_statements to authenticated;

create or replace function private.assert_settlement_period(p_period date)
returns void
language plpgsql stable set search_path = ''
as $$
begin
  if p_period is null or extract(day from p_period) <> 1
     or p_period < (date_trunc('month', private.business_today()) - make_interval(months => (private.settlement_limits() ->> 'months_back')::int))::date
     or p_period > date_trunc('month', private.business_today())::date then
    raise exception 'a settlement period is the first day of a month within the last % months, got %',
      private.settlement_limits() ->> 'months_back', coalesce(p_period::text, 'null')
      using errcode = '22023', hint = 'settlement_period_invalid', detail = json_build_object('period', p_period)::text;
  end if;
end
$$;

create or replace function public.settlement_matrix(p_period date)
returns table (business_unit_id uuid, counterparty_unit_id uuid, net_fen bigint)
language plpgsql stable security invoker set search_path = ''
as $$
begin
  perform private.assert_settlement_period(p_period);
  return query
    select e.business_unit_id, e.counterparty_unit_id, sum(e.amount_fen)::bigint
    from public.settlement_entries e where e.period = p_period
    group by 1, 2 order by 1, 2;
end
$$;
comment on function public.settlement_matrix(date) is
  'The unit-by-unit matrix of a period: net fen per ordered pair (positive: the row unit receives), with the caller''s rights.';

-- A unit's report for a period: what it received for serving other units' members (points they brought, their
-- benefits and coupons used here), what it paid for its own points and benefits used elsewhere, its share of joint
-- campaign costs, referral commission, per counterparty and in total.
create or replace function public.settlement_unit_report(p_period date, p_business_unit_id uuid)
returns jsonb
language plpgsql stable security invoker set search_path = ''
as $$
declare
  v_out jsonb;
begin
  perform private.assert_settlement_period(p_period);
  if p_business_unit_id is null or not exists (select 1 from public.business_units u where u.id = p_business_unit_id) then
    raise exception 'unknown business unit %', coalesce(p_business_unit_id::text, 'null') using errcode = '22023',
      hint = 'business_unit_unknown';
  end if;
  if not (p_business_unit_id = any (private.settlement_units())) then
    raise exception 'the settlement of this business unit is not yours to read' using errcode = '42501',
      hint = 'settlement_not_your_unit', detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  with rows as (
    select e.counterparty_unit_id as cp, e.event_kind, e.amount_fen from public.settlement_entries e
    where e.period = p_period and e.business_unit_id = p_business_unit_id
  ), per as (
    select r.cp,
      coalesce(sum(r.amount_fen) filter (where r.event_kind in ('points_redeem', 'benefit_use', 'coupon_use') and r.amount_fen > 0), 0)::bigint as served_income_fen,
      coalesce(-sum(r.amount_fen) filter (where r.event_kind in ('points_redeem', 'benefit_use', 'coupon_use') and r.amount_fen < 0), 0)::bigint as members_elsewhere_cost_fen,
      coalesce(sum(r.amount_fen) filter (where r.event_kind = 'campaign_cost'), 0)::bigint as campaign_net_fen,
      coalesce(sum(r.amount_fen) filter (where r.event_kind = 'referral'), 0)::bigint as referral_net_fen,
      coalesce(sum(r.amount_fen), 0)::bigint as net_fen,
      (select jsonb_object_agg(x.event_kind, x.net) from (select r2.event_kind, sum(r2.amount_fen)::bigint as net from rows r2
                                                           where r2.cp = r.cp group by 1) x) as by_event_kind
    from rows r group by r.cp
  )
  select jsonb_build_object(
    'period', p_period, 'business_unit_id', p_business_unit_id,
    'served_income_fen', coalesce(sum(served_income_fen), 0), 'members_elsewhere_cost_fen', coalesce(sum(members_elsewhere_cost_fen), 0),
    'campaign_net_fen', coalesce(sum(campaign_net_fen), 0), 'referral_net_fen', coalesce(sum(referral_net_fen), 0),
    'net_fen', coalesce(sum(net_fen), 0),
    'counterparties', coalesce(jsonb_agg(jsonb_build_object(
       'counterparty_unit_id', cp, 'served_income_fen', served_income_fen, 'members_elsewhere_cost_fen', members_elsewhere_cost_fen,
       'campaign_net_fen', campaign_net_fen, 'referral_net_fen', referral_net_fen, 'net_fen', net_fen, 'by_event_kind', by_event_kind)
       order by cp), '[]'::jsonb))
  into v_out from per;
  return v_out;
end
$$;

-- ── Write API ───────────────────────────────────────────────────────────────────────────
create or replace function public.decide_settlement_statement(p_period date, p_business_unit_id uuid,
                                                              p_counterparty_unit_id uuid, p_decision text,
                                                              p_comment text default null)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_status text;
  v_latest public.settlement_statement_decisions;
  v_row public.settlement_statement_decisions;
  v_comment text := nullif(btrim(p_comment), '');
begin
  if p_business_unit_id is null or p_counterparty_unit_id is null or p_business_unit_id = p_counterparty_unit_id
     or not exists (select 1 from public.business_units u where u.id = p_business_unit_id)
     or not exists (select 1 from public.business_units u where u.id = p_counterparty_unit_id) then
    raise exception 'a statement is between two different known business units' using errcode = '22023',
      hint = 'settlement_units_invalid';
  end if;
  if not private.decides_settlement_for(p_business_unit_id) then
    raise exception 'only the finance or managers of this business unit (or group finance) decide its statements'
      using errcode = '42501', hint = 'settlement_not_your_unit',
      detail = json_build_object('business_unit_id', p_business_unit_id)::text;
  end if;
  perform private.assert_settlement_period(p_period);
  if p_decision is null or p_decision not in ('confirmed', 'disputed') then
    raise exception 'a decision is confirmed or disputed, got %', coalesce(p_decision, 'null') using errcode = '22023',
      hint = 'settlement_decision_invalid';
  end if;
  if p_decision = 'disputed' and v_comment is null then
    raise exception 'a dispute needs a comment saying what is wrong' using errcode = '22023',
      hint = 'settlement_dispute_needs_comment';
  end if;
  if length(v_comment) > (private.settlement_limits() ->> 'max_comment')::int then
    raise exception 'comment is too long (at most % characters)', private.settlement_limits() ->> 'max_comment'
      using errcode = '22023', hint = 'comment_too_long';
  end if;
  perform private.settlement_lock_period(p_period);
  select p.status into v_status from public.settlement_periods p where p.period = p_period;
  if v_status = 'closed' then
    raise exception 'settlement period % is closed', p_period using errcode = '22023',
      hint = 'settlement_period_closed', detail = json_build_object('period', p_period)::text;
  end if;
  if v_status is null or not exists (select 1 from public.settlement_entries e where e.period = p_period
                                      and e.business_unit_id = p_business_unit_id
                                      and e.counterparty_unit_id = p_counterparty_unit_id) then
    raise exception 'there is no statement between these units for %', p_period using errcode = 'P0002',
      hint = 'settlement_statement_unknown';
  end if;
  -- one decision at a time per statement; the same decision again changes nothing
  perform pg_advisory_xact_lock(hashtext('settlement-decision:' || p_period || ':' || p_business_unit_id || ':' || p_counterparty_unit_id));
  select * into v_latest from public.settlement_statement_decisions d
  where d.period = p_period and d.business_unit_id = p_business_unit_id and d.counterparty_unit_id = p_counterparty_unit_id
  order by d.id desc limit 1;
  if found and v_latest.decision = p_decision and v_latest.comment is not distinct from v_comment then
    return to_jsonb(v_latest) || jsonb_build_object('duplicate', true);
  end if;
  insert into public.settlement_statement_decisions (period, business_unit_id, counterparty_unit_id, decision, comment)
  values (p_period, p_business_unit_id, p_counterparty_unit_id, p_decision, v_comment)
  returning * into v_row;
  return to_jsonb(v_row) || jsonb_build_object('duplicate', false);
end
$$;
comment on function public.decide_settlement_statement(date, uuid, uuid, text, text) is
  'A unit confirms or disputes (with a comment) its statement with a counterparty for a period: its finance or '
  'managers, or group finance. Refused when the period is closed. The same decision again posts nothing.';

create or replace function public.close_settlement_period(p_period date, p_comment text default null)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_period public.settlement_periods;
  v_open jsonb;
begin
  if not private.is_group_finance() then
    raise exception 'only group-wide finance closes a settlement period' using errcode = '42501',
      hint = 'settlement_not_your_unit';
  end if;
  perform private.assert_settlement_period(p_period);
  if length(p_comment) > (private.settlement_limits() ->> 'max_comment')::int then
    raise exception 'comment is too long (at most % characters)', private.settlement_limits() ->> 'max_comment'
      using errcode = '22023', hint = 'comment_too_long';
  end if;
  if (p_period + interval '1 month')::date > private.business_today() then
    raise exception 'the month % has not ended yet', p_period using errcode = '22023',
      hint = 'settlement_month_not_ended', detail = json_build_object('period', p_period)::text;
  end if;
  perform private.settlement_lock_period(p_period, true);
  insert into public.settlement_periods (period) values (p_period) on conflict do nothing;
  select * into v_period from public.settlement_periods p where p.period = p_period for update;
  if v_period.status = 'closed' then
    return to_jsonb(v_period) || jsonb_build_object('duplicate', true);
  end if;
  -- every statement of the period confirmed by both sides (their latest decisions)
  select jsonb_agg(jsonb_build_object('business_unit_id', s.business_unit_id, 'counterparty_unit_id', s.counterparty_unit_id,
                                      'decision', d.decision))
  into v_open
  from (select distinct e.business_unit_id, e.counterparty_unit_id from public.settlement_entries e where e.period = p_period) s
  left join lateral (select x.decision from public.settlement_statement_decisions x
                     where x.period = p_period and x.business_unit_id = s.business_unit_id
                       and x.counterparty_unit_id = s.counterparty_unit_id order by x.id desc limit 1) d on true
  where d.decision is distinct from 'confirmed';
  if v_open is not null then
    raise exception 'statements of % are not confirmed by both sides (% open)', p_period, jsonb_array_length(v_open)
      using errcode = '22023', hint = 'settlement_not_confirmed', detail = json_build_object('open', v_open)::text;
  end if;
  update public.settlement_periods
  set status = 'closed', closed_by = (select auth.uid()), closed_at = now(), comment = nullif(btrim(p_comment), '')
  where period = p_period
  returning * into v_period;
  return to_jsonb(v_period) || jsonb_build_object('duplicate', false);
end
$$;
comment on function public.close_settlement_period(date, text) is
  'Closes a settlement month (group-wide finance): refused before the month ended (settlement_month_not_ended) '
  'and while any statement is not confirmed by both sides (settlement_not_confirmed). Nothing is written into a '
  'closed period afterwards; later corrections land in the next open one. Closing twice changes nothing.';

-- A joint campaign cost the payer paid, shared among the units by the settlement rules (event.kind
-- 'campaign_cost'; the rule gives each unit's share in fen, e.g. total × traffic share); without a rule, by traffic
-- (the unit's share of the period's purchases). Each other unit pays the payer its share. Finance of the payer (or
-- group finance); the key is the caller's: the same key and parameters post once.
create or replace function public.post_campaign_cost(p_campaign_key text, p_period date, p_total_fen bigint,
                                                     p_payer_unit_id uuid, p_idempotency_key text)
returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_ref text;
  v_unit record;
  v_share bigint;
  v_rule jsonb;
  v_data jsonb;
  v_sum bigint := 0;
  v_shares jsonb := '[]';
  v_existing jsonb;
  v_at timestamptz;
  v_posted int := 0;
  v_total_txn numeric;
  v_total_amount numeric;
begin
  if p_payer_unit_id is null or not exists (select 1 from public.business_units u where u.id = p_payer_unit_id) then
    raise exception 'the paying business unit is unknown' using errcode = '22023', hint = 'business_unit_unknown';
  end if;
  if not (private.is_group_finance() or private.is_system_caller() or exists (
      select 1 from public.role_assignments ra where ra.user_id = (select auth.uid())
        and ra.role = 'finance' and ra.business_unit_id = p_payer_unit_id)) then
    raise exception 'only the paying unit''s finance (or group finance) posts a campaign cost' using errcode = '42501',
      hint = 'settlement_not_your_unit', detail = json_build_object('business_unit_id', p_payer_unit_id)::text;
  end if;
  if p_campaign_key is null or p_campaign_key !~ '^[a-z][a-z0-9_.-]{1,63}$' then
    raise exception 'a campaign key is 2 to 64 lower-case letters, digits, dots, dashes or underscores'
      using errcode = '22023', hint = 'campaign_key_invalid';
  end if;
  perform private.assert_settlement_period(p_period);
  if p_total_fen is null or p_total_fen < 1 or p_total_fen > (private.settlement_limits() ->> 'max_campaign_fen')::bigint then
    raise exception 'a campaign cost is between 1 and % fen', private.settlement_limits() ->> 'max_campaign_fen'
      using errcode = '22023', hint = 'settlement_amount_out_of_range',
      detail = json_build_object('max', (private.settlement_limits() ->> 'max_campaign_fen')::bigint)::text;
  end if;
  perform private.assert_idempotency_key(p_idempotency_key);
  v_ref := 'campaign:' || p_campaign_key || ':' || coalesce((select auth.uid())::text, 'system') || ':' || p_idempotency_key;
  perform pg_advisory_xact_lock(hashtext('settlement:' || v_ref));
  select jsonb_build_object('period', coalesce(min(e.correction_of_period), min(e.period)),
                            'total_fen', (min(e.details ->> 'total_fen'))::bigint,
                            'payer', min(e.details ->> 'payer_unit_id'))
  into v_existing from public.settlement_entries e where e.event_kind = 'campaign_cost' and e.event_ref = v_ref;
  if v_existing ->> 'payer' is not null then
    if (v_existing ->> 'total_fen')::bigint <> p_total_fen or (v_existing ->> 'payer')::uuid <> p_payer_unit_id
       or (v_existing ->> 'period')::date <> p_period then
      raise exception 'idempotency key "%" was already used with different parameters', p_idempotency_key
        using errcode = '23505', hint = 'idempotency_key_reused';
    end if;
    return jsonb_build_object('event_ref', v_ref, 'duplicate', true,
      'shares', (select coalesce(jsonb_agg(jsonb_build_object('business_unit_id', e.business_unit_id, 'share_fen', -e.amount_fen) order by e.business_unit_id), '[]')
                 from public.settlement_entries e where e.event_kind = 'campaign_cost' and e.event_ref = v_ref and e.amount_fen < 0));
  end if;

  v_at := least(now(), ((p_period + interval '1 month') at time zone 'Asia/Shanghai') - interval '1 second');
  select count(*), coalesce(sum(t.amount), 0) into v_total_txn, v_total_amount from public.transactions t
  where t.occurred_at >= (p_period::timestamp at time zone 'Asia/Shanghai')
    and t.occurred_at < ((p_period + interval '1 month')::timestamp at time zone 'Asia/Shanghai');
  for v_unit in
    select u.id, u.code, u.kind,
           (select count(*) from public.transactions t where t.business_unit_id = u.id
              and t.occurred_at >= (p_period::timestamp at time zone 'Asia/Shanghai')
              and t.occurred_at < ((p_period + interval '1 month')::timestamp at time zone 'Asia/Shanghai')) as txns,
           (select coalesce(sum(t.amount), 0) from public.transactions t where t.business_unit_id = u.id
              and t.occurred_at >= (p_period::timestamp at time zone 'Asia/Shanghai')
              and t.occurred_at < ((p_period + interval '1 month')::timestamp at time zone 'Asia/Shanghai')) as amount
    from public.business_units u where u.id <> p_payer_unit_id order by u.id
  loop
    v_data := jsonb_build_object(
      'event', jsonb_build_object('kind', 'campaign_cost', 'campaign', p_campaign_key, 'total_fen', p_total_fen,
                                  'value_fen', p_total_fen),
      'issuing_unit', private.unit_facts(p_payer_unit_id),
      'using_unit', jsonb_build_object('code', v_unit.code, 'kind', v_unit.kind,
                                       'traffic_share', case when v_total_txn > 0 then round(v_unit.txns / v_total_txn, 6) else 0 end,
                                       'revenue_share', case when v_total_amount > 0 then round(v_unit.amount / v_total_amount, 6) else 0 end),
      'member', jsonb_build_object('tier', null));
    v_rule := private.settlement_amount(v_data, v_at,
      case when v_total_txn > 0 then floor(p_total_fen * v_unit.txns / v_total_txn)::bigint else 0 end);
    v_share := least((v_rule ->> 'amount_fen')::bigint, p_total_fen - v_sum);
    v_sum := v_sum + v_share;
    v_shares := v_shares || jsonb_build_object('business_unit_id', v_unit.id, 'share_fen', v_share,
                                               'rule_key', v_rule ->> 'rule_key');
    v_posted := v_posted + private.post_settlement_pair(p_period, 'campaign_cost', v_ref, p_payer_unit_id, v_unit.id, v_share,
      v_rule, jsonb_build_object('campaign', p_campaign_key, 'total_fen', p_total_fen, 'payer_unit_id', p_payer_unit_id));
  end loop;
  if v_posted = 0 then
    raise exception 'no other unit has a share of this campaign cost: nothing to settle' using errcode = '22023',
      hint = 'settlement_no_shares';
  end if;
  return jsonb_build_object('event_ref', v_ref, 'duplicate', false, 'payer_share_fen', p_total_fen - v_sum,
                            'shares', v_shares);
end
$$;
comment on function public.post_campaign_cost(text, date, bigint, uuid, text) is
  'Shares a joint campaign cost the payer paid among the other units by the settlement rules (default: by traffic), '
  'in the period (a closed one: the next open period, correction_of_period set). Finance of the payer or group '
  'finance; idempotent per caller and key.';

-- ── Grants ──────────────────────────────────────────────────────────────────────────────
revoke all on function private.settlement_event_kinds() from public, anon, authenticated;
revoke all on function private.settlement_limits() from public, anon;
grant execute on function private.settlement_limits() to authenticated;
revoke all on function private.guard_settlement_period() from public, anon, authenticated;
revoke all on function private.settlement_period_of(timestamptz) from public, anon, authenticated;
revoke all on function private.settlement_lock_period(date, boolean) from public, anon, authenticated;
revoke all on function private.settlement_target_period(date) from public, anon, authenticated;
revoke all on function private.check_settlement_entry() from public, anon, authenticated;
revoke all on function private.settlement_number(jsonb) from public, anon, authenticated;
revoke all on function private.settlement_value(jsonb, jsonb, int) from public, anon, authenticated;
revoke all on function private.settlement_amount(jsonb, timestamptz, bigint) from public, anon, authenticated;
revoke all on function private.post_settlement_pair(date, text, text, uuid, uuid, bigint, jsonb, jsonb) from public, anon, authenticated;
revoke all on function private.unit_facts(uuid) from public, anon, authenticated;
revoke all on function private.settle_lot_moves() from public, anon, authenticated;
revoke all on function private.settle_benefit_use() from public, anon, authenticated;
revoke all on function private.is_group_finance() from public, anon;
revoke all on function private.decides_settlement_for(uuid) from public, anon;
revoke all on function private.settlement_units() from public, anon;
grant execute on function private.settlement_units() to authenticated;
grant execute on function private.assert_settlement_period(date) to authenticated;
revoke all on function public.settlement_matrix(date) from public, anon;
revoke all on function public.settlement_unit_report(date, uuid) from public, anon;
revoke all on function public.decide_settlement_statement(date, uuid, uuid, text, text) from public, anon;
revoke all on function public.close_settlement_period(date, text) from public, anon;
revoke all on function public.post_campaign_cost(text, date, bigint, uuid, text) from public, anon;
grant execute on function public.settlement_matrix(date) to authenticated, service_role;
grant execute on function public.settlement_unit_report(date, uuid) to authenticated, service_role;
grant execute on function public.decide_settlement_statement(date, uuid, uuid, text, text) to authenticated;
grant execute on function public.close_settlement_period(date, text) to authenticated;
grant execute on function public.post_campaign_cost(text, date, bigint, uuid, text) to authenticated, service_role;
