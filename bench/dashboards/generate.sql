-- Set-based bench ledger (bench/dashboards/run.ts): :'entries' ledger entries over the last 365 days in five
-- units, with members, tier history, purchases, lots and lot moves consistent with each other.
-- Earn 100000000 + i (i in 1..E; ids above the demo's) creates the lot with the same id; lots with i % 14 < 5 are half redeemed two days later; campaign lots
-- (i % 10 = 0, valid 90 days) that are past their expiry are expired. Written with triggers off
-- (session_replication_role = replica); the rollups are rebuilt afterwards.
set session_replication_role = replica;
set synchronous_commit = off;

create temporary table bench_params as
select :entries::bigint as n, round(:entries / 1.4325)::bigint as earns, greatest(1000, :entries / 50)::int as members,
       now() - interval '365 days' as started;

insert into public.business_units (code, name, name_en, kind)
select 'bench-' || g, '基准业态' || g, 'Bench unit ' || g, (array['mall', 'hotel', 'office', 'property', 'mall'])[g]::public.business_unit_kind
from generate_series(1, 5) g on conflict do nothing;
create temporary table bench_units as
select row_number() over (order by code) - 1 as n, id from public.business_units where code like 'bench-%';
create temporary table bench_tiers as select row_number() over (order by rank) - 1 as n, id from public.tiers;

insert into public.members (id, member_no, name, phone, tier_id, home_business_unit_id, created_at, updated_at, tier_reviewed_at)
select md5('bench-member-' || g)::uuid, 'B' || lpad(g::text, 9, '0'), '基准会员' || g, '170' || lpad(g::text, 8, '0'),
       (select id from bench_tiers where n = case when g % 10 = 0 then 2 when g % 4 = 0 then 1 else 0 end),
       (select id from bench_units where n = g % 5), p.started - interval '30 days' + (g % 300) * interval '1 day', now(), now()
from bench_params p, generate_series(1, p.members) g;
insert into public.point_balances (member_id, balance)
select md5('bench-member-' || g)::uuid, 0 from bench_params p, generate_series(1, p.members) g;
insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, changed_at)
select m.id, null, (select id from bench_tiers where n = 0), 'registration', m.created_at from public.members m where m.member_no like 'B%';
insert into public.tier_history (member_id, from_tier_id, to_tier_id, reason, changed_at)
select m.id, (select id from bench_tiers where n = 0), m.tier_id, 'upgrade', m.created_at + interval '40 days'
from public.members m join bench_tiers t on t.id = m.tier_id where m.member_no like 'B%' and t.n > 0;

-- Purchases: one for every five earns, in time order.
insert into public.transactions (id, business_unit_id, order_no, member_id, amount, occurred_at, channel, growth_points, created_at)
select md5('bench-txn-' || g)::uuid, (select id from bench_units where n = g % 5), 'B-' || g,
       md5('bench-member-' || (1 + (g * 7919) % p.members))::uuid, 20 + (g % 1000) * 1.37,
       p.started + (g::float / (p.earns / 5)) * interval '365 days',
       (array['pos', 'app', 'mini_program', 'front_desk'])[1 + g % 4], 0, now()
from bench_params p, generate_series(1, p.earns / 5) g;

-- The purchases count as earned before the engine (as an imported history would), so the engine leaves them alone.
insert into public.transaction_earnings (transaction_id, member_id, business_unit_id, points, outcome, evaluated_at)
select t.id, t.member_id, t.business_unit_id, 0, 'legacy', t.created_at
from public.transactions t where t.order_no like 'B-%';

-- Earns and their lots.
insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, idempotency_key, occurred_at, created_at)
overriding system value
select 100000000 + g, md5('bench-member-' || (1 + (g * 7919) % p.members))::uuid, (select id from bench_units where n = g % 5), 'earn',
       100 + g % 400, 0, 'bench:e:' || g, p.started + (g::float / p.earns) * interval '365 days', now()
from bench_params p, generate_series(1, p.earns) g;
insert into public.point_lots (id, member_id, business_unit_id, kind, original_points, remaining_points, earned_at, expires_at, earn_entry_id)
overriding system value
select e.id, e.member_id, e.business_unit_id, case when e.id % 10 = 0 then 'campaign' else 'shopping' end, e.points, e.points,
       e.occurred_at, e.occurred_at + case when e.id % 10 = 0 then interval '90 days' else interval '365 days' end, e.id
from public.ledger_entries e where e.id between 100000001 and 100000000 + (select earns from bench_params);
insert into public.ledger_lot_moves (entry_id, lot_id, points)
select id, id, points from public.ledger_entries where id between 100000001 and 100000000 + (select earns from bench_params);

-- Redemptions: half of lots with i % 14 < 5, two days after the earn (never in the future).
create temporary table bench_redeem as
select row_number() over (order by l.id) + 100000000 + (select earns from bench_params) as entry_id, l.id as lot_id, l.member_id,
       l.business_unit_id, l.original_points / 2 as points, least(l.earned_at + interval '2 days', now() - interval '1 hour') as at
from public.point_lots l where l.id % 14 < 5 and l.id between 100000001 and 100000000 + (select earns from bench_params);
insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, idempotency_key, occurred_at, created_at)
overriding system value
select entry_id, member_id, business_unit_id, 'redeem', -points, 0, 'bench:r:' || entry_id, at, now() from bench_redeem;
insert into public.ledger_lot_moves (entry_id, lot_id, points) select entry_id, lot_id, -points from bench_redeem;
update public.point_lots l set remaining_points = l.remaining_points - r.points from bench_redeem r where l.id = r.lot_id;

-- Expiry of the campaign lots past their date.
create temporary table bench_expire as
select row_number() over (order by l.id) + (select max(entry_id) from bench_redeem) as entry_id, l.id as lot_id, l.member_id,
       l.business_unit_id, l.remaining_points as points, l.expires_at as at
from public.point_lots l where l.kind = 'campaign' and l.expires_at < now() and l.remaining_points > 0
  and l.id between 100000001 and 100000000 + (select earns from bench_params);
insert into public.ledger_entries (id, member_id, business_unit_id, kind, points, balance_after, occurred_at, reason, created_at)
overriding system value
select entry_id, member_id, business_unit_id, 'expire', -points, 0, at, 'points expired', now() from bench_expire;
insert into public.ledger_lot_moves (entry_id, lot_id, points) select entry_id, lot_id, -points from bench_expire;
update public.point_lots l set expired_points = e.points, remaining_points = 0 from bench_expire e where l.id = e.lot_id;

update public.point_balances b set balance = s.total
from (select member_id, sum(remaining_points) as total from public.point_lots group by 1) s where b.member_id = s.member_id;
select setval('public.ledger_entries_id_seq', (select max(id) from public.ledger_entries));
select setval(pg_get_serial_sequence('public.point_lots', 'id'), (select max(id) from public.point_lots));
select setval(pg_get_serial_sequence('public.tier_history', 'id'), (select max(id) from public.tier_history));
set session_replication_role = origin;
