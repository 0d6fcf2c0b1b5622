-- 财务 (finance): settles between business units (statements, disputes, closing a month). Group-wide without a unit,
-- one unit's finance with one. The value is added on its own: a new enum value can be used only once the migration
-- that adds it has committed.
alter type public.app_role add value if not exists 'finance';
