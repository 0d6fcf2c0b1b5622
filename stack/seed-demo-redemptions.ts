/**
 * Demo redemptions on a freshly seeded database, so the redemption rate (核销率) and the points flow show
 * spending on first sign-in: once the engine has earned the demo history's points, about a third of the
 * members with points redeem part of them through redeem_points (as the system; the key `demo-redeem:<member_no>`
 * makes a rerun post nothing): most at their home unit, one in three at another unit (the hotel, or the mall for
 * hotel members), so their points issued elsewhere make settlement between the units. The ledger dates a
 * redemption itself, so these appear on the day `npm start` first ran. Then, for the settlement statements of the
 * current and the previous month, joint campaign costs are shared among the units by the settlement rules
 * (post_campaign_cost: one paid by the mall last month, one paid by the hotel this month; keys `demo-campaign:*`, so a
 * rerun posts nothing). Last, the demo marketing campaign (stack/seed-demo-campaigns.ts).
 */
import pg from "pg";
import { seedDemoCampaigns } from "./seed-demo-campaigns.ts";

const WAIT_MS = 10 * 60_000;
const POLL_MS = 3_000;
const REASON = "演示数据：会员积分兑换";

async function earningsDone(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ pending: boolean }>(
    `select exists (select 1 from public.transactions t
                    where not exists (select 1 from public.transaction_earnings e where e.transaction_id = t.id)) as pending`,
  );
  return !rows[0].pending;
}

export async function seedDemoRedemptions(databaseUrl: string, say: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "demo-redemptions" });
  await client.connect();
  try {
    const until = Date.now() + WAIT_MS;
    while (!(await earningsDone(client))) {
      if (Date.now() > until) {
        say("demo redemptions skipped: the engine had not earned the demo history within 10 minutes");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const { rows } = await client.query<{ redeemed: number }>(
      `select count(public.redeem_points(m.id,
                case when abs(hashtext(m.member_no || ':away')) % 3 = 0
                     then (select u.id from public.business_units u where u.code = case when home.code = 'hotel' then 'mall' else 'hotel' end)
                     else m.home_business_unit_id end,
                greatest(100, (b.balance * (5 + abs(hashtext(m.member_no || ':share')) % 15) / 100)::int),
                'demo-redeem:' || m.member_no, $1))::int as redeemed
       from public.members m
       join public.point_balances b on b.member_id = m.id
       join public.business_units home on home.id = m.home_business_unit_id
       where b.balance >= 300 and m.status = 'active' and m.merged_into is null
         and m.home_business_unit_id is not null and abs(hashtext(m.member_no || ':redeems')) % 3 = 0`,
      [REASON],
    );
    say(`demo redemptions: ${rows[0].redeemed}`);
    await seedDemoSettlement(client, say);
    try {
      await seedDemoCampaigns(client, say);
    } catch (error) {
      say(`demo campaign not seeded: ${(error as Error).message}`);
    }
  } finally {
    await client.end();
  }
}

/** Joint campaign costs, so the settlement statements of this and last month are not empty. */
async function seedDemoSettlement(client: pg.Client, say: (line: string) => void) {
  const campaigns: [string, number, string, number][] = [
    ["group-anniversary", -1, "mall", 1_200_000],
    ["hotel-food-festival", 0, "hotel", 500_000],
  ];
  let posted = 0;
  for (const [campaign, months, payer, totalFen] of campaigns) {
    try {
      await client.query(
        `select public.post_campaign_cost($1, (date_trunc('month', now() at time zone private.business_time_zone()) + make_interval(months => $2))::date,
                                          $3, (select u.id from public.business_units u where u.code = $4), $5)`,
        [campaign, months, totalFen, payer, `demo-campaign:${campaign}`],
      );
      posted++;
    } catch (error) {
      say(`demo campaign cost ${campaign} not posted: ${(error as Error).message}`);
    }
  }
  const { rows } = await client.query<{ periods: number; entries: number }>(
    "select count(distinct period)::int as periods, count(*)::int as entries from public.settlement_entries",
  );
  say(`demo settlement: ${posted} joint campaign costs; ` +
    `${rows[0].entries} settlement entries in ${rows[0].periods} months`);
}
