-- add_months(date, n) joins the custom operations a rule may use (core/rules/operations.ts).
create or replace function private.rule_operations()
returns text[]
language sql immutable set search_path = ''
as $$
  select array[
    'if', '?:', 'and', 'or', 'filter', 'map', 'reduce', 'all', 'none', 'some',
    '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!!', '!', '%', 'log', 'in', 'cat', 'substr',
    '+', '*', '-', '/', 'min', 'max', 'merge', 'var', 'missing', 'missing_some',
    'add_days', 'add_months', 'days_between', 'start_of_month', 'end_of_month', 'end_of_year', 'is_birthday_month',
    'floor', 'round', 'tier_rank', 'has_tag'
  ]::text[]
$$;
