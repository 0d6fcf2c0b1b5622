/**
 * What-if: the pure simulation over rows, and the engine job behind what_if_runs (a draft rule version
 * simulated over real transactions), which writes nothing but its own row.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { RuleBook, type RuleRecord } from "../../engine/evaluate.ts";
import { WhatIfSimulation, type WhatIfMember } from "../../engine/what-if.ts";
import { demoEmail, signedIn } from "../db/stack-env.ts";
import { insertTransaction, newMembers, publish, testUnit, uniqueName, waitEarned, waitFor, withTestEngine } from "./helpers.ts";

const DAY = 86_400_000;

const rule = (over: Partial<RuleRecord> & Pick<RuleRecord, "key" | "kind" | "logic">): RuleRecord => ({
  id: `${over.key}-id`, version: 1, business_unit_id: null, priority: 100, lot_kind: null, active_from: null, active_to: null,
  published_at: "2020-01-01T00:00:00Z", superseded_at: null, ...over,
});

describe("WhatIfSimulation (pure)", () => {
  it("compares simulated with issued points and outstanding points per unit and tier", () => {
    const book = new RuleBook(
      [
        rule({ key: "double", kind: "earning", logic: { floor: [{ "*": [{ var: "transaction.amount" }, 2] }] } }),
        rule({ key: "short", kind: "expiry", logic: 30 }),
      ],
      [{ kind: "earning", business_unit_id: null, combination: "sum" }, { kind: "expiry", business_unit_id: null, combination: "first" }],
    );
    const units = new Map([["u1", { id: "u1", code: "mall", kind: "mall" }], ["u2", { id: "u2", code: "hotel", kind: "hotel" }]]);
    const member = (tier: string): WhatIfMember => ({ tier, tags: [], birthday: null, growth_value: 0, joined_at: "2024-01-01T00:00:00.000Z" });
    const members = new Map([["m1", member("standard")], ["m2", member("gold")]]);
    const asOf = Date.parse("2026-06-30T00:00:00Z");
    const sim = new WhatIfSimulation(book, units, members, asOf);
    sim.add([
      { member_id: "m1", business_unit_id: "u1", amount: 100, channel: "pos", occurred_ms: asOf - 10 * DAY, issued: 100, issued_live: 100 },
      { member_id: "m1", business_unit_id: "u1", amount: 50.5, channel: "pos", occurred_ms: asOf - 40 * DAY, issued: 50, issued_live: 50 },
    ]);
    sim.add([{ member_id: "m2", business_unit_id: "u2", amount: 10, channel: "app", occurred_ms: asOf - DAY, issued: 0, issued_live: 0 }]);
    const report = sim.result();
    expect(report.transactions).toBe(3);
    expect(report.by_unit_tier).toEqual([
      { business_unit: "hotel", tier: "gold", transactions: 1, issued: 0, simulated: 20, delta: 20, issued_outstanding: 0, simulated_outstanding: 20, liability_delta: 20 },
      // the 40-day-old purchase's simulated lot (30 days) has expired: only 200 of 301 stay outstanding
      { business_unit: "mall", tier: "standard", transactions: 2, issued: 150, simulated: 301, delta: 151, issued_outstanding: 150, simulated_outstanding: 200, liability_delta: 50 },
    ]);
    expect(report.totals).toMatchObject({ transactions: 3, issued: 150, simulated: 321, delta: 171, liability_delta: 70 });
  });
});

describe("what_if_runs", () => {
  let db: pg.Client;
  withTestEngine((client) => (db = client));

  it("simulates a draft over real transactions, reports per unit and tier with progress, and writes nothing else", async () => {
    const unit = await testUnit(db);
    const code = (await db.query("select code from business_units where id = $1", [unit])).rows[0].code;
    const members = await newMembers(db, 3);
    const key = uniqueName("wi");
    await publish(db, { key, unit, logic: { floor: [{ var: "transaction.amount" }] } });
    const amounts = [10.5, 20, 30.25, 40, 55.5, 60, 70.75, 80, 99.99, 100];
    const ids = [];
    for (const [i, a] of amounts.entries()) ids.push(await insertTransaction(db, members[i % 3], unit, a));
    await waitEarned(db, ids);
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 2, 'earning', $2, 'triple', $3)", [
      key, unit, JSON.stringify({ floor: [{ "*": [{ var: "transaction.amount" }, 3] }] }),
    ]);
    const writes = async () => (await db.query(
      "select (select count(*) from ledger_entries)::int as entries, (select count(*) from transaction_earnings)::int as earnings, (select count(*) from rules where status = 'published')::int as published")).rows[0];
    const before = await writes();

    const analyst = await signedIn(demoEmail("analyst"));
    const requested = await analyst.client.from("what_if_runs").insert({ rule_keys: [key], days: 1 }).select("id, status").single();
    expect(requested.error).toBeNull();
    expect(requested.data!.status).toBe("queued");
    const done = await waitFor("the what-if run", async () => {
      const { data } = await analyst.client.from("what_if_runs").select("status, progress, result, error").eq("id", requested.data!.id).single();
      return data && (data.status === "done" || data.status === "failed") ? data : undefined;
    }, 60_000, 200);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: "done", progress: 1 });
    const cell = done.result.by_unit_tier.find((c: { business_unit: string }) => c.business_unit === code);
    const issued = amounts.reduce((s, a) => s + Math.floor(a), 0);
    const simulated = amounts.reduce((s, a) => s + Math.floor(a * 3), 0);
    expect(cell).toEqual({
      business_unit: code, tier: "standard", transactions: 10, issued, simulated, delta: simulated - issued,
      issued_outstanding: issued, simulated_outstanding: simulated, liability_delta: simulated - issued,
    });
    expect(done.result.rules).toContainEqual({ key, version: 2, source: "draft" });
    expect(await writes()).toEqual(before);
    expect((await db.query("select status from rules where key = $1 and version = 2", [key])).rows[0].status).toBe("draft");

    const staff = await signedIn(demoEmail("staff"));
    const denied = await staff.client.from("what_if_runs").insert({ rule_keys: [key], days: 1 });
    expect(denied.error?.code).toBe("42501");
  });
});
