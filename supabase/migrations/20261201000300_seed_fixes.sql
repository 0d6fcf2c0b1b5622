-- English texts for rules and rule sets.
-- Rules and rule sets get their English name and description next to the Chinese ones, as business_units
-- and tiers have name_en: the app shows the text of its language (falling back to the other when one is
-- missing). The English texts of a published version are history like the rest of it.

-- ── Columns ──────────────────────────────────────────────────────────────────────────────
alter table public.rules
  add column name_en text check (name_en is null or length(btrim(name_en)) between 1 and 100),
  add column description_en text check (length(description_en) <= 2000);
comment on column public.rules.name is 'Name in Chinese (the default language of the back office).';
comment on column public.rules.name_en is 'Name in English (null: the app shows the Chinese name).';
comment on column public.rules.description_en is 'Description in English (null: the app shows the Chinese one).';

alter table public.rule_sets
  add column description_en text check (length(description_en) <= 1000);
comment on column public.rule_sets.description_en is 'Description in English (null: the app shows the Chinese one).';

-- ── Functions ────────────────────────────────────────────────────────────────────────────
-- As before, with the English name and description among what a published version keeps.
-- Drafts are free; a version that was ever published is history: only its status may go from
-- published to archived (with superseded_at set once), and it is never deleted. Rules are created
-- as drafts; only a privileged caller (the seed, the engine's tests) may insert a published row.
create or replace function private.guard_rule_change()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if old.published_at is not null then
      raise exception 'rule % version % was published: it stays as history and cannot be deleted', old.key, old.version
        using errcode = 'insufficient_privilege';
    end if;
    return old;
  end if;
  if tg_op = 'INSERT' then
    if new.status <> 'draft' and not private.is_system_caller() then
      raise exception 'rules are created as drafts and published with publish_rule' using errcode = 'insufficient_privilege';
    end if;
    if new.status = 'published' then
      new.published_at := coalesce(new.published_at, clock_timestamp());
    end if;
  elsif old.published_at is not null then
    if (new.key, new.version, new.kind, new.business_unit_id, new.name, new.description, new.name_en, new.description_en,
        new.priority, new.logic, new.lot_kind, new.active_from, new.active_to, new.published_at, new.published_by, new.created_by, new.created_at)
       is distinct from
       (old.key, old.version, old.kind, old.business_unit_id, old.name, old.description, old.name_en, old.description_en,
        old.priority, old.logic, old.lot_kind, old.active_from, old.active_to, old.published_at, old.published_by, old.created_by, old.created_at) then
      raise exception 'rule % version % was published: create a new version instead of editing it', old.key, old.version
        using errcode = 'check_violation';
    end if;
    if old.status = 'archived' and new.status <> 'archived' then
      raise exception 'rule % version % is archived and cannot be republished; copy it into a new draft', old.key, old.version
        using errcode = 'check_violation';
    end if;
    if new.status = 'draft' then
      raise exception 'rule % version % was published and cannot become a draft again', old.key, old.version
        using errcode = 'check_violation';
    end if;
    if old.superseded_at is not null and new.superseded_at is distinct from old.superseded_at then
      raise exception 'rule % version % was superseded at %: that moment is history', old.key, old.version, old.superseded_at
        using errcode = 'check_violation';
    end if;
    return new;
  else
    new.updated_at := now();
    if new.status = 'published' and new.published_at is null and private.is_system_caller() then
      new.published_at := clock_timestamp();
    end if;
  end if;
  if exists (select 1 from public.rules r
             where r.key = new.key and r.id <> new.id
               and (r.kind <> new.kind or r.business_unit_id is distinct from new.business_unit_id)) then
    raise exception 'rule % already exists with another kind or business unit: every version of a key has the same kind and scope',
      new.key using errcode = '22023';
  end if;
  return new;
end
$$;
