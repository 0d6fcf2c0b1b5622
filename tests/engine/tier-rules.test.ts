/**
 * Tier rules decide tiers: the engine's tier review runs the published tier rules on each member and the member holds
 * the highest of the tier their growth earns, the rules' tier and a running paid tier. Between reviews the rules only
 * lift (at once); at the review they also keep a member up. Upgrades by the review grant the tier's gift once,
 * however often the job runs.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewTiers, type JobEnv } from "../../engine/jobs.ts";
import { engineLog } from "../../engine/log.ts";
import { RuleStore } from "../../engine/store.ts";
import { databaseUrl, demoEmail, signedIn } from "../db/stack-env.ts";
import { newMembers, publish, testUnit, uniqueName, withTestEngine } from "./helpers.ts";

let db: pg.Client;
withTestEngine((client) => (db = client));

const problems: string[] = [];
let pool: pg.Pool;
let env: JobEnv;
const tag = uniqueName("常客").slice(0, 20);
const ruleKey = uniqueName("tier-rule");
let gold: string;

const state = async (id: string) =>
  (await db.query(
    `select t.code as tier, m.growth_value, m.tier_reviewed_at, e.code as earned_tier
     from members m join tiers t on t.id = m.tier_id left join tiers e on e.id = m.earned_tier_id where m.id = $1`, [id])).rows[0];
const gifts = async (id: string) =>
  (await db.query("select points from ledger_entries where member_id = $1 and idempotency_key like 'tier-gift:%'", [id])).rows.map((r) => r.points);

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
  const log = engineLog((level, line) => { if (level !== "info") problems.push(line); });
  env = { pool, store: new RuleStore(pool, log), log };
  gold = (await db.query("select id from tiers where code = 'gold'")).rows[0].id;
  await db.query("update tiers set upgrade_gift_points = 777 where id = $1", [gold]);
  // members carrying the test's own tag hold at least gold
  await publish(db, { key: ruleKey, kind: "tier", logic: { if: [{ has_tag: [{ var: "member.tags" }, tag] }, "gold", null] } });
});

afterAll(async () => {
  await db.query("select set_config('app.reason', 'test cleanup', false)");
  await db.query("select archive_rule($1)", [ruleKey]).catch(() => undefined);
  await db.query("update tiers set upgrade_gift_points = 0 where id = $1", [gold]);
  await pool.end();
});

describe("the tier review with tier rules", () => {
  it("lifts tagged members to the rules' tier at once, keeps them up at their review, grants the gift once in two runs", async () => {
    const unit = await testUnit(db);
    const [tagged, untagged, due, diamond] = await newMembers(db, 4);
    await db.query("update members set tags = array[$2], home_business_unit_id = $3 where id = any($1::uuid[])", [[tagged, due, diamond], tag, unit]);
    await db.query("update members set home_business_unit_id = $2 where id = $1", [untagged, unit]);
    await db.query("update members set tier_id = (select id from tiers where code = 'diamond') where id = $1", [diamond]);
    // `due`'s review period ended a day ago, with growth that earns silver only
    await db.query(
      `update members set tier_reviewed_at = now() - interval '12 months 1 day',
              growth_value = (select growth_threshold from tiers where code = 'silver') where id = $1`, [due]);
    const members = [tagged, untagged, due, diamond];

    const first = await reviewTiers(env, { memberIds: members });
    const second = await reviewTiers(env, { memberIds: members });
    expect(first).toMatchObject({ members: 4, ruled: 3, changed: 2 });
    expect(second).toMatchObject({ members: 4, ruled: 3, changed: 0 });

    expect(await state(tagged)).toMatchObject({ tier: "gold" });
    expect(await state(untagged)).toMatchObject({ tier: "standard" });
    expect(await state(diamond)).toMatchObject({ tier: "diamond" }); // the rules never lower a tier
    const reviewed = await state(due);
    expect(reviewed).toMatchObject({ tier: "gold", growth_value: 0 }); // growth earns silver, the rule gold: gold
    expect(Date.now() - (reviewed.tier_reviewed_at as Date).getTime()).toBeLessThan(60_000);

    const history = await db.query("select member_id, reason, details from tier_history where member_id = any($1::uuid[]) and reason = 'review'", [members]);
    expect(history.rows).toHaveLength(2);
    for (const row of history.rows) expect(row.details).toMatchObject({ rule_key: ruleKey, gift_points: 777 });
    expect(await gifts(tagged)).toEqual([777]);
    expect(await gifts(due)).toEqual([777]);
    expect(await gifts(untagged)).toEqual([]);
    expect(await gifts(diamond)).toEqual([]);
  });

  it("a review running in parallel with itself grants each upgrade's gift once", async () => {
    const unit = await testUnit(db);
    const ids = await newMembers(db, 6);
    await db.query("update members set tags = array[$2], home_business_unit_id = $3 where id = any($1::uuid[])", [ids, tag, unit]);
    const runs = await Promise.all(Array.from({ length: 4 }, () => reviewTiers(env, { memberIds: ids })));
    expect(runs.reduce((n, r) => n + r.changed, 0)).toBe(6);
    for (const id of ids) {
      expect(await state(id)).toMatchObject({ tier: "gold" });
      expect(await gifts(id)).toEqual([777]);
    }
  });

  it("a rule giving a tier that is not on the ladder changes nothing and is reported", async () => {
    const odd = uniqueName("odd");
    const key = uniqueName("tier-odd");
    await publish(db, { key, kind: "tier", priority: 200, logic: { if: [{ has_tag: [{ var: "member.tags" }, odd] }, "platinum", null] } });
    try {
      const [m] = await newMembers(db, 1);
      await db.query("update members set tags = array[$2] where id = $1", [m, odd]);
      expect(await reviewTiers(env, { memberIds: [m] })).toMatchObject({ changed: 0, ruled: 0 });
      expect(await state(m)).toMatchObject({ tier: "standard" });
      const { rows } = await db.query("select stage, message from rule_errors where rule_key = $1", [key]);
      expect(rows).toEqual([expect.objectContaining({ stage: "result", message: expect.stringContaining("platinum") })]);
    } finally {
      await db.query("select archive_rule($1)", [key]);
    }
  });

  it("refuses a malformed list of rule tiers, changing nothing", async () => {
    const { rows } = await db.query("select count(*)::int as n from tier_history");
    await expect(db.query("select public.review_tiers(now(), '{}'::jsonb)")).rejects.toMatchObject({ hint: "rule_tiers_invalid" });
    expect((await db.query("select count(*)::int as n from tier_history")).rows[0].n).toBe(rows[0].n);
  });

  it("the test bench reads a real member's context with the user's rights, as the engine gives it to tier and tagging rules", async () => {
    const unit = await testUnit(db, { kind: "hotel" });
    const [m] = await newMembers(db, 1);
    await db.query("update members set tags = array[$2] where id = $1", [m, tag]);
    await db.query("select record_transaction($1, $2, $3, 321.5, 'pos', now() - interval '2 days')", [m, unit, uniqueName("BENCH")]);
    for (const who of ["marketing", "admin", "director"] as const) {
      const { client } = await signedIn(demoEmail(who));
      const { data, error } = await client.rpc("rule_member_context", { p_member_id: m });
      expect(error, who).toBeNull();
      expect(data.member, who).toMatchObject({ tier: "standard", tags: [tag], status: "active" });
      expect(data.stats, who).toMatchObject({ transactions_90d: 1, amount_90d: 321.5, hotel_transactions_365d: 1 });
    }
    const { client: staff } = await signedIn(demoEmail("staff"));
    expect((await staff.rpc("rule_member_context", { p_member_id: "00000000-0000-0000-0000-000000000000" })).data).toBeNull();
  });
});
