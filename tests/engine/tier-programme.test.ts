/**
 * The tier programme as rules: growth from the growth rules (weighted per business unit) through the engine,
 * added once per transaction; upgrade gifts granted once however often the upgrade runs; paid memberships sold
 * by a unit's staff and expiring back to the earned tier; the engine-only functions refuse clients.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleSessions } from "../db/role-session.ts";
import { demoEmail, signedIn, superuser } from "../db/stack-env.ts";
import { evaluateGrowth, isoInstant } from "../../core/evaluation/index.ts";
import { loadRuleBook } from "../../engine/store.ts";
import { insertTransaction, newMembers, testUnit, uniqueName, waitEarned, waitFor, withTestEngine } from "./helpers.ts";

let db: pg.Client;
withTestEngine((client) => (db = client));

const tierId = async (code: string) => (await db.query("select id from tiers where code = $1", [code])).rows[0].id as string;
const member = async (id: string) =>
  (await db.query(
    `select m.growth_value, t.code as tier, p.code as paid_tier, m.paid_until, e.code as earned_tier
     from members m join tiers t on t.id = m.tier_id left join tiers p on p.id = m.paid_tier_id
     left join tiers e on e.id = m.earned_tier_id where m.id = $1`, [id])).rows[0];
const giftEntries = async (memberId: string, tier: string) =>
  (await db.query(
    `select e.points, l.kind from ledger_entries e join point_lots l on l.earn_entry_id = e.id
     where e.member_id = $1 and e.idempotency_key like 'tier-gift:' || $2 || ':%'`, [memberId, await tierId(tier)])).rows;
const waitGrowth = (ids: string[]) =>
  waitFor(`growth of ${ids.length} transaction(s)`, async () => {
    const { rows } = await db.query("select transaction_id, growth, source from transaction_growth where transaction_id = any($1::uuid[])", [ids]);
    return rows.length === ids.length ? new Map(rows.map((r) => [r.transaction_id as string, r])) : undefined;
  });

describe("growth value from the growth rules", () => {
  it("weighs each business unit as the seeded rules say, so the same spend upgrades at the hotel and not at the mall", async () => {
    const hotel = await testUnit(db, { kind: "hotel" });
    const mall = await testUnit(db, { kind: "mall" });
    const property = await testUnit(db, { kind: "property" });
    const [atHotel, atMall, atProperty] = await newMembers(db, 3);
    const threshold = (await db.query("select growth_threshold from tiers where code = 'silver'")).rows[0].growth_threshold as number;
    const spend = Math.ceil(threshold * 0.75) + 0.99; // hotel 2 per yuan crosses it, mall 1 and property 0.5 do not
    const ids = [
      await insertTransaction(db, atHotel, hotel, spend),
      await insertTransaction(db, atMall, mall, spend),
      await insertTransaction(db, atProperty, property, spend),
    ];
    const growth = await waitGrowth(ids);
    await waitEarned(db, ids);
    expect(ids.map((id) => growth.get(id)?.growth)).toEqual([
      Math.floor(spend * 2), Math.floor(spend), Math.floor(spend * 0.5)]);
    expect([...growth.values()].every((g) => g.source === "rules")).toBe(true);
    expect(await member(atHotel)).toMatchObject({ growth_value: Math.floor(spend * 2), tier: "silver" });
    expect(await member(atMall)).toMatchObject({ growth_value: Math.floor(spend), tier: "standard" });
    expect(await member(atProperty)).toMatchObject({ growth_value: Math.floor(spend * 0.5), tier: "standard" });
    const history = await db.query("select reason, details from tier_history where member_id = $1 and reason = 'upgrade'", [atHotel]);
    expect(history.rows).toEqual([expect.objectContaining({ details: expect.objectContaining({ growth: Math.floor(spend * 2) }) })]);
    // the transaction shows the growth it gave
    expect((await db.query("select growth_points from transactions where id = $1", [ids[0]])).rows[0].growth_points).toBe(Math.floor(spend * 2));
  });

  it("adds a transaction's growth once, however many posts race for it", async () => {
    const unit = await testUnit(db);
    const [m] = await newMembers(db, 1);
    const txn = await insertTransaction(db, m, unit, 321);
    const clients = await Promise.all(Array.from({ length: 8 }, () => superuser()));
    try {
      await Promise.all(clients.map((c) => c.query("select private.add_transaction_growth($1, 321, '[]')", [txn])));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await waitEarned(db, [txn]);
    expect((await db.query("select count(*)::int as n, sum(growth)::int as g from transaction_growth where transaction_id = $1", [txn])).rows[0])
      .toEqual({ n: 1, g: 321 });
    expect((await member(m)).growth_value).toBe(321);
  });

  it("growth comes from the growth rules only: a post without a growth value adds none (no 1 per yuan fallback)", async () => {
    const unit = await testUnit(db, { kind: "hotel" }); // the rules would give 2 per yuan here
    const [m] = await newMembers(db, 1);
    await db.query("begin");
    let txn: string;
    try {
      // recorded and posted in one database transaction: the job queued with it finds it evaluated
      txn = await insertTransaction(db, m, unit, 123.45);
      await db.query("select private.post_earnings($1::jsonb)", [JSON.stringify([
        { transaction_id: txn, member_id: m, business_unit_id: unit, lots: [], rule_versions: [], errors: [], reason: null }])]);
      await db.query("commit");
    } catch (error) {
      await db.query("rollback");
      throw error;
    }
    expect((await db.query("select growth, source from transaction_growth where transaction_id = $1", [txn])).rows)
      .toEqual([{ growth: 0, source: "rules" }]);
    expect((await member(m)).growth_value).toBe(0);
  });

  it("caps the growth of one transaction", async () => {
    const unit = await testUnit(db);
    const [m] = await newMembers(db, 1);
    const txn = await insertTransaction(db, m, unit, 10);
    const { rows } = await db.query("select private.add_transaction_growth($1, 2000000000, '[]') as r", [txn]);
    const max = (await db.query("select (private.tier_limits() ->> 'growth_max_per_event')::int as max")).rows[0].max;
    expect(rows[0].r.growth ?? (await waitGrowth([txn])).get(txn)?.growth).toBeLessThanOrEqual(max);
    expect((await member(m)).growth_value).toBeLessThanOrEqual(max);
  });

  it("does not add growth again for a transaction recorded before growth became rules", async () => {
    const unit = await testUnit(db);
    const [m] = await newMembers(db, 1);
    const txn = await insertTransaction(db, m, unit, 50);
    // as the migration does for earlier transactions: their growth is already counted
    await db.query("insert into transaction_growth (transaction_id, member_id, growth, source) values ($1, $2, 50, 'legacy') on conflict do nothing", [txn, m]);
    await waitEarned(db, [txn]);
    const row = (await db.query("select growth, source from transaction_growth where transaction_id = $1", [txn])).rows[0];
    if (row.source === "legacy") expect((await member(m)).growth_value).toBe(0);
    else expect((await member(m)).growth_value).toBe(50); // the engine was first: added exactly once
  });
});

describe("the demo history", () => {
  it("got the growth the published growth rules give each purchase (the seed states no weights of its own)", async () => {
    const { book } = await loadRuleBook(db as unknown as pg.PoolClient);
    const { rows } = await db.query(
      `select t.id, t.amount::float8 as amount, t.channel, t.order_no, t.occurred_at, t.business_unit_id, bu.code, bu.kind,
              g.growth, g.source, tr.code as tier, m.tags, m.birthday::text as birthday, m.growth_value, m.created_at, m.status::text as status
       from transactions t join transaction_growth g on g.transaction_id = t.id
       join business_units bu on bu.id = t.business_unit_id join members m on m.id = t.member_id join tiers tr on tr.id = m.tier_id
       where t.order_no like 'DEMO-%' order by t.id limit 300`);
    expect(rows.length).toBeGreaterThan(100);
    const kinds = new Set<string>();
    for (const r of rows) {
      const occurredMs = (r.occurred_at as Date).getTime();
      const expected = evaluateGrowth(book, {
        transaction: { amount: r.amount, channel: r.channel, occurred_at: isoInstant(occurredMs), order_no: r.order_no, items: [],
          business_unit: { code: r.code, kind: r.kind } },
        member: { tier: r.tier, tags: r.tags ?? [], birthday: r.birthday, growth_value: r.growth_value,
          joined_at: isoInstant((r.created_at as Date).getTime()), status: r.status, home_business_unit: null },
      }, r.business_unit_id, occurredMs);
      expect({ order: r.order_no, growth: r.growth, source: r.source }).toEqual({ order: r.order_no, growth: expected.growth, source: "rules" });
      kinds.add(r.kind);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(3); // weighted and unweighted units alike
  });
});

describe("upgrade gifts", () => {
  let silver: string;
  let gold: string;
  beforeAll(async () => {
    silver = await tierId("silver");
    gold = await tierId("gold");
    await db.query("update tiers set upgrade_gift_points = 888, upgrade_gift_lot_kind = 'campaign' where id = $1", [silver]);
    await db.query("update tiers set upgrade_gift_points = 1888 where id = $1", [gold]);
  });
  afterAll(async () => {
    await db.query("update tiers set upgrade_gift_points = 0 where id = any($1::uuid[])", [[silver, gold]]);
  });

  it("grants a tier's gift once when parallel transactions upgrade the member, and again-run upgrades add nothing", async () => {
    const unit = await testUnit(db);
    const [m] = await newMembers(db, 1);
    const threshold = (await db.query("select growth_threshold from tiers where id = $1", [silver])).rows[0].growth_threshold as number;
    const each = Math.ceil(threshold / 3) + 1;
    const clients = await Promise.all(Array.from({ length: 6 }, () => superuser()));
    let ids: string[];
    try {
      ids = await Promise.all(clients.map((c) => insertTransaction(c, m, unit, each)));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await waitGrowth(ids);
    await waitEarned(db, ids);
    expect((await member(m)).tier).toBe("silver");
    expect(await giftEntries(m, "silver")).toEqual([{ points: 888, kind: "campaign" }]);

    // the upgrade (and its gift) run again, in parallel: still one gift
    const again = await Promise.all(Array.from({ length: 5 }, () => superuser()));
    try {
      await Promise.all(again.map((c) => c.query("select private.grant_upgrade_gift($1, $2, $3)", [m, silver, unit])));
      await Promise.all(again.map((c) => c.query("select private.apply_growth($1, 0, 'again', $2)", [m, unit])));
    } finally {
      await Promise.all(again.map((c) => c.end()));
    }
    expect(await giftEntries(m, "silver")).toEqual([{ points: 888, kind: "campaign" }]);
    expect((await db.query("select count(*)::int as n from tier_history where member_id = $1 and reason = 'upgrade'", [m])).rows[0].n).toBe(1);
  });

  it("a user posting with a member's gift key cannot pre-claim the gift: user keys are scoped, the gift still comes", async () => {
    const unit = await testUnit(db);
    const [m] = await newMembers(db, 1);
    const window = (await db.query("select floor(extract(epoch from tier_reviewed_at))::bigint as w from members where id = $1", [m])).rows[0].w as string;
    const key = `tier-gift:${silver}:${m}:${window}`;
    const roles = await roleSessions(db);
    const [claimed] = await roles.commitAs("admin", "select earn_points($1, $2, 1, $3) as r", [m, unit, key]);
    expect(claimed.r.duplicate).toBe(false);
    const threshold = (await db.query("select growth_threshold from tiers where id = $1", [silver])).rows[0].growth_threshold as number;
    const id = await insertTransaction(db, m, unit, threshold + 1);
    await waitGrowth([id]);
    await waitEarned(db, [id]);
    expect((await member(m)).tier).toBe("silver");
    expect(await giftEntries(m, "silver")).toEqual([{ points: 888, kind: "campaign" }]);
    const { rows } = await db.query("select idempotency_key from ledger_entries where id = $1", [claimed.r.entry_id]);
    expect(rows[0].idempotency_key).toBe(`u:${unit}:${key}`);
  });

  it("an admin edits the gift; it is capped", async () => {
    const roles = await roleSessions(db);
    const tooMuch = await roles.attempt("admin", "update tiers set upgrade_gift_points = 100001 where id = $1", [silver]);
    expect(tooMuch.ok).toBe(false);
    const staff = await roles.attempt("staff", "update tiers set upgrade_gift_points = 5 where id = $1 returning id", [silver]);
    expect(staff.ok && staff.value.rowCount).toBe(0);
  });
});

describe("tier thresholds", () => {
  it("must rise with rank", async () => {
    const roles = await roleSessions(db);
    const attempt = await roles.attempt("admin", "update tiers set growth_threshold = 1 where code = 'gold'");
    expect(attempt.ok).toBe(false);
    if (!attempt.ok) expect(attempt.error.hint).toBe("tier_thresholds_not_rising");
    const ok = await roles.attempt("admin", "update tiers set growth_threshold = growth_threshold + 1, review_period_months = 6 where code = 'gold'");
    expect(ok.ok).toBe(true); // rolled back
  });
});

describe("paid memberships", () => {
  let offer: string;
  let mall: string;
  beforeAll(async () => {
    mall = (await db.query("select id from business_units where code = 'mall'")).rows[0].id;
    offer = (await db.query(
      `insert into tier_offers (tier_id, period, price_fen) values ((select id from tiers where code = 'gold'), 'month', 9900)
       on conflict (tier_id, period) do update set active = true returning id`)).rows[0].id;
  });

  /** Staff request the sale; the mall's manager approves it (maker-checker). */
  async function sellThroughApproval(m: string, offerId: string, ref: string) {
    const { client: staff } = await signedIn(demoEmail("staff"));
    const { client: manager } = await signedIn("mall.manager@demo.test");
    const requested = await staff.rpc("request_tier_sale", {
      p_member_id: m, p_offer_id: offerId, p_business_unit_id: mall, p_payment_ref: ref, p_idempotency_key: uniqueName("sale"),
    });
    if (requested.error) return requested;
    const task = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [requested.data.id])).rows[0];
    return manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
  }

  it("staff request a paid tier, the unit manager approves, it is sold once; it expires back to the tier growth earns", async () => {
    const [m] = await newMembers(db, 1);
    const { client } = await signedIn(demoEmail("staff"));
    const { client: manager } = await signedIn("mall.manager@demo.test");
    const ref = uniqueName("PAY");
    // Nobody sells directly.
    const direct = await client.rpc("sell_tier_membership", { p_member_id: m, p_offer_id: offer, p_business_unit_id: mall, p_payment_ref: ref });
    expect(direct.error?.hint).toBe("tier_sale_needs_approval");
    // Five submissions with one key make one request; ten approvals at once make one decision and one sale.
    const key = uniqueName("sale");
    const requests = await Promise.all(Array.from({ length: 5 }, () => client.rpc("request_tier_sale", {
      p_member_id: m, p_offer_id: offer, p_business_unit_id: mall, p_payment_ref: ref, p_idempotency_key: key })));
    expect(new Set(requests.map((r) => r.data?.id ?? r.error?.hint)).size).toBe(1);
    expect(requests[0].data).toMatchObject({ action: "tier_sale", status: "pending", member_id: m });
    expect(await member(m)).toMatchObject({ tier: "standard", paid_tier: null });
    const task = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [requests[0].data.id])).rows[0];
    const decisions = await Promise.all(Array.from({ length: 10 }, () => manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })));
    expect(decisions.filter((d) => !d.error)).toHaveLength(1);
    expect(decisions.find((d) => !d.error)!.data.status).toBe("approved");
    expect((await db.query("select count(*)::int as n from tier_purchases where member_id = $1", [m])).rows[0].n).toBe(1);
    expect(await member(m)).toMatchObject({ tier: "gold", paid_tier: "gold", earned_tier: "standard" });
    expect((await db.query("select reason from tier_history where member_id = $1 order by id desc limit 1", [m])).rows[0].reason).toBe("purchase");

    // the same reference for another member is refused
    const [other] = await newMembers(db, 1);
    const reused = await client.rpc("request_tier_sale", { p_member_id: other, p_offer_id: offer, p_business_unit_id: mall, p_payment_ref: ref, p_idempotency_key: uniqueName("sale") });
    expect(reused.error?.hint).toBe("payment_ref_reused");
    // staff of another unit may not sell for the mall
    const { client: hotelStaff } = await signedIn(demoEmail("staff").replace("staff@", "hotel.staff@"));
    const outside = await hotelStaff.rpc("request_tier_sale", { p_member_id: other, p_offer_id: offer, p_business_unit_id: mall, p_payment_ref: uniqueName("PAY"), p_idempotency_key: uniqueName("sale") });
    expect(outside.error?.code).toBe("42501");

    // growth meanwhile earns silver: the paid gold stays, and on expiry the member returns to silver
    const unit = await testUnit(db);
    const threshold = (await db.query("select growth_threshold from tiers where code = 'silver'")).rows[0].growth_threshold as number;
    const txn = await insertTransaction(db, m, unit, threshold + 1);
    await waitGrowth([txn]);
    expect(await member(m)).toMatchObject({ tier: "gold", earned_tier: "silver" });
    const later = (await db.query("select paid_until + interval '1 second' as t from members where id = $1", [m])).rows[0].t;
    await db.query("select public.expire_paid_tiers($1)", [later]);
    await db.query("select public.expire_paid_tiers($1)", [later]); // twice: nothing more
    expect(await member(m)).toMatchObject({ tier: "silver", paid_tier: null, paid_until: null, earned_tier: null });
    expect((await db.query("select count(*)::int as n from tier_history where member_id = $1 and reason = 'paid_expiry'", [m])).rows[0].n).toBe(1);
  });

  it("an earned upgrade above the paid tier wins", async () => {
    const silverOffer = (await db.query(
      `insert into tier_offers (tier_id, period, price_fen) values ((select id from tiers where code = 'silver'), 'quarter', 1900)
       on conflict (tier_id, period) do update set active = true returning id`)).rows[0].id;
    const [m] = await newMembers(db, 1);
    const sold = await sellThroughApproval(m, silverOffer, uniqueName("PAY"));
    expect(sold.error).toBeNull();
    expect(await member(m)).toMatchObject({ tier: "silver", paid_tier: "silver" });
    const unit = await testUnit(db);
    const gold = (await db.query("select growth_threshold from tiers where code = 'gold'")).rows[0].growth_threshold as number;
    await waitGrowth([await insertTransaction(db, m, unit, gold)]);
    expect(await member(m)).toMatchObject({ tier: "gold", earned_tier: "gold" });
    const later = (await db.query("select paid_until + interval '1 second' as t from members where id = $1", [m])).rows[0].t;
    await db.query("select public.expire_paid_tiers($1)", [later]);
    expect(await member(m)).toMatchObject({ tier: "gold", paid_tier: null });
    // buying a tier the member holds by growth is refused
    const refused = await sellThroughApproval(m, silverOffer, uniqueName("PAY"));
    expect(refused.error?.hint).toBe("tier_already_held");
  });
});

