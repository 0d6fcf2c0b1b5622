-- Demo data: four business units, the tier ladder, one login per role, about 200 members.
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
  ('director@demo.test', '市场总监 陈静',   'director', null),
  ('analyst@demo.test',  '数据分析师 刘洋', 'analyst',  null)
), users as (
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                          raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', email,
         crypt('demo123456', gen_salt('bf', 10)), now(),
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

-- About 200 members with realistic Chinese names and mobile numbers, deterministic per row.
with surnames as (
  select array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','林','罗','高',
               '郑','梁','谢','宋','唐','许','韩','冯','邓','曹'] as a
), given as (
  select array['伟','芳','娜','秀英','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀兰','霞',
               '平','刚','桂英','晨','欣怡','子轩','浩然','梓涵','雨萱','宇航','思远','佳怡','一鸣','若曦','俊杰'] as a
), prefixes as (
  select array['130','131','132','135','136','137','138','139','150','151','152','158','159','176','177','180',
               '181','186','187','188','189','199'] as a
), n as (
  select g as i, ('x' || md5('member-' || g))::text as h from generate_series(1, 200) g
)
insert into public.members (name, phone, email, birthday, gender, tier_id, growth_value, tags, home_business_unit_id, created_at, custom)
select
  s.a[1 + (('x' || substr(md5('s' || n.i), 1, 8))::bit(32)::int & 2147483647) % array_length(s.a, 1)]
    || g.a[1 + (('x' || substr(md5('g' || n.i), 1, 8))::bit(32)::int & 2147483647) % array_length(g.a, 1)],
  p.a[1 + n.i % array_length(p.a, 1)] || lpad(((n.i * 7919 + 1234567) % 100000000)::text, 8, '0'),
  case when n.i % 3 = 0 then 'member' || n.i || '@example.cn' end,
  date '1965-01-01' + ((n.i * 3571) % 14000),
  (array['male','female','female','unknown'])[1 + n.i % 4]::public.gender,
  t.id,
  t.growth_threshold + (n.i * 37) % 1500,
  case n.i % 5 when 0 then '{高价值}' when 1 then '{新会员}' when 2 then '{酒店常客}' else '{}' end::text[],
  bu.id,
  now() - make_interval(days => (n.i * 13) % 700),
  -- a third of the members gave a licence plate (the member form's custom field, for parking benefits)
  case when n.i % 3 = 1 then jsonb_build_object('licence_plate',
    (array['沪','苏','浙','京','粤'])[1 + n.i % 5] || 'A' || upper(substr(md5('plate' || n.i), 1, 5)))
  else '{}' end
from n
cross join surnames s cross join given g cross join prefixes p
join public.tiers t on t.code = case when n.i % 20 = 0 then 'diamond' when n.i % 7 = 0 then 'gold'
                                     when n.i % 3 = 0 then 'silver' else 'standard' end
join public.business_units bu on bu.code = (array['mall','hotel','office','property'])[1 + n.i % 4];

-- Points history: three purchases per member over the last 11 months at varying units. Recording a
-- transaction queues its earn job; the engine posts the points by the published earning rules as
-- soon as it starts, so member pages show real lots and ledgers a few seconds after the first start.
select public.record_transaction(
  m.id, bu.id, format('DEMO-%s-%s', m.member_no, g),
  round((30 + (abs(hashtext(m.member_no || g)) % 250000) / 100.0)::numeric, 2),
  (array['pos', 'app', 'mini_program', 'front_desk'])[1 + g % 4],
  now() - make_interval(days => abs(hashtext(g || m.member_no)) % 330, hours => g))
from public.members m
cross join generate_series(1, 3) g
join public.business_units bu on bu.code = (array['mall', 'hotel', 'office', 'property'])[1 + abs(hashtext(m.phone || g)) % 4]
order by m.member_no, g;
