-- Rules as data: versioned JSON-logic rules per kind (earning, expiry, tier, tagging, reminder) with a
-- combination policy per rule set and publish history. The engine's own tables and jobs follow in the
-- engine migration.
--
-- Rules in force at a moment T (what the engine evaluates for a transaction that occurred at T):
--   published_at <= T and (superseded_at is null or superseded_at > T)
--   and (active_from is null or active_from <= T) and (active_to is null or T < active_to).
-- Versions follow the lifecycle of every definition (20261202000050_versioned_definitions.sql): a published
-- version is never edited; publishing version n of a key supersedes the key's published version at the
-- same instant. Rules are evaluated by the TypeScript module core/rules;
-- publish_rule checks only the document's shape here (size, depth, known operations, forbidden keys),
-- the engine validates fully on load and skips (and reports in rule_errors) a rule it cannot compile.
-- The data each kind receives and returns is documented in workflows/README.md.

-- ── Tables ───────────────────────────────────────────────────────────────────────────────
-- Which rules apply and how their results combine, per kind and scope. business_unit_id null is the
-- group-wide set; a unit that has its own set of a kind (earning or expiry) is evaluated with that
-- set's rules only (its own earning scheme), every other unit with the group-wide set.
create table public.rule_sets (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('earning', 'expiry', 'tier', 'tagging', 'reminder')),
  business_unit_id uuid references public.business_units (id),
  combination text not null,
  description text check (length(description) <= 1000),
  updated_by uuid default auth.uid(),
  updated_at timestamptz not null default now(),
  description_en text check (length(description_en) <= 1000),
  constraint rule_sets_combination check (case
    when kind in ('earning', 'expiry') then combination in ('first', 'sum', 'max')
    when kind in ('tagging', 'reminder') then combination in ('first', 'union')
    else combination = 'first' end),
  constraint rule_sets_unit_scope check (business_unit_id is null or kind in ('earning', 'expiry'))
);
create unique index rule_sets_scope on public.rule_sets
  (kind, coalesce(business_unit_id, '00000000-0000-0000-0000-000000000000'));
comment on table public.rule_sets is
  'How the rules of one kind combine (first match by priority, sum, max; union for list kinds), group-wide '
  '(business_unit_id null) or for one business unit that runs its own earning or expiry rules.';
comment on column public.rule_sets.combination is
  'first: the highest-priority rule with a result wins; sum: results add up (earning points; expiry: the '
  'validity periods add up); max: the largest result (most points, latest expiry); union: list results merged.';
comment on column public.rule_sets.description_en is 'Description in English (null: the app shows the Chinese one).';

create table public.rules (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  version int not null check (version > 0),
  kind text not null check (kind in ('earning', 'expiry', 'tier', 'tagging', 'reminder')),
  business_unit_id uuid references public.business_units (id),
  name text not null check (length(btrim(name)) between 1 and 100),
  description text check (length(description) <= 2000),
  priority int not null default 100 check (priority between -1000000 and 1000000),
  logic jsonb not null,
  lot_kind text check (lot_kind in ('shopping', 'campaign', 'compensation', 'birthday', 'adjustment', 'other')),
  active_from timestamptz,
  active_to timestamptz,
  status public.config_status not null default 'draft',
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid,
  superseded_at timestamptz,
  name_en text check (name_en is null or length(btrim(name_en)) between 1 and 100),
  description_en text check (length(description_en) <= 2000),
  unique (key, version),
  constraint rules_window check (active_to is null or active_from is null or active_to > active_from),
  constraint rules_lot_kind check (lot_kind is null or kind = 'earning'),
  constraint rules_unit_scope check (business_unit_id is null or kind in ('earning', 'expiry')),
  constraint rules_published check (status = 'draft' or published_at is not null or status = 'archived'),
  constraint rules_draft_unpublished check (status <> 'draft' or (published_at is null and superseded_at is null)),
  constraint rules_superseded check (superseded_at is null or (published_at is not null and superseded_at >= published_at))
);
create unique index rules_one_published on public.rules (key) where status = 'published';
create index rules_ever_published on public.rules (kind, published_at) where published_at is not null;
-- Versions, origin and file_digest, the trigger lifecycle (fires before scope, see the triggers) and the
-- drafts-only policies of every kind of definition.
call private.add_definition_kind('rule', 'public.rules', 'rules');
comment on table public.rules is
  'JSON-logic rules (积分规则, 有效期规则, 提醒, 标签...), versioned. Drafts are edited freely; publish_rule '
  'publishes one (admins), superseding the key''s published version; published versions are never edited or '
  'deleted, so the rules in force at any past moment can be reconstructed from published_at/superseded_at.';
comment on column public.rules.priority is 'Evaluation order within a rule set: higher first (matters for the first-match policy).';
comment on column public.rules.lot_kind is
  'Earning rules only: the lot kind (and so the validity) of the points this rule gives; default shopping.';
comment on column public.rules.active_from is
  'Business window: the rule applies to events at or after active_from and before active_to (null: open).';

