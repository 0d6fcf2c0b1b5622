-- A campaign's bonus follows the purchase it rewards: when the purchase's points are held for a return window
-- (transaction_earnings.outcome 'held', hold rules), the bonus is held with them (a pending_points row of kind
-- campaign, issued by the paying unit, released with the purchase's last held lot); a return within the window
-- cancels it with the purchase's own points (return_transaction cancels every held row of the transaction). The
-- budget counts a held bonus when it is given.
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
  v_release timestamptz;
  v_key text;
begin
  if new.outcome not in ('earned', 'held') or new.points <= 0 then
    return null;
  end if;
  select t.* into v_txn from public.transactions t where t.id = new.transaction_id;
  if new.outcome = 'held' then
    select max((l ->> 'release_at')::timestamptz) into v_release
    from jsonb_array_elements(new.lots) l where (l ->> 'held')::boolean;
  end if;
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
    if v_bonus <= 0 or (v_release is null and v_expires <= clock_timestamp()) then
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
      v_key := 'txn:' || new.transaction_id || ':campaign:' || v_c.key;
      if v_release is not null then
        insert into public.pending_points (transaction_id, member_id, business_unit_id, kind, points, expires_at,
                                           earned_at, release_at, idempotency_key)
        values (new.transaction_id, new.member_id, v_c.paying_unit_id, 'campaign', v_bonus::int, null,
                v_txn.occurred_at, v_release, v_key)
        on conflict (idempotency_key) do nothing;
      else
        perform public.earn_points(new.member_id, v_c.paying_unit_id, v_bonus::int, v_key, 'campaign', v_expires,
          new.transaction_id, left('campaign:' || v_c.key, 500), v_txn.occurred_at);
      end if;
    exception when sqlstate '22023' or sqlstate 'P0002' or sqlstate '23505' or sqlstate '23514' then
      -- refused (a cap, a frozen member...): no bonus, nothing spent, the earning stands
      null;
    end;
  end loop;
  return null;
end
$$;

drop trigger campaign_bonus on public.transaction_earnings;
create trigger campaign_bonus after insert on public.transaction_earnings
  for each row when (new.outcome in ('earned', 'held') and new.points > 0)
  execute function private.campaign_bonus_on_earning();
