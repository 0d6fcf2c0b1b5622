-- The first rule published for a business unit creates the unit's own rule set of its kind, with the
-- group's combination policy: from then on the unit's transactions are evaluated by the unit's rules only
-- (see public.rule_sets). The rules centre tells the administrator so before publishing.
-- Refusals carry a reason code in HINT for the app to translate.
create or replace function public.publish_rule(p_key text, p_version int)
returns public.rules
language plpgsql security definer set search_path = ''
as $$
declare
  v_rule public.rules;
  v_problems text[];
  v_at timestamptz;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may publish rules' using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(private.rules_lock_key());
  perform 1 from public.rules r where r.key = p_key order by r.version for update;
  select * into v_rule from public.rules r where r.key = p_key and r.version = p_version;
  if not found then
    raise exception 'rule % has no version %', coalesce(p_key, 'null'), coalesce(p_version::text, 'null')
      using errcode = 'P0002', hint = 'rule_version_missing';
  end if;
  if v_rule.status <> 'draft' then
    raise exception 'rule % version % is % (only a draft can be published)', p_key, p_version, v_rule.status
      using errcode = '22023', hint = 'rule_not_draft';
  end if;
  v_problems := private.rule_logic_problems(v_rule.logic);
  if cardinality(v_problems) > 0 then
    raise exception 'rule % version % is not valid JSON-logic: %', p_key, p_version, array_to_string(v_problems, '; ')
      using errcode = '22023', hint = 'rule_logic_invalid';
  end if;
  if not exists (select 1 from public.rule_sets s
                 where s.kind = v_rule.kind and s.business_unit_id is not distinct from v_rule.business_unit_id) then
    insert into public.rule_sets (kind, business_unit_id, combination)
    select v_rule.kind, v_rule.business_unit_id, g.combination
    from public.rule_sets g
    where v_rule.business_unit_id is not null and g.kind = v_rule.kind and g.business_unit_id is null;
    if not found then
      raise exception 'no % rule set for the group: it is part of the installation and must be restored first', v_rule.kind
        using errcode = '22023', hint = 'rule_set_missing';
    end if;
  end if;
  v_at := clock_timestamp();
  update public.rules set status = 'archived', superseded_at = v_at where key = p_key and status = 'published';
  update public.rules set status = 'published', published_at = v_at, published_by = auth.uid()
  where id = v_rule.id
  returning * into v_rule;
  return v_rule;
end
$$;
comment on function public.publish_rule(text, int) is
  'Publishes draft version p_version of rule p_key (administrators): shape-checks the logic, creates the rule set '
  'of a business unit that has none of the rule''s kind (with the group''s combination), and supersedes the '
  'previously published version at the same instant. Returns the published row. Errors (HINT is the reason code): '
  '42501 not an admin; P0002 rule_version_missing; 22023 rule_not_draft, rule_logic_invalid, rule_set_missing.';
