-- Closing the running month: group finance may close the current month before it ends (a cut-off), once both
-- sides confirmed every statement; whatever is settled in it afterwards lands in the next open month as a
-- correction of it (settlement_target_period), as for any closed month. Months ahead are refused by
-- assert_settlement_period.
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
  'Closes a settlement month (group-wide finance), an ended one or the running one (a cut-off: later events of the '
  'month land in the next open month as corrections); refused while any statement is not confirmed by both sides '
  '(settlement_not_confirmed). Nothing is written into a closed period afterwards. Closing twice changes nothing.';
