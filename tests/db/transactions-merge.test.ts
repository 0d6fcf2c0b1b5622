/**
 * Recording transactions (growth + tier upgrade in one call; the points are posted moments later by the
 * rules engine running in the stack), tier review, and member merge, through the API as the staff would
 * call them, with the ledger invariants checked afterwards. Expected points follow the seeded earning
 * rules (workflows/rules/earning.json): 1 point per yuan times the tier multiplier (silver 1.2, gold 1.5)
 * at the tier the member had when the purchase occurred.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEmail, signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
let units: Record<string, string>;
let tiers: Record<string, string>;
const run = Date.now().toString(36);

/** A new member whose home unit is the hotel (whose demo manager merges them). */
async function newMember(tier = "standard") {
  const phone = `198${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const { rows } = await db.query("insert into members (name, phone, tier_id, home_business_unit_id) values ($1, $2, $3, $4) returning id", [
    `交易测试${phone.slice(-4)}`,
    phone,
    tiers[tier],
    units.hotel,
  ]);
  return rows[0].id as string;
}

/** Waits until the engine has evaluated every transaction of the member (earn entries posted). */
async function earned(member: string, timeoutMs = 30_000) {
  const started = Date.now();
  for (;;) {
    const { rows } = await db.query(
      `select count(*)::int as pending from transactions t
       where t.member_id = $1 and not exists (select 1 from transaction_earnings e where e.transaction_id = t.id)`,
      [member],
    );
    if (rows[0].pending === 0) return;
    if (Date.now() - started > timeoutMs) throw new Error(`the engine did not earn ${rows[0].pending} transaction(s) within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function books(member: string) {
  const { rows } = await db.query(
    `select b.balance::int as balance,
            (select coalesce(sum(points), 0)::int from ledger_entries where member_id = $1) as ledger,
            (select coalesce(sum(remaining_points), 0)::int from point_lots where member_id = $1) as lots
     from point_balances b where b.member_id = $1`,
    [member],
  );
  return rows[0] as { balance: number; ledger: number; lots: number };
}

beforeAll(async () => {
  db = await superuser();
  units = Object.fromEntries((await db.query("select code, id from business_units")).rows.map((r) => [r.code, r.id]));
  tiers = Object.fromEntries((await db.query("select code, id from tiers")).rows.map((r) => [r.code, r.id]));
});
afterAll(async () => {
  await db.end();
});

describe("record_transaction", () => {
  it("records the purchase; the engine adds its growth (upgrading the tier) and earns 1 point per whole yuan moments later", async () => {
    const member = await newMember();
    const { client } = await signedIn(demoEmail("staff"));
    const { data, error } = await client.rpc("record_transaction", {
      p_member_id: member, p_business_unit_id: units.mall, p_order_no: `T-${run}-1`, p_amount: 2345.67,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ points: null, pending: true, balance: 0, duplicate: false, tier_code: "standard", tier_changed: false });
    await earned(member);
    const history = await db.query("select reason, details from tier_history where member_id = $1 and reason = 'upgrade'", [member]);
    expect(history.rows[0]).toMatchObject({ reason: "upgrade", details: { growth: 2345, threshold: 2000, order_no: `T-${run}-1` } });
    // earned at the tier of the purchase (standard), not the one it led to
    expect(await books(member)).toEqual({ balance: 2345, ledger: 2345, lots: 2345 });
    const entry = await db.query("select points from ledger_entries where idempotency_key = $1", [`txn:${data.transaction_id}:earn`]);
    expect(entry.rows).toEqual([{ points: 2345 }]);
  });

  it("the same order sent 20 times in parallel is recorded and earned once", async () => {
    const member = await newMember();
    const { client } = await signedIn(demoEmail("staff"));
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.rpc("record_transaction", {
          p_member_id: member, p_business_unit_id: units.mall, p_order_no: `T-${run}-dup`, p_amount: 100,
        }),
      ),
    );
    expect(results.every((r) => r.error === null)).toBe(true);
    expect(results.filter((r) => r.data.duplicate === false)).toHaveLength(1);
    const txns = await db.query("select count(*)::int as n from transactions where member_id = $1", [member]);
    expect(txns.rows[0].n).toBe(1);
    await earned(member);
    expect(await books(member)).toEqual({ balance: 100, ledger: 100, lots: 100 });
  });

  it.each([
    [{ p_amount: -5 }, /amount must be a positive number/],
    [{ p_amount: 10.005 }, /more than 2 decimals/],
    [{ p_order_no: "  " }, /order number is required/],
    [{ p_member_id: "00000000-0000-0000-0000-000000000000" }, /unknown member/],
    [{ p_business_unit_id: "00000000-0000-0000-0000-000000000000" }, /permission denied|unknown business unit/],
  ])("refuses %j and changes nothing", async (override, message) => {
    const member = await newMember();
    const { client } = await signedIn(demoEmail("staff"));
    const before = await db.query("select count(*)::int as n from transactions");
    const { error } = await client.rpc("record_transaction", {
      p_member_id: member, p_business_unit_id: units.mall, p_order_no: `T-${run}-bad-${Math.random()}`, p_amount: 10,
      ...override,
    });
    expect(error?.message).toMatch(message);
    const after = await db.query("select count(*)::int as n from transactions");
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await books(member)).toEqual({ balance: 0, ledger: 0, lots: 0 });
  });

  it("staff of the mall cannot record for the hotel; analysts cannot record at all", async () => {
    const member = await newMember();
    const staff = await signedIn(demoEmail("staff"));
    const hotel = await staff.client.rpc("record_transaction", {
      p_member_id: member, p_business_unit_id: units.hotel, p_order_no: `T-${run}-h`, p_amount: 10,
    });
    expect(hotel.error?.code).toBe("42501");
    const analyst = await signedIn(demoEmail("analyst"));
    const denied = await analyst.client.rpc("record_transaction", {
      p_member_id: member, p_business_unit_id: units.mall, p_order_no: `T-${run}-a`, p_amount: 10,
    });
    expect(denied.error?.code).toBe("42501");
    expect(await books(member)).toEqual({ balance: 0, ledger: 0, lots: 0 });
  });
});

