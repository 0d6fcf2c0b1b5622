-- Referral commission (event kind `referral`): a member's first purchase at a unit other than their home unit is a
-- member the home unit brought to that unit. The settlement rules decide the commission (seeded: ¥20 per member); the
-- unit that gained the member pays the home unit, once per member and unit (event_ref <member id>:<unit id>), in the
-- purchase's transaction and period. Without a rule giving an amount nothing is written. Never blocks the purchase.
-- Rule data: event {kind 'referral', value_fen (the purchase in fen), amount (yuan)}, issuing_unit: the unit that
-- gained the member (pays), using_unit: the member's home unit (receives), member {tier}.
create or replace function private.settle_referral()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_home uuid;
  v_tier text;
  v_ref text;
  v_rule jsonb;
begin
  select m.home_business_unit_id, t.code into v_home, v_tier
  from public.members m join public.tiers t on t.id = m.tier_id where m.id = new.member_id;
  if v_home is null or v_home = new.business_unit_id then
    return null;
  end if;
  v_ref := new.member_id || ':' || new.business_unit_id;
  if exists (select 1 from public.settlement_entries s where s.event_kind = 'referral' and s.event_ref = v_ref) then
    return null;
  end if;
  v_rule := private.settlement_amount(jsonb_build_object(
      'event', jsonb_build_object('kind', 'referral', 'value_fen', round(new.amount * 100), 'amount', new.amount),
      'issuing_unit', private.unit_facts(new.business_unit_id),
      'using_unit', private.unit_facts(v_home),
      'member', jsonb_build_object('tier', v_tier)),
    new.occurred_at, 0);
  if coalesce((v_rule ->> 'amount_fen')::bigint, 0) = 0 then
    return null;
  end if;
  begin
    perform private.post_settlement_pair(private.settlement_period_of(new.occurred_at), 'referral', v_ref, v_home,
                                         new.business_unit_id, (v_rule ->> 'amount_fen')::bigint, v_rule,
                                         jsonb_build_object('member_id', new.member_id, 'transaction_id', new.id));
  exception when unique_violation then
    null; -- a first purchase at the same unit committed at the same moment: settled once, by that one
  end;
  return null;
end
$$;
create trigger settle_referral after insert on public.transactions
  for each row execute function private.settle_referral();
revoke all on function private.settle_referral() from public, anon, authenticated;
