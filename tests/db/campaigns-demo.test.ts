/**
 * The demo campaign (stack/seed-demo-campaigns.ts, run by `npm start` after the demo redemptions) against the real
 * database and engine: approved over its published segment through the real functions, purchases at the mall by its
 * members since it started, earned by the engine with the double-points bonus, so its results and the campaign_uptake
 * metric show uptake; a rerun adds nothing.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCampaigns } from "../../stack/seed-demo-campaigns.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  await db?.end();
});

describe("the demo campaign", () => {
  it("is approved over its segment, its members bought at the mall, the engine gave the bonus, a rerun adds nothing", async () => {
    const lines: string[] = [];
    await seedDemoCampaigns(db, (line) => lines.push(line));
    expect(lines.join("\n")).toMatch(/demo campaign demo-mall-double-points: approved, \d+ members, [1-9]\d* purchases/);
    const c = (await db.query("select * from campaigns where key = 'demo-mall-double-points'")).rows[0];
    expect(c).toMatchObject({ status: "approved", offer: { kind: "points_multiplier", multiplier: 2 }, holdout_percent: 10 });
    expect(c.members_assigned).toBeGreaterThan(0);
    const request = (await db.query("select status, requested_by from approval_requests where id = $1", [c.approval_request_id])).rows[0];
    expect(request.status).toBe("approved");

    // the engine earns the purchases; the treatment's carry the bonus
    const until = Date.now() + 90_000;
    let spent = 0;
    while (Date.now() < until) {
      spent = Number((await db.query("select spent_points from campaigns where id = $1", [c.id])).rows[0].spent_points);
      const pending = Number((await db.query(
        "select count(*) from transactions t where t.order_no like 'demo-cmp-%' and not exists (select 1 from transaction_earnings e where e.transaction_id = t.id)")).rows[0].count);
      if (pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(spent).toBeGreaterThan(0);
    const results = (await db.query("select campaign_results($1) as r", [c.id])).rows[0].r;
    expect(results.uptake).toBeGreaterThan(0);
    expect(results.cost_points).toBe(spent);
    const metric = (await db.query("select coalesce(sum(uptake), 0)::int as u from metric_campaign_uptake(null, null, 'day')")).rows[0].u;
    expect(metric).toBeGreaterThan(0);

    const before = Number((await db.query("select count(*) from transactions where order_no like 'demo-cmp-%'")).rows[0].count);
    await seedDemoCampaigns(db, (line) => lines.push(line));
    expect(Number((await db.query("select count(*) from transactions where order_no like 'demo-cmp-%'")).rows[0].count)).toBe(before);
    expect(Number((await db.query("select count(*) from campaigns where key = 'demo-mall-double-points'")).rows[0].count)).toBe(1);
  }, 120_000);
});
