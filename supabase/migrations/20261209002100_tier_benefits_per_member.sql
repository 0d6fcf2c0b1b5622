-- Granting tier benefits to the members just registered or moved (the trigger on members passes their ids) looks
-- them up by id. The single statement of 20261207001000_benefits.sql filtered by `p_member_ids is null or m.id = any
-- (p_member_ids)`, which no index serves: each registration scanned every member of the tier, so registering grew
-- slower with every member (a 100,000-member import took minutes per thousand rows). Same grants, same order.
create or replace function private.grant_tier_benefits_unchecked(p_as_of timestamptz, p_member_ids uuid[])
returns int
language plpgsql security definer set search_path = ''
as $$
declare
  v_count int;
  v_reason text := current_setting('app.reason', true);
begin
  if not exists (select 1 from public.benefit_definitions d where d.status = 'published' and d.grant_on_tiers is not null) then
    return 0;
  end if;
  perform set_config('app.reason', 'benefit-grant-tier', true);
  if p_member_ids is null then
    insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
      uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
    select m.id, d.key, d.version, 'tier', 'tier', p.period_key, d.uses_per_period, d.uses_per_period, p_as_of,
           least(coalesce(p.period_end, 'infinity'), p_as_of + make_interval(days => d.validity_days)),
           case when d.kind = 'coupon' then private.new_coupon_code() end, d.issuing_unit_id
    from public.benefit_definitions d
    cross join lateral private.benefit_period(d.period, p_as_of) p
    join public.tiers t on t.code = any (d.grant_on_tiers)
    join public.members m on m.tier_id = t.id
    where d.status = 'published' and d.grant_on_tiers is not null and d.published_at <= greatest(p_as_of, now())
      and m.status = 'active' and m.merged_into is null
      and (d.eligibility is null or private.benefit_condition_holds(d.eligibility, private.benefit_member_context(m.id)))
    on conflict (member_id, definition_key, source, source_ref, period_key) do nothing;
  else
    insert into public.benefit_grants (member_id, definition_key, definition_version, source, source_ref, period_key,
      uses_total, uses_left, valid_from, valid_until, code, issuing_unit_id)
    select m.id, d.key, d.version, 'tier', 'tier', p.period_key, d.uses_per_period, d.uses_per_period, p_as_of,
           least(coalesce(p.period_end, 'infinity'), p_as_of + make_interval(days => d.validity_days)),
           case when d.kind = 'coupon' then private.new_coupon_code() end, d.issuing_unit_id
    from (select distinct unnest(p_member_ids) as id) ids
    join public.members m on m.id = ids.id
    join public.tiers t on t.id = m.tier_id
    join public.benefit_definitions d on t.code = any (d.grant_on_tiers)
    cross join lateral private.benefit_period(d.period, p_as_of) p
    where d.status = 'published' and d.grant_on_tiers is not null and d.published_at <= greatest(p_as_of, now())
      and m.status = 'active' and m.merged_into is null
      and (d.eligibility is null or private.benefit_condition_holds(d.eligibility, private.benefit_member_context(m.id)))
    on conflict (member_id, definition_key, source, source_ref, period_key) do nothing;
  end if;
  get diagnostics v_count = row_count;
  perform set_config('app.reason', coalesce(v_reason, ''), true);
  return v_count;
end
$$;
revoke all on function private.grant_tier_benefits_unchecked(timestamptz, uuid[]) from public, anon, authenticated;