describe("tier review", () => {
  it("downgrades only at the end of the review period, by that period's growth", async () => {
    const member = await newMember("gold");
    await db.query("update members set growth_value = 2500, tier_reviewed_at = now() - interval '13 months' where id = $1", [member]);
    const fresh = await newMember("gold");
    await db.query("update members set growth_value = 0 where id = $1", [fresh]);
    await db.query("select review_tiers(now())");
    const { rows } = await db.query(
      "select m.id, t.code, m.growth_value from members m join tiers t on t.id = m.tier_id where m.id = any($1)",
      [[member, fresh]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[member]).toMatchObject({ code: "silver", growth_value: 0 });
    expect(byId[fresh]).toMatchObject({ code: "gold" });
    const history = await db.query("select reason, details from tier_history where member_id = $1", [member]);
    expect(history.rows).toEqual([{ reason: "review", details: { growth: 2500 } }]);
  });
});

describe("merge_members", () => {
  it("previews, then moves points, transactions and identities to the survivor, keeping every invariant", async () => {
    const survivor = await newMember("silver");
    const duplicate = await newMember("gold");
    await db.query("select record_transaction($1, $2, $3, 500)", [survivor, units.mall, `M-${run}-1`]);
    await db.query("select record_transaction($1, $2, $3, 300)", [duplicate, units.mall, `M-${run}-2`]);
    await db.query("select record_transaction($1, $2, $3, 200)", [duplicate, units.mall, `M-${run}-3`]);
    await db.query("insert into member_identities (member_id, business_unit_id, external_id) values ($1, $2, $3)", [
      duplicate, units.hotel, `H-${run}`,
    ]);
    await earned(survivor);
    await earned(duplicate);
    // silver 500 × 1.2 = 600; gold (300 + 200) × 1.5 = 750
    const { client } = await signedIn(demoEmail("manager"));
    const preview = await client.rpc("merge_members", { p_survivor_id: survivor, p_merged_id: duplicate });
    expect(preview.error).toBeNull();
    expect(preview.data).toMatchObject({ confirmed: false, balance_after: 1350, moved: { points: 750, lots: 2, transactions: 2, identities: 1 } });
    expect(await books(duplicate)).toEqual({ balance: 750, ledger: 750, lots: 750 });

    const done = await client.rpc("merge_members", { p_survivor_id: survivor, p_merged_id: duplicate, p_confirm: true });
    expect(done.error).toBeNull();
    expect(done.data).toMatchObject({ confirmed: true, balance_after: 1350, points_moved: 750 });
    expect(await books(survivor)).toEqual({ balance: 1350, ledger: 1350, lots: 1350 });
    expect(await books(duplicate)).toEqual({ balance: 0, ledger: 0, lots: 0 });
    const moved = await db.query(
      `select (select count(*)::int from transactions where member_id = $1) as txns,
              (select count(*)::int from member_identities where member_id = $1) as ids,
              (select t.code from members m join tiers t on t.id = m.tier_id where m.id = $1) as tier,
              (select status || ':' || (merged_into = $1) from members where id = $2) as dup`,
      [survivor, duplicate],
    );
    expect(moved.rows[0]).toEqual({ txns: 3, ids: 1, tier: "gold", dup: "cancelled:true" });

    const again = await client.rpc("merge_members", { p_survivor_id: survivor, p_merged_id: duplicate, p_confirm: true });
    expect(again.error?.message).toMatch(/already merged/);
  });

  it("is refused for staff and analysts", async () => {
    const a = await newMember();
    const b = await newMember();
    for (const role of ["staff", "analyst"] as const) {
      const { client } = await signedIn(demoEmail(role));
      const { error } = await client.rpc("merge_members", { p_survivor_id: a, p_merged_id: b, p_confirm: true });
      expect(error?.code, role).toBe("42501");
    }
    const status = await db.query("select count(*)::int as n from members where id = any($1) and status = 'active'", [[a, b]]);
    expect(status.rows[0].n).toBe(2);
  });
});
