-- Demo data: four business units, the tier ladder, one login per role, about 200 members with two years of history.
-- Demo password for every login: demo123456 (change it anywhere that is not a laptop).

select set_config('app.reason', 'demo seed', true);

insert into public.business_units (code, name, name_en, kind) values
  ('mall',     '星河购物中心', 'Galaxy Mall',            'mall'),
  ('hotel',    '星河酒店',     'Galaxy Hotel',           'hotel'),
  ('office',   '星河写字楼',   'Galaxy Office Tower',    'office'),
  ('property', '星河物业',     'Galaxy Property Services', 'property');

insert into public.tiers (code, name, name_en, rank, growth_threshold, review_period_months) values
  ('standard', '普卡',   'Standard', 0, 0,     12),
  ('silver',   '银卡',   'Silver',   1, 2000,  12),
  ('gold',     '金卡',   'Gold',     2, 10000, 12),
  ('diamond',  '钻石卡', 'Diamond',  3, 50000, 12);

-- Logins, created the way GoTrue stores them (bcrypt via pgcrypto; '' not NULL in token columns).
with demo (email, display_name, role, unit) as (values
  ('admin@demo.test',    '系统管理员 王磊', 'admin',    null),
  ('staff@demo.test',    '商场前台 李娜',   'staff',    'mall'),
  ('manager@demo.test',  '酒店经理 张伟',   'manager',  'hotel'),
  ('hotel.staff@demo.test',   '酒店前台 周洁', 'staff',   'hotel'),
  ('mall.manager@demo.test',  '商场经理 赵敏', 'manager', 'mall'),
  ('director@demo.test', '市场总监 陈静',   'director', null),
  ('analyst@demo.test',  '数据分析师 刘洋', 'analyst',  null),
  ('marketing@demo.test', '营销专员 孙悦',  'marketing', null),
  ('finance@demo.test',  '集团财务 钱坤',   'finance',  null),
  ('mall.finance@demo.test', '商场财务 郑琳', 'finance', 'mall')
), users as (
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                          raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', email,
         extensions.crypt('demo123456', extensions.gen_salt('bf', 10)), now(),
         '{"provider":"email","providers":["email"]}', jsonb_build_object('email_verified', true), now(), now()
  from demo
  returning id, email
), identities as (
  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  select u.id::text, u.id,
         jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', false, 'phone_verified', false),
         'email', now(), now()
  from users u
  returning user_id
), profiles as (
  insert into public.staff_profiles (user_id, display_name, email, home_business_unit_id)
  select u.id, d.display_name, u.email, bu.id
  from users u join demo d using (email) left join public.business_units bu on bu.code = d.unit
  returning user_id, email
)
insert into public.role_assignments (user_id, role, business_unit_id)
select p.user_id, d.role::public.app_role, bu.id
from profiles p join demo d using (email) left join public.business_units bu on bu.code = d.unit;