comment on column public.rules.name is 'Name in Chinese (the default language of the back office).';
comment on column public.rules.name_en is 'Name in English (null: the app shows the Chinese name).';
comment on column public.rules.description_en is 'Description in English (null: the app shows the Chinese one).';

-- Bumped by every change of rules, rule sets or tiers; the engine reloads its rule cache when it moves.
create table private.engine_state (
  singleton boolean primary key default true check (singleton),
  rules_generation bigint not null default 0
);
insert into private.engine_state default values;

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- The advisory lock publishing takes exclusively and the engine's context reads take shared: a
-- transaction is never evaluated against a rule set that a commit in flight is about to change.
create or replace function private.rules_lock_key()
returns bigint
language sql immutable set search_path = ''
as $$ select 7308291605441031203::bigint $$;

-- Operation names a published rule may use: json-logic-js's standard operations and the custom ones
-- of core/rules/operations.ts. tests/engine/rules-sql.test.ts keeps this list equal to the TS registry.
create or replace function private.rule_operations()
returns text[]
language sql immutable set search_path = ''
as $$
  select array[
    'if', '?:', 'and', 'or', 'filter', 'map', 'reduce', 'all', 'none', 'some',
    '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!!', '!', '%', 'log', 'in', 'cat', 'substr',
    '+', '*', '-', '/', 'min', 'max', 'merge', 'var', 'missing', 'missing_some',
    'add_days', 'days_between', 'start_of_month', 'end_of_month', 'end_of_year', 'is_birthday_month',
    'floor', 'round', 'tier_rank', 'has_tag'
  ]::text[]
$$;

-- Shape check of a rule document (the TS validator does the full check): at most 64 KB, nesting at
-- most 32 levels (counted as core/rules counts it), 5,000 nodes, arrays of at most 1,000 elements,
-- every object exactly one known operation, no prototype keys anywhere. Returns the problems found.
create or replace function private.rule_logic_problems(p_logic jsonb)
returns text[]
language plpgsql stable set search_path = ''
as $$
declare
  v_problems text[] := '{}';
  v_size int;
  r record;
