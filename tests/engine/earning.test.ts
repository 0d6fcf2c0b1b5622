/**
 * Earning through the engine: record_transaction answers "pending" and the earn job posts the points by
 * the rules in force at the transaction's time; publishing a rule changes the next transaction's points
 * without any restart; zero points, refusals and lot kinds with their own expiry.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { demoEmail, signedIn } from "../db/stack-env.ts";
import { books, insertTransaction, newMembers, publish, sleep, testUnit, uniqueName, waitEarned, withTestEngine } from "./helpers.ts";

let db: pg.Client;
const DAY = 86_400_000;

withTestEngine((client) => (db = client));

describe("record_transaction with the engine", () => {
  it("answers pending at once; the earn job posts the points of the seeded rules moments later", async () => {
    const [member] = await newMembers(db, 1);
    const mall = (await db.query("select id from business_units where code = 'mall'")).rows[0].id;
    const { client } = await signedIn(demoEmail("staff"));
    const { data, error } = await client.rpc("record_transaction", {
      p_member_id: member, p_business_unit_id: mall, p_order_no: uniqueName("T"), p_amount: 188.8,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ duplicate: false, points: null, pending: true, entry_id: null, lot_id: null, balance: 0 });
    const earned = (await waitEarned(db, [data.transaction_id])).get(data.transaction_id);
    // shopping-base: 1 point per yuan for a standard member, floored
    expect(earned).toMatchObject({ points: 188, outcome: "earned" });
    expect(earned.rule_versions.map((r: { key: string }) => r.key)).toContain("shopping-base");
    const entry = await db.query("select points, idempotency_key, transaction_id from ledger_entries where transaction_id = $1", [data.transaction_id]);
    expect(entry.rows).toEqual([{ points: 188, idempotency_key: `txn:${data.transaction_id}:earn`, transaction_id: data.transaction_id }]);

    const again = await client.rpc("record_transaction", {
      p_member_id: member, p_business_unit_id: mall, p_order_no: (await db.query("select order_no from transactions where id = $1", [data.transaction_id])).rows[0].order_no,
      p_amount: 188.8,
    });
    expect(again.data).toMatchObject({ duplicate: true, points: 188, pending: false, balance: 188 });
  });
});

describe("earn jobs", () => {
  it("publishing a new earning rule changes the points of the next transaction, with no restart", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const key = uniqueName("earn");
    await publish(db, { key, unit, logic: { floor: [{ var: "transaction.amount" }] } });
    const first = await insertTransaction(db, member, unit, 100.5);
    expect((await waitEarned(db, [first])).get(first)).toMatchObject({ points: 100, outcome: "earned" });

    await publish(db, { key, unit, logic: { floor: [{ "*": [{ var: "transaction.amount" }, 3] }] } });
    const second = await insertTransaction(db, member, unit, 100.5);
    const earned = (await waitEarned(db, [second])).get(second);
    expect(earned).toMatchObject({ points: 301, outcome: "earned" });
    expect(earned.rule_versions).toEqual([expect.objectContaining({ key, version: 2, points: 301 })]);
    expect(await books(db, [member])).toEqual({ members: 1, inconsistent: 0 });
  });

  it("a transaction that occurred before a version was published earns by the version then in force", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const key = uniqueName("earn");
    await publish(db, { key, unit, logic: 10 });
    const before: Date = (await db.query("select clock_timestamp() as t")).rows[0].t;
    await sleep(5);
    const v2 = await publish(db, { key, unit, logic: 20 });
    expect(v2.version).toBe(2);
    const late = await insertTransaction(db, member, unit, 50, before); // recorded now, occurred before v2
    const now = await insertTransaction(db, member, unit, 50);
    const earned = await waitEarned(db, [late, now]);
    expect(earned.get(late)).toMatchObject({ points: 10 });
    expect(earned.get(now)).toMatchObject({ points: 20 });
    const old = await insertTransaction(db, member, unit, 50, new Date(Date.now() - 3_600_000)); // before v1: no rule
    expect((await waitEarned(db, [old])).get(old)).toMatchObject({ points: 0, outcome: "none" });
    expect((await db.query("select count(*)::int as n from ledger_entries where transaction_id = $1", [old])).rows[0].n).toBe(0);
  });

  it("combines per the rule set's policy, honours active windows, and splits lots by kind with their own expiry", async () => {
    const unit = await testUnit(db, { earning: "sum", expiry: "sum" });
    const [member] = await newMembers(db, 1, "gold");
    const t = uniqueName("r");
    await publish(db, { key: `${t}-base`, unit, logic: { floor: [{ var: "transaction.amount" }] }, lot_kind: "shopping" });
    await publish(db, { key: `${t}-bonus`, unit, logic: 50, lot_kind: "campaign" });
    await publish(db, { key: `${t}-over`, unit, logic: 1000, active_to: new Date(Date.now() - DAY).toISOString() });
    await publish(db, { key: `${t}-days`, kind: "expiry", unit, logic: { if: [{ "==": [{ var: "lot.kind" }, "campaign"] }, 90, 365] } });
    await publish(db, { key: `${t}-gold`, kind: "expiry", unit, logic: { if: [{ ">=": [{ tier_rank: [{ var: "member.tier" }] }, 2] }, 90, null] } });
    const txn = await insertTransaction(db, member, unit, 200);
    const earned = (await waitEarned(db, [txn])).get(txn);
    expect(earned.points).toBe(250);
    const lots = (await db.query(
      `select l.kind, l.original_points, round(extract(epoch from l.expires_at - l.earned_at) / 86400) as days, e.idempotency_key
       from ledger_entries e join point_lots l on l.earn_entry_id = e.id where e.transaction_id = $1 order by l.original_points desc`,
      [txn],
    )).rows;
    expect(lots).toEqual([
      { kind: "shopping", original_points: 200, days: "455", idempotency_key: `txn:${txn}:earn` },
      { kind: "campaign", original_points: 50, days: "180", idempotency_key: `txn:${txn}:earn:campaign` },
    ]);

    await db.query("update rule_sets set combination = 'max' where kind = 'earning' and business_unit_id = $1", [unit]);
    const txn2 = await insertTransaction(db, member, unit, 20);
    expect((await waitEarned(db, [txn2])).get(txn2)).toMatchObject({ points: 50 });
  });

  it("zero points: evaluated once, nothing posted; a frozen member's transaction is refused with the ledger's message", async () => {
    const unit = await testUnit(db);
    const [member, frozen] = await newMembers(db, 2);
    await publish(db, { key: uniqueName("earn"), unit, logic: { if: [{ ">=": [{ var: "transaction.amount" }, 100] }, 10, 0] } });
    const small = await insertTransaction(db, member, unit, 99);
    expect((await waitEarned(db, [small])).get(small)).toMatchObject({ points: 0, outcome: "none" });
    expect((await db.query("select count(*)::int as n from ledger_entries where transaction_id = $1", [small])).rows[0].n).toBe(0);

    await db.query("update members set status = 'frozen' where id = $1", [frozen]);
    const refused = await insertTransaction(db, frozen, unit, 500);
    const row = (await waitEarned(db, [refused])).get(refused);
    expect(row).toMatchObject({ points: 0, outcome: "refused" });
    expect(row.error).toMatch(/frozen/);
    expect(await books(db, [member, frozen])).toEqual({ members: 2, inconsistent: 0 });
  });

  it("earns at the tier the member had when the transaction occurred (an upgrade its growth causes counts from the next one)", async () => {
    const [member] = await newMembers(db, 1);
    const mall = (await db.query("select id from business_units where code = 'mall'")).rows[0].id;
    const { rows } = await db.query("select record_transaction($1, $2, $3, 2345.67) as r", [member, mall, uniqueName("T")]);
    expect(rows[0].r).toMatchObject({ tier_code: "standard", tier_changed: false, pending: true });
    const first = await waitEarned(db, [rows[0].r.transaction_id]);
    expect(first.get(rows[0].r.transaction_id).points).toBe(2345); // standard: 1 per yuan
    // its growth (posted with its points) upgraded the member
    expect((await db.query("select t.code from members m join tiers t on t.id = m.tier_id where m.id = $1", [member])).rows[0].code).toBe("silver");
    const next = await db.query("select record_transaction($1, $2, $3, 100) as r", [member, mall, uniqueName("T")]);
    const earned = await waitEarned(db, [next.rows[0].r.transaction_id]);
    expect(earned.get(next.rows[0].r.transaction_id).points).toBe(120); // silver: 1.2 per yuan
  });
});