-- The demo programme opened on the first day of the month two years ago (China time); the seeded rules count
-- as published from that day (stack/seed-rules.ts). About 200 members registered since, each with a
-- spending habit; their purchases, growth, tier upgrades and yearly tier reviews are replayed below in time
-- order through the real functions, so tier history, growth value and points follow from the purchases.
create temporary table demo_members as
with surnames as (
  select array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','林','罗','高',
               '郑','梁','谢','宋','唐','许','韩','冯','邓','曹'] as a
), given as (  -- given names by gender, so that gender matches the name
  select array['伟','强','磊','军','洋','勇','杰','涛','明','超','刚','子轩','浩然','宇航','思远','一鸣','俊杰'] as male,
         array['芳','娜','秀英','敏','静','丽','艳','娟','秀兰','霞','桂英','欣怡','梓涵','雨萱','佳怡','若曦'] as female,
         array['平','晨','文','华'] as either
), prefixes as (
  select array['130','131','132','135','136','137','138','139','150','151','152','158','159','176','177','180',
               '181','186','187','188','189','199'] as a
), clock as (
  select date_trunc('month', (now() at time zone private.business_time_zone()) - interval '2 years') as opened_local,
         (now() at time zone private.business_time_zone()) as now_local
), n as (
  select g as i,
         (array['male','female','female','male','unknown'])[1 + g % 5]::public.gender as gender,
         -- (i - 1) * 7919 mod 200 runs through 0..199 once: registrations spread evenly, the first on the opening day
         ((g - 1) * 7919 % 200) / 200.0 as spread
  from generate_series(1, 200) g
), joined as (
  select n.*, (c.opened_local + floor(extract(epoch from c.now_local - c.opened_local - interval '2 days') / 86400 * n.spread)
                                 * interval '1 day' + interval '9 hours' + (n.i * 37 % 720) * interval '1 minute')
              at time zone private.business_time_zone() as created_at
  from n cross join clock c
)
select j.i, j.created_at, j.gender,
  s.a[1 + (('x' || substr(md5('s' || j.i), 1, 8))::bit(32)::int & 2147483647) % array_length(s.a, 1)]
    || case j.gender when 'male' then g.male[1 + j.i % array_length(g.male, 1)]
                     when 'female' then g.female[1 + j.i % array_length(g.female, 1)]
                     else g.either[1 + j.i % array_length(g.either, 1)] end as name,
  p.a[1 + j.i % array_length(p.a, 1)] || lpad(((j.i * 7919 + 1234567) % 100000000)::text, 8, '0') as phone,
  -- adults of 18 to 62 when they registered
  (j.created_at at time zone private.business_time_zone())::date - make_interval(years => 18 + j.i * 13 % 45, days => j.i * 53 % 365) as birthday,
  (array['mall','hotel','office','property'])[1 + j.i % 4] as home_unit,
  -- spending habit: yuan a year and purchases a year (diamond-, gold-, silver- or standard-like spenders)
  case when j.i % 20 = 0 then 80000 when j.i % 7 = 0 then 16000 when j.i % 3 = 0 then 4200 else 1100 end as yearly_spend,
  case when j.i % 20 = 0 then 52 when j.i % 7 = 0 then 26 when j.i % 3 = 0 then 12 else 5 end as yearly_purchases
from joined j cross join surnames s cross join given g cross join prefixes p;

insert into public.members (name, phone, email, birthday, gender, tier_id, growth_value, tags, home_business_unit_id,
                            created_at, tier_reviewed_at, custom)
select d.name, d.phone,
  case when d.i % 3 = 0 then 'member' || d.i || '@example.cn' end,
  d.birthday, d.gender,
  (select id from public.tiers order by rank limit 1), 0,
  -- manual tags only: the automatic ones (高价值, 酒店常客, 流失预警) come from the tagging rules
  case when d.home_unit = 'office' and d.i % 3 = 0 then '{企业客户}' else '{}' end::text[],
  bu.id, d.created_at, d.created_at,
  -- a third of the members gave a licence plate (the member form's custom field, for parking benefits)
  case when d.i % 3 = 1 then jsonb_build_object('licence_plate',
    (array['沪','苏','浙','京','粤'])[1 + d.i % 5] || 'A' || upper(substr(md5('plate' || d.i), 1, 5)))
  else '{}' end
from demo_members d
join public.business_units bu on bu.code = d.home_unit
order by d.created_at;

-- Every member starts on the first tier the day they register.
insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, changed_at)
select m.id, null, m.tier_id, 'registration', m.created_at from public.members m;

