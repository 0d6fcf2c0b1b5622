-- Settlement rules are evaluated in SQL (private.settlement_value), which knows a subset of JSON-logic: a settlement
-- rule using any other operation is refused when it is written (hint settlement_rule_invalid), not discovered at the
-- event (where it would only fall back to the default). core/rule-kinds/kinds/settlement.ts SETTLEMENT_OPERATIONS
-- names the same operations (tests/db/settlement-rules.test.ts compares them).
create or replace function private.settlement_operations()
returns text[]
language sql immutable
as $$ select array['var', 'if', '?:', 'and', 'or', '!', '!!', '==', '===', '!=', '!==', '>', '>=', '<', '<=', 'in',
                   '+', '-', '*', '/', '%', 'min', 'max', 'floor', 'round'] $$;

-- The first operation of a rule's logic that SQL does not evaluate, or null.
create or replace function private.settlement_logic_problem(p_logic jsonb)
returns text
language sql immutable set search_path = ''
as $$
  with recursive walk (node, depth) as (
    select p_logic, 1
    union all
    select c.node, w.depth + 1
    from walk w
    cross join lateral (
      select e.value as node from jsonb_array_elements(case when jsonb_typeof(w.node) = 'array' then w.node end) e
      union all
      select a.value from jsonb_each(case when jsonb_typeof(w.node) = 'object' then w.node end) kv
      cross join lateral jsonb_array_elements(case when jsonb_typeof(kv.value) = 'array' then kv.value
                                                   else jsonb_build_array(kv.value) end) a
    ) c
    where w.depth <= 32
  )
  select coalesce(
    (select format('operation "%s" is not available to settlement rules', left(k, 40))
     from walk, jsonb_object_keys(case when jsonb_typeof(node) = 'object' then node end) k
     where k <> all (private.settlement_operations()) limit 1),
    (select 'nested deeper than 32 levels' from walk where depth > 32 limit 1))
$$;

create or replace function private.check_settlement_rule()
returns trigger
language plpgsql set search_path = ''
as $$
declare
  v_problem text;
begin
  if new.kind = 'settlement' then
    v_problem := private.settlement_logic_problem(new.logic);
    if v_problem is not null then
      raise exception 'settlement rule %: %', new.key, v_problem using errcode = '22023', hint = 'settlement_rule_invalid',
        detail = json_build_object('key', new.key, 'problem', v_problem)::text;
    end if;
  end if;
  return new;
end
$$;
create trigger settlement_logic before insert or update of logic, kind on public.rules
  for each row execute function private.check_settlement_rule();

revoke all on function private.settlement_operations() from public, anon;
grant execute on function private.settlement_operations() to authenticated;
revoke all on function private.settlement_logic_problem(jsonb) from public, anon, authenticated;
revoke all on function private.check_settlement_rule() from public, anon, authenticated;