begin
  if p_logic is null then
    return array['logic is missing'];
  end if;
  v_size := octet_length(p_logic::text);
  if v_size > 65536 then
    return array[format('logic is %s bytes (at most 65536)', v_size)];
  end if;
  with recursive walk (node, depth, path, parent_op) as (
    select p_logic, 1, ''::text, null::text
    union all
    select c.node, w.depth + 1, w.path || '/' || c.seg, c.op
    from walk w
    cross join lateral (
      -- literal array: its elements (inside missing/missing_some they are data keys)
      select e.value as node, (e.ordinality - 1)::text as seg,
             case when w.parent_op in ('missing', 'missing_some') then w.parent_op end as op
      from jsonb_array_elements(case when jsonb_typeof(w.node) = 'array' then w.node end) with ordinality e
      union all
      -- operation: its arguments (one level deeper, as core/rules counts)
      select a.value, kv.key || case when jsonb_typeof(kv.value) = 'array' then '/' || (a.ordinality - 1)::text else '' end,
             kv.key
      from jsonb_each(case when jsonb_typeof(w.node) = 'object' then w.node end) kv
      cross join lateral jsonb_array_elements(
        case when jsonb_typeof(kv.value) = 'array' then kv.value else jsonb_build_array(kv.value) end) with ordinality a
    ) c
    where w.depth <= 32 and jsonb_typeof(w.node) in ('array', 'object')
  ), facts as (
    select count(*) as nodes,
           max(depth) filter (where jsonb_typeof(node) in ('array', 'object')) as depth,
           (array_agg(path) filter (where case jsonb_typeof(node)
              when 'array' then jsonb_array_length(node) > 1000
              when 'object' then exists (select 1 from jsonb_each(node) kv
                                         where case when jsonb_typeof(kv.value) = 'array'
                                                    then jsonb_array_length(kv.value) > 1000 else false end)
              else false end))[1] as long_array,
           (array_agg(path) filter (where case when jsonb_typeof(node) = 'object'
              then (select count(*) from jsonb_object_keys(node)) <> 1 else false end))[1] as bad_object,
           (array_agg('"' || left(k, 40) || '" at ' || path || '/' || left(k, 40))
              filter (where k is not null and k <> all (private.rule_operations())))[1] as unknown_op,
           (array_agg(path) filter (where k in ('__proto__', 'constructor', 'prototype')
              or (parent_op in ('var', 'missing', 'missing_some') and jsonb_typeof(node) = 'string'
                  and node #>> '{}' ~ '(^|\.)(__proto__|constructor|prototype)(\.|$)')))[1] as forbidden
    from walk
    left join lateral (select jsonb_object_keys(node) as k where jsonb_typeof(node) = 'object') keys on true
  )
  select * into r from facts;
  if r.nodes > 5000 then v_problems := v_problems || format('more than 5000 nodes (%s)', r.nodes); end if;
  if r.depth > 32 then v_problems := v_problems || 'nested deeper than 32 levels'::text; end if;
  if r.long_array is not null then v_problems := v_problems || format('%s: array longer than 1000 elements', coalesce(nullif(r.long_array, ''), '(root)')); end if;
  if r.bad_object is not null then v_problems := v_problems || format('%s: an operation needs exactly one key', coalesce(nullif(r.bad_object, ''), '(root)')); end if;
  if r.unknown_op is not null then v_problems := v_problems || format('unknown operation %s', r.unknown_op); end if;
  if r.forbidden is not null then v_problems := v_problems || format('%s: forbidden key (__proto__, constructor, prototype)', coalesce(nullif(r.forbidden, ''), '(root)')); end if;
  return v_problems;
end
$$;
comment on function private.rule_logic_problems(jsonb) is
  'Shape problems of a JSON-logic document (size, depth, nodes, array length, one known operation per object, '
  'prototype keys); empty when publishable. The engine''s TS validator (core/rules) is the full check.';

-- Every version of a rule key has the same kind and scope; a draft's updated_at follows its edits. The
-- lifecycle itself (published versions frozen, drafts only from the UI) is private.guard_definition_version.
create or replace function private.check_rule_scope()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if old.status <> 'draft' or old.published_at is not null then
      return new;
    end if;
    new.updated_at := now();
  end if;
  if exists (select 1 from public.rules r
             where r.key = new.key and r.id <> new.id
               and (r.kind <> new.kind or r.business_unit_id is distinct from new.business_unit_id)) then
    raise exception 'rule % already exists with another kind or business unit: every version of a key has the same kind and scope',
      new.key using errcode = '22023', hint = 'rule_scope_fixed', detail = json_build_object('key', new.key)::text;
  end if;
  return new;
end
$$;

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
    raise exception 'permission denied: only administrators may publish rules' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'publish_rule')::text;
  end if;
  perform pg_advisory_xact_lock(private.rules_lock_key());
  perform private.lock_definition_key('public.rules', p_key);
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
  perform private.publish_definition_version('public.rules', p_key, p_version, v_at);
  select * into v_rule from public.rules r where r.id = v_rule.id;
  return v_rule;
end
$$;
comment on function public.publish_rule(text, int) is
  'Publishes draft version p_version of rule p_key (administrators): shape-checks the logic, creates the rule set '
  'of a business unit that has none of the rule''s kind (with the group''s combination), and supersedes the '
  'previously published version at the same instant. Returns the published row. Errors (HINT is the reason code): '
  '42501 not an admin; P0002 rule_version_missing; 22023 rule_not_draft, rule_logic_invalid, rule_set_missing.';

-- Retires a key's published version without a successor (administrators).
create or replace function public.archive_rule(p_key text)
returns public.rules
language plpgsql security definer set search_path = ''
as $$
declare
  v_rule public.rules;
  v_at timestamptz;
begin
  if not (private.is_system_caller() or private.has_role('admin')) then
    raise exception 'permission denied: only administrators may archive rules' using errcode = '42501',
      hint = 'admin_only', detail = json_build_object('action', 'archive_rule')::text;
  end if;
  perform pg_advisory_xact_lock(private.rules_lock_key());
  v_at := clock_timestamp();
  if private.archive_published_version('public.rules', p_key, v_at) = 0 then
    raise exception 'rule % has no published version', coalesce(p_key, 'null') using errcode = 'P0002',
      hint = 'rule_not_published', detail = json_build_object('key', p_key)::text;
  end if;
  select * into v_rule from public.rules r where r.key = p_key and r.status = 'archived' and r.superseded_at = v_at;
  return v_rule;
end
$$;
comment on function public.archive_rule(text) is 'Retires the published version of a rule from now on (administrators).';

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────
-- Before insert or update, lifecycle (private.add_definition_kind) fires before scope (name order): a
-- frozen version is refused first.
create trigger scope before insert or update on public.rules
  for each row execute function private.check_rule_scope();
create trigger audit after insert or update or delete on public.rules
  for each row execute function private.audit_row();
create trigger audit after insert or update or delete on public.rule_sets
  for each row execute function private.audit_row();
create trigger bump_generation after insert or update or delete on public.rules
  for each statement execute function private.bump_rules_generation();
create trigger bump_generation after insert or update or delete on public.rule_sets
  for each statement execute function private.bump_rules_generation();

-- ── Policies ─────────────────────────────────────────────────────────────────────────────
call private.add_admin_managed_policies('public.rule_sets', 'rule sets');
-- rules: private.add_definition_kind (with the table)

-- ── Grants ───────────────────────────────────────────────────────────────────────────────
revoke all on public.rule_sets, public.rules from anon, authenticated, service_role;
grant select, insert, update, delete on public.rule_sets, public.rules to authenticated;
grant select, insert, update, delete on public.rule_sets, public.rules to service_role;

revoke all on function public.publish_rule(text, int), public.archive_rule(text) from public, anon;
grant execute on function public.publish_rule(text, int), public.archive_rule(text) to authenticated, service_role;
revoke all on function private.rules_lock_key(), private.rule_operations(), private.rule_logic_problems(jsonb),
  private.check_rule_scope() from public, anon, authenticated;
revoke all on table private.engine_state from public, anon, authenticated;
