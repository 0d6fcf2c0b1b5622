/**
 * The demo marketing campaign, on a freshly seeded database once the engine has earned the demo history (after the
 * demo redemptions): a published segment 商场活跃会员 (members whose home unit is the mall and who bought in the last
 * 90 days), and over it the approved, running campaign 商场双倍积分月 (points ×2 at the mall for a month, 10% holdout,
 * ¥20,000 budget paid by the mall), made through the real functions as the demo users who would make it: drafted and
 * submitted by marketing@demo.test, approved by mall.manager@demo.test. Then a few dozen purchases at the mall by
 * its members since it started, which the engine earns with the campaign's bonus, so its dashboard (营销活动) and
 * results show uptake on first sign-in. Keys `demo-*`: a rerun finds the campaign and adds nothing.
 */
import type pg from "pg";
import { asUser } from "./seed-demo-approvals.ts";

const SEGMENT_KEY = "demo-mall-active";
const CAMPAIGN_KEY = "demo-mall-double-points";
const PURCHASES = 60;

export async function seedDemoCampaigns(client: pg.Client, say: (line: string) => void): Promise<void> {
  if ((await client.query("select 1 from public.campaigns where key = $1", [CAMPAIGN_KEY])).rowCount) return;
  const logic = { and: [{ "==": [{ var: "member.home_business_unit" }, "mall"] }, { ">=": [{ var: "stats.visits_90d" }, 1] }] };
  await client.query(
    `insert into public.segment_definitions (key, version, name, name_en, description, logic)
     values ($1, 1, '商场活跃会员', 'Active mall members', '归属商场、近 90 天有消费的会员', $2)
     on conflict (key, version) do nothing`,
    [SEGMENT_KEY, JSON.stringify(logic)],
  );
  await client.query("select public.publish_segment($1, 1) where not exists (select 1 from public.segment_definitions where key = $1 and status = 'published')", [SEGMENT_KEY]);
  // The members the condition selects (the engine's refresh, queued by the publish, finds the same ones).
  await client.query(
    `select private.store_segment_members($1, 1, array(select d.member_id from private.segment_member_data(now(), null, 5000) d
                                                      where d.home_business_unit = 'mall' and d.visits_90d >= 1), now())`,
    [SEGMENT_KEY],
  );
  const { rows: units } = await client.query<{ id: string }>("select id from public.business_units where code = 'mall'");
  const mall = units[0].id;
  const startOfToday = (await client.query<{ at: string }>(
    "select ((private.business_today())::timestamp at time zone private.business_time_zone())::text as at")).rows[0].at;
  const campaign = {
    key: CAMPAIGN_KEY, name: "商场双倍积分月", description: "商场活跃会员在商场消费，积分翻倍；10% 会员为对照组，用于评估增量消费。",
    segment_key: SEGMENT_KEY, business_unit_ids: [mall], starts_at: startOfToday,
    ends_at: new Date(Date.parse(startOfToday) + 30 * 24 * 3600_000).toISOString(),
    offer: { kind: "points_multiplier", multiplier: 2 }, arms: [{ key: "a", share: 100 }], holdout_percent: 10,
    budget_fen: 2_000_000, paying_unit_id: mall,
  };
  const id = await asUser(client, "marketing@demo.test", async () =>
    (await client.query<{ id: string }>("select (public.save_campaign($1)).id", [JSON.stringify(campaign)])).rows[0].id);
  const requestId = await asUser(client, "marketing@demo.test", async () =>
    (await client.query<{ id: string }>("select public.submit_campaign($1, 'demo-campaign-launch') as id", [id])).rows[0].id);
  for (;;) {
    const { rows } = await client.query<{ id: string }>("select id from public.approval_tasks where request_id = $1 and status = 'pending' limit 1", [requestId]);
    if (!rows.length) break;
    await asUser(client, "mall.manager@demo.test", () =>
      client.query("select public.decide_approval_task($1, 'approve', '预算与客群已核对，同意上线')", [rows[0].id]));
  }
  // Purchases at the mall since the start, by members of both the treatment and the holdout (the engine earns them,
  // the treatment with its bonus). Amounts and times derive from the member number: the same on every fresh seed.
  const { rowCount } = await client.query(
    `insert into public.transactions (business_unit_id, order_no, member_id, amount, occurred_at, channel)
     select $1, 'demo-cmp-' || m.member_no, m.id, 80 + abs(hashtext(m.member_no || ':amount')) % 900,
            greatest($2::timestamptz, now() - make_interval(mins => 5 + abs(hashtext(m.member_no || ':at')) % 600)), 'pos'
     from public.campaign_members cm join public.members m on m.id = cm.member_id
     join public.campaigns c on c.id = cm.campaign_id
     where c.key = $3 and m.status = 'active'
     order by md5(m.member_no) limit $4
     on conflict (business_unit_id, order_no) do nothing`,
    [mall, startOfToday, CAMPAIGN_KEY, PURCHASES],
  );
  const { rows: status } = await client.query<{ status: string; members: number }>(
    "select status, members_assigned as members from public.campaigns where id = $1", [id]);
  say(`demo campaign ${CAMPAIGN_KEY}: ${status[0].status}, ${status[0].members} members, ${rowCount} purchases at the mall`);
}