-- Purchases between registration and now, at the member's home unit mostly, during opening hours (China time).
create temporary table demo_purchases as
with planned as (
  select d.*, m.id as member_id, m.member_no,
         greatest(1, round(extract(epoch from now() - d.created_at) / 86400 / 365.0 * d.yearly_purchases))::int as purchases
  from demo_members d join public.members m on m.phone = d.phone
), dated as (
  select p.*, g,
         p.created_at + (now() - p.created_at) * ((g - 1 + 0.1 + 0.8 * (abs(hashtext(p.member_no || ':at:' || g)) % 1000) / 1000.0)
                                                   / p.purchases) as at
  from planned p cross join generate_series(1, p.purchases) g
)
select member_id, member_no, g,
  -- the purchase's day at 10:00-21:59 China time, kept after the registration and before now
  least(now() - interval '10 minutes', greatest(d.created_at + interval '20 minutes',
    (date_trunc('day', at at time zone private.business_time_zone()) + interval '10 hours'
     + (abs(hashtext(member_no || ':hour:' || g)) % 720) * interval '1 minute') at time zone private.business_time_zone())) as occurred_at,
  round((yearly_spend::numeric / yearly_purchases) * (0.4 + (abs(hashtext(member_no || ':amount:' || g)) % 1200) / 1000.0), 2) as amount,
  case when abs(hashtext(member_no || ':unit:' || g)) % 10 < 6 then home_unit
       else (array['mall','hotel','office','property'])[1 + abs(hashtext(member_no || ':other:' || g)) % 4] end as unit,
  (array['pos', 'app', 'mini_program', 'front_desk'])[1 + abs(hashtext(member_no || ':channel:' || g)) % 4] as channel
from dated d;

-- The replay (stack/seed-demo-replay.ts, run right after this file in the same database transaction, once the rules
-- from workflows/rules are synced): the daily tier review and each purchase of demo_purchases in time order, with the
-- growth the published growth rules give it (evaluated by the engine's evaluator), so the growth weights are stated
-- once, in workflows/rules/growth.json. It drops demo_purchases and demo_members when done.

-- Benefits (权益通): the demo pool, published now; the replay ends with the grants the engine's benefit_grants job
-- makes (tier benefits of this month, birthday gifts of members born this month). The hotel coupon follows new mall
-- purchases of 500 yuan or more (the earn job grants it).
select set_config('app.reason', 'demo seed', true);
insert into public.benefit_definitions (key, version, status, name, name_en, description, description_en, kind, value,
  eligibility, uses_per_period, period, validity_days, issuing_unit_id, accepting_unit_codes, stacks_with_points,
  stacks_with_benefits, grant_on_tiers, grant_in_birthday_month, grant_on_transaction, origin)
select d.key, 1, 'published', d.name, d.name_en, d.description, d.description_en, d.kind, d.value, d.eligibility::jsonb,
       d.uses, d.period, d.validity_days, (select id from public.business_units where code = 'mall'), d.accepting::text[],
       d.with_points, d.with_benefits, d.tiers::text[], d.birthday, d.on_txn::jsonb, 'ui'
from (values
  ('gold-parking', '金卡免费停车 3 小时', 'Gold free parking, 3 hours', '金卡及以上会员每月 4 次，每次免费停车 3 小时，限购物中心。',
   'Gold members and above: 4 times a month, 3 free hours each, at the mall.', 'parking_hours', 3, null, 4, 'month', 31,
   '{mall}', true, true, '{gold,diamond}', false, null),
  ('birthday-gift', '生日礼遇', 'Birthday gift', '生日当月到购物中心服务台领取生日礼品一份。',
   'One birthday gift at the mall''s service desk in the birthday month.', 'gift', 1, null, 1, 'year', 31,
   '{mall}', true, true, null, true, null),
  ('hotel-coupon-100', '酒店 100 元代金券', 'Hotel 100 yuan voucher', '在购物中心单笔消费满 500 元赠送，限星河酒店使用，90 天有效。',
   'Given for a mall purchase of 500 yuan or more; used at the Galaxy Hotel within 90 days.', 'coupon', 10000, null, 1, 'once', 90,
   '{hotel}', true, true, null, false,
   '{"and": [{"==": [{"var": "transaction.business_unit_kind"}, "mall"]}, {">=": [{"var": "transaction.amount"}, 500]}]}'),
  ('member-discount-90', '会员专享折扣 9 折', 'Member discount 10% off', '银卡及以上会员每月 10 次 9 折优惠，不可与积分同时使用。',
   'Silver members and above: 10% off, 10 times a month; not combined with points.', 'discount_percent', 10, null, 10, 'month', 31,
   null, false, true, '{silver,gold,diamond}', false, null)
) as d (key, name, name_en, description, description_en, kind, value, eligibility, uses, period, validity_days, accepting,
        with_points, with_benefits, tiers, birthday, on_txn);