describe("paid memberships and merges", () => {
  it("a merge keeps the merged record's paid tier paid: it still expires back to the earned tier", async () => {
    const offer = (await db.query(
      `insert into tier_offers (tier_id, period, price_fen) values ((select id from tiers where code = 'gold'), 'year', 99900)
       on conflict (tier_id, period) do update set active = true returning id`)).rows[0].id;
    const mall = (await db.query("select id from business_units where code = 'mall'")).rows[0].id;
    const [paid, survivor] = await newMembers(db, 2);
    await db.query("select sell_tier_membership($1, $2, $3, $4)", [paid, offer, mall, uniqueName("PAY")]);
    await db.query("select merge_members($1, $2, true)", [survivor, paid]);
    expect(await member(survivor)).toMatchObject({ tier: "gold", paid_tier: "gold", earned_tier: "standard" });
    expect(await member(paid)).toMatchObject({ paid_tier: null, earned_tier: null });
    const later = (await db.query("select paid_until + interval '1 second' as t from members where id = $1", [survivor])).rows[0].t;
    await db.query("select public.expire_paid_tiers($1)", [later]);
    expect(await member(survivor)).toMatchObject({ tier: "standard", paid_tier: null });
  });
});

describe("engine-only functions", () => {
  it("refuse clients: growth, gifts, expiry and review", async () => {
    const roles = await roleSessions(db);
    const [m] = await newMembers(db, 1);
    for (const who of ["staff", "admin", "service_role", "anon"] as const) {
      for (const sql of [
        "select private.add_transaction_growth(gen_random_uuid(), 1, '[]')",
        "select private.apply_growth($1, 100000, 'x', null)",
        "select private.grant_upgrade_gift($1, (select id from tiers where code = 'gold'), null)",
      ]) {
        const attempt = await roles.attempt(who, sql, sql.includes("$1") ? [m] : []);
        expect(attempt.ok, `${who}: ${sql}`).toBe(false);
      }
    }
    for (const who of ["staff", "admin", "manager"] as const) {
      const { client } = await signedIn(demoEmail(who));
      for (const fn of ["expire_paid_tiers", "review_tiers"]) {
        const { error } = await client.rpc(fn, { p_as_of: new Date().toISOString() });
        expect(error?.code, `${who}: ${fn}`).toBe("42501");
      }
    }
  });
});
