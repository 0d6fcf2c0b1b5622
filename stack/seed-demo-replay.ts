/**
 * The demo history's replay, run by the seed right after supabase/seed.sql, in the same database transaction and
 * session (its temporary tables demo_purchases and demo_members), once the rules of workflows/rules are synced: the
 * daily tier review (00:30 China time, as the engine's cron) and each purchase in time order through
 * record_transaction, with the growth the published growth rules give it, evaluated by the engine's evaluator
 * (core/evaluation evaluateGrowth) on the member as they are at that moment, and added through
 * private.add_transaction_growth (the engine later finds it added and does not add it again). So the growth weights
 * are stated once, in the growth rules. Tier changes are dated when they happened (the functions date them now()).
 */
import type pg from "pg";
import { evaluateGrowth, isoInstant, RuleBook, type RuleRecord, type RuleSetRecord } from "../core/evaluation/index.ts";

interface Purchase {
  member_id: string;
  member_no: string;
  g: number;
  occurred_at: Date;
  amount: string;
  channel: string;
  unit_id: string;
  unit_code: string;
  unit_kind: string;
}

/** The published rules, sets and ladder, read inside the caller's transaction. */
async function ruleBook(client: pg.Client | pg.PoolClient): Promise<RuleBook> {
  const rules = (await client.query(
    `select id, key, version, kind, business_unit_id, priority, lot_kind, active_from, active_to, published_at, superseded_at,
            status, updated_at, suspended_at, logic
     from public.rules where published_at is not null`)).rows as RuleRecord[];
  const sets = (await client.query("select kind, business_unit_id, combination from public.rule_sets")).rows as RuleSetRecord[];
  const tierLadder = (await client.query("select code from public.tiers order by rank")).rows.map((r) => r.code as string);
  return new RuleBook(rules, sets, { tierLadder });
}

/** Replays the demo purchases (see above); returns how many purchases and how much growth. */
export async function replayDemoPurchases(client: pg.Client | pg.PoolClient): Promise<{ purchases: number; growth: number }> {
  const book = await ruleBook(client);
  const purchases = (await client.query<Purchase>(
    `select p.member_id, p.member_no, p.g, p.occurred_at, p.amount::text as amount, p.channel,
            bu.id as unit_id, bu.code as unit_code, bu.kind as unit_kind
     from demo_purchases p join public.business_units bu on bu.code = p.unit
     order by p.occurred_at, p.member_no, p.g`)).rows;
  let review = (await client.query<{ at: Date }>(
    `select (date_trunc('day', (select min(created_at) from public.members) at time zone private.business_time_zone())
             + interval '1 day 30 minutes') at time zone private.business_time_zone() as at`)).rows[0].at;
  const reviewUntil = async (until: Date) => {
    while (review.getTime() <= until.getTime()) {
      await client.query("select public.review_tiers($1)", [review]);
      await client.query("update public.tier_history set changed_at = $1 where changed_at = now()", [review]);
      review = new Date(review.getTime() + 86_400_000);
    }
  };
  let total = 0;
  for (const p of purchases) {
    await reviewUntil(p.occurred_at);
    const orderNo = `DEMO-${p.member_no}-${p.g}`;
    const recorded = await client.query(
      `select (public.record_transaction($1, $2, $3, $4::numeric, $5, $6) ->> 'transaction_id') as id,
              t.code as tier, m.tags, m.birthday::text as birthday, m.growth_value, m.created_at, m.status::text as status, home.code as home
       from public.members m join public.tiers t on t.id = m.tier_id
       left join public.business_units home on home.id = m.home_business_unit_id
       where m.id = $1`,
      [p.member_id, p.unit_id, orderNo, p.amount, p.channel, p.occurred_at]);
    const r = recorded.rows[0];
    const occurredMs = p.occurred_at.getTime();
    const outcome = evaluateGrowth(book, {
      transaction: {
        amount: Number(p.amount), channel: p.channel, occurred_at: isoInstant(occurredMs), order_no: orderNo, items: [],
        business_unit: { code: p.unit_code, kind: p.unit_kind },
      },
      member: {
        tier: r.tier, tags: r.tags ?? [], birthday: r.birthday, growth_value: r.growth_value,
        joined_at: isoInstant((r.created_at as Date).getTime()), status: r.status, home_business_unit: r.home,
      },
    }, p.unit_id, occurredMs);
    if (outcome.errors.length) throw new Error(`demo replay: growth rule problem ${JSON.stringify(outcome.errors[0])}`);
    await client.query("select private.add_transaction_growth($1, $2, $3::jsonb)", [
      r.id, outcome.growth, JSON.stringify(outcome.applied.map((a) => ({ rule_id: a.rule_id, key: a.key, version: a.version }))),
    ]);
    await client.query("update public.tier_history set changed_at = $1 where changed_at = now()", [p.occurred_at]);
    total += outcome.growth;
  }
  await reviewUntil(new Date());
  await client.query("drop table demo_purchases, demo_members");
  // The benefits the engine's benefit_grants job gives the members as they now stand (seed.sql published the pool).
  await client.query("select public.run_benefit_grants(now())");
  return { purchases: purchases.length, growth: total };
}
