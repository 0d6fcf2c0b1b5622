-- Rule kinds as data: each kind's policies (which combinations its rule sets may use, whether its rules
-- may belong to one business unit, whether they name a lot kind) live in public.rule_kinds, written from
-- the kind modules of core/rule-kinds by private.sync_rule_kind after every migration run. The rules
-- tables reference it, so a new kind needs no change here.

create table public.rule_kinds (
  kind text primary key check (kind ~ '^[a-z][a-z0-9_]{1,31}$'),
  combinations text[] not null check (cardinality(combinations) between 1 and 8),
  unit_scoped boolean not null,
  uses_lot_kind boolean not null,
  updated_at timestamptz not null default now()
);
comment on table public.rule_kinds is
  'The rule kinds and their policies, written from core/rule-kinds (one module per kind) at every start; '
  'rules and rule_sets reference it and private.check_rule_kind_policy enforces the policies.';

-- Kinds already in use start permissive; the first sync after this migration narrows them to the modules'.
insert into public.rule_kinds (kind, combinations, unit_scoped, uses_lot_kind)
select kind, array['first', 'sum', 'max', 'union'], true, true
from (select kind from public.rules union select kind from public.rule_sets) used;

alter table public.rule_sets drop constraint rule_sets_kind_check,
  drop constraint rule_sets_combination,
  drop constraint rule_sets_unit_scope,
  add constraint rule_sets_kind_fkey foreign key (kind) references public.rule_kinds (kind);
alter table public.rules drop constraint rules_kind_check,
  drop constraint rules_lot_kind,
  drop constraint rules_unit_scope,
  add constraint rules_kind_fkey foreign key (kind) references public.rule_kinds (kind);
create index rules_kind on public.rules (kind);

create or replace function private.check_rule_kind_policy()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_kind public.rule_kinds;
begin
  select * into v_kind from public.rule_kinds where kind = new.kind;
  if not found then
    return new; -- the foreign key refuses it with its own error
  end if;
  if new.business_unit_id is not null and not v_kind.unit_scoped then
    raise exception 'rules of kind % apply group-wide: they cannot belong to one business unit', new.kind
      using errcode = '23514', hint = 'rule_kind_not_unit_scoped', detail = json_build_object('kind', new.kind)::text;
  end if;
  if tg_table_name = 'rule_sets' then
    if not (new.combination = any (v_kind.combinations)) then
      raise exception 'rule sets of kind % combine by % only, not %', new.kind, array_to_string(v_kind.combinations, ', '), new.combination
        using errcode = '23514', hint = 'rule_kind_combination',
              detail = json_build_object('kind', new.kind, 'combination', new.combination, 'allowed', v_kind.combinations)::text;
    end if;
  elsif new.lot_kind is not null and not v_kind.uses_lot_kind then
    raise exception 'rules of kind % do not put points into lots: lot_kind must be empty', new.kind
      using errcode = '23514', hint = 'rule_kind_without_lots', detail = json_build_object('kind', new.kind)::text;
  end if;
  return new;
end
$$;
comment on function private.check_rule_kind_policy() is
  'Refuses a rule or rule set that breaks its kind''s policies in public.rule_kinds (unit scope, combination, lot kind).';

create trigger rule_sets_kind_policy before insert or update of kind, combination, business_unit_id on public.rule_sets
  for each row execute function private.check_rule_kind_policy();
create trigger rules_kind_policy before insert or update of kind, lot_kind, business_unit_id on public.rules
  for each row execute function private.check_rule_kind_policy();

-- Writes one kind's policies. Narrowing a policy that existing rules or rule sets still use is refused,
-- so the data never breaks the policy it is checked against. Returns created | updated | unchanged.
create or replace function private.sync_rule_kind(
  p_kind text, p_combinations text[], p_unit_scoped boolean, p_uses_lot_kind boolean
) returns text
language plpgsql security definer set search_path = ''
as $$
declare
  v_old public.rule_kinds;
  v_in_use text;
begin
  select * into v_old from public.rule_kinds where kind = p_kind for update;
  if found and v_old.combinations = p_combinations and v_old.unit_scoped = p_unit_scoped
     and v_old.uses_lot_kind = p_uses_lot_kind then
    return 'unchanged';
  end if;
  select coalesce(
    (select 'rule set combining by ' || s.combination from public.rule_sets s
      where s.kind = p_kind and not (s.combination = any (p_combinations)) limit 1),
    (select 'unit-scoped rule set' from public.rule_sets s
      where s.kind = p_kind and s.business_unit_id is not null and not p_unit_scoped limit 1),
    (select 'unit-scoped rule ' || r.key from public.rules r
      where r.kind = p_kind and r.business_unit_id is not null and not p_unit_scoped limit 1),
    (select 'rule ' || r.key || ' naming a lot kind' from public.rules r
      where r.kind = p_kind and r.lot_kind is not null and not p_uses_lot_kind limit 1))
  into v_in_use;
  if v_in_use is not null then
    raise exception 'rule kind %: the new policies would break an existing %', p_kind, v_in_use
      using errcode = '23514', hint = 'rule_kind_in_use', detail = json_build_object('kind', p_kind, 'in_use', v_in_use)::text;
  end if;
  insert into public.rule_kinds (kind, combinations, unit_scoped, uses_lot_kind)
  values (p_kind, p_combinations, p_unit_scoped, p_uses_lot_kind)
  on conflict (kind) do update set combinations = excluded.combinations, unit_scoped = excluded.unit_scoped,
    uses_lot_kind = excluded.uses_lot_kind, updated_at = now();
  return case when v_old.kind is null then 'created' else 'updated' end;
end
$$;
comment on function private.sync_rule_kind(text, text[], boolean, boolean) is
  'Writes one rule kind''s policies from its core module (run after migrations); refuses narrowing one in use.';

revoke all on function private.check_rule_kind_policy() from public, anon, authenticated;
revoke all on function private.sync_rule_kind(text, text[], boolean, boolean) from public, anon, authenticated;

alter table public.rule_kinds enable row level security;
create policy "signed-in users read rule kinds" on public.rule_kinds for select to authenticated using (true);
grant select on public.rule_kinds to authenticated;
revoke insert, update, delete, truncate on public.rule_kinds from anon, authenticated;
