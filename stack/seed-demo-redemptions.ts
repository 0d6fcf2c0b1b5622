/**
 * Demo redemptions on a freshly seeded database, so the redemption rate (核销率) and the points flow show
 * spending on first sign-in: once the engine has earned the demo history's points, about a third of the
 * members with points redeem part of them at their home unit through redeem_points (as the system; the key
 * `demo-redeem:<member_no>` makes a rerun post nothing). The ledger dates a redemption itself, so these
 * appear on the day `npm start` first ran.
 */
import pg from "pg";

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
      `select count(public.redeem_points(m.id, m.home_business_unit_id,
                greatest(100, (b.balance * (5 + abs(hashtext(m.member_no || ':share')) % 15) / 100)::int),
                'demo-redeem:' || m.member_no, $1))::int as redeemed
       from public.members m
       join public.point_balances b on b.member_id = m.id
       where b.balance >= 300 and m.status = 'active' and m.merged_into is null
         and m.home_business_unit_id is not null and abs(hashtext(m.member_no || ':redeems')) % 3 = 0`,
      [REASON],
    );
    say(`demo redemptions: ${rows[0].redeemed}`);
  } finally {
    await client.end();
  }
}
