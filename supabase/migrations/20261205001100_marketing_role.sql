-- 营销运营 (marketing and operations): business staff who draft rules and forms. The value is added on its own:
-- a new enum value can be used only once the migration that adds it has committed.
alter type public.app_role add value if not exists 'marketing';
