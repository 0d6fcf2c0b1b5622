-- Merging members keeps a paid membership paid: merge_members gives the survivor the higher of both tiers, which
-- may be the merged record's paid tier. After the merge (member_merges insert) the survivor takes the merged
-- record's paid tier and end (when higher than its own, or the same tier ending later), and its earned tier is the
-- higher of both earned tiers; so the paid tier still expires back to what growth earns (public.expire_paid_tiers).
create or replace function private.merge_paid_tier()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_merged public.members;
  v_survivor public.members;
  v_survivor_earned uuid;
  v_earned uuid;
  v_paid uuid;
  v_until timestamptz;
begin
  select * into v_merged from public.members where id = new.merged_id;
  if v_merged.paid_tier_id is null then
    return null;
  end if;
  select * into v_survivor from public.members where id = new.survivor_id for update;
  -- the survivor's own earned tier: its earned tier while paid, else its tier before the merge changed it
  v_survivor_earned := case when v_survivor.paid_tier_id is not null then v_survivor.earned_tier_id
    else coalesce((select h.from_tier_id from public.tier_history h
                   where h.member_id = v_survivor.id and h.reason = 'merge'
                     and h.details ->> 'merged_member_no' = v_merged.member_no
                   order by h.id desc limit 1), v_survivor.tier_id) end;
  select t.id into v_earned from public.tiers t
  where t.id in (v_survivor_earned, coalesce(v_merged.earned_tier_id, v_merged.tier_id)) order by t.rank desc limit 1;
  select t.id, x.until into v_paid, v_until
  from (values (v_survivor.paid_tier_id, v_survivor.paid_until), (v_merged.paid_tier_id, v_merged.paid_until)) x (tier_id, until)
  join public.tiers t on t.id = x.tier_id
  order by t.rank desc, x.until desc limit 1;
  update public.members set paid_tier_id = v_paid, paid_until = v_until, earned_tier_id = v_earned
  where id = v_survivor.id;
  update public.members set paid_tier_id = null, paid_until = null, earned_tier_id = null where id = v_merged.id;
  return null;
end
$$;
create trigger merge_paid_tier after insert on public.member_merges
  for each row execute function private.merge_paid_tier();
revoke all on function private.merge_paid_tier() from public, anon, authenticated, service_role;
