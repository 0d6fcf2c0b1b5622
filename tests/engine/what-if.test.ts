/**
 * What-if: the pure simulation over rows, and the engine job behind what_if_runs (a draft rule version
 * simulated over real transactions), which writes nothing but its own row.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { RuleBook, type RuleRecord, type RuleSetRecord } from "../../core/evaluation/index.ts";
import { scenarioRuleSets, WhatIfSimulation, type WhatIfMember, type WhatIfRow } from "../../engine/what-if.ts";
import { demoEmail, signedIn } from "../db/stack-env.ts";
import { insertTransaction, newMembers, publish, testUnit, uniqueName, waitEarned, waitFor, withTestEngine } from "./helpers.ts";

const DAY = 86_400_000;

const rule = (over: Partial<RuleRecord> & Pick<RuleRecord, "key" | "kind" | "logic">): RuleRecord => ({
  id: `${over.key}-id`, version: 1, business_unit_id: null, priority: 100, lot_kind: null, active_from: null, active_to: null,
  published_at: "2020-01-01T00:00:00Z", superseded_at: null, ...over,
});

const units = new Map([["u1", { id: "u1", code: "mall", kind: "mall" }], ["u2", { id: "u2", code: "hotel", kind: "hotel" }]]);
const member = (tier: string): WhatIfMember => ({ tier, tags: [], birthday: null, growth_value: 0, joined_at: "2024-01-01T00:00:00.000Z" });
const members = new Map([["m1", member("standard")], ["m2", member("gold")]]);
const asOf = Date.parse("2026-06-30T00:00:00Z");
const groupSets: RuleSetRecord[] = [{ kind: "earning", business_unit_id: null, combination: "sum" }, { kind: "expiry", business_unit_id: null, combination: "first" }];
const base = rule({ key: "base", kind: "earning", logic: { floor: [{ var: "transaction.amount" }] } });
const short = rule({ key: "short", kind: "expiry", logic: 30 });
/** Rows that were issued differently from the rules now (other rules were in force then). */
const rows = (): WhatIfRow[] => [
  { member_id: "m1", business_unit_id: "u1", amount: 100, channel: "pos", occurred_ms: asOf - 10 * DAY, issued: 7, issued_live: 7 },
  { member_id: "m1", business_unit_id: "u1", amount: 50.5, channel: "pos", occurred_ms: asOf - 40 * DAY, issued: 9, issued_live: 0 },
  { member_id: "m2", business_unit_id: "u2", amount: 10, channel: "app", occurred_ms: asOf - DAY, issued: 0, issued_live: 0 },
];

describe("WhatIfSimulation (pure)", () => {
  it("compares the rules in force with and without the draft; what was issued is reported beside, not compared", () => {
    const baseline = new RuleBook([base, short], groupSets);
    const scenario = new RuleBook([rule({ ...base, id: "base-v2", version: 2, logic: { floor: [{ "*": [{ var: "transaction.amount" }, 2] }] } }), short], groupSets);
    const sim = new WhatIfSimulation(scenario, baseline, units, members, asOf);
    sim.add(rows());
    const report = sim.result();
    expect(report.transactions).toBe(3);
    expect(report.by_unit_tier).toEqual([
      { business_unit: "hotel", tier: "gold", transactions: 1, issued: 0, baseline: 10, simulated: 20, delta: 10,
        issued_outstanding: 0, baseline_outstanding: 10, simulated_outstanding: 20, liability_delta: 10,
        baseline_growth: 0, simulated_growth: 0, growth_delta: 0 },
      // the 40-day-old purchase's lot (30 days) has expired under both books: only the recent one stays outstanding
      { business_unit: "mall", tier: "standard", transactions: 2, issued: 16, baseline: 150, simulated: 301, delta: 151,
        issued_outstanding: 7, baseline_outstanding: 100, simulated_outstanding: 200, liability_delta: 100,
        baseline_growth: 0, simulated_growth: 0, growth_delta: 0 },
    ]);
    expect(report.totals).toMatchObject({ transactions: 3, issued: 16, baseline: 160, simulated: 321, delta: 161, liability_delta: 110 });
  });

  it("shows growth beside points, and the members whose tier would change by growth or by the tier rules", () => {
    const sets: RuleSetRecord[] = [...groupSets, { kind: "growth", business_unit_id: null, combination: "sum" }, { kind: "tier", business_unit_id: null, combination: "first" }];
    const growth = rule({ key: "growth", kind: "growth", logic: { floor: [{ var: "transaction.amount" }] } });
    const baseline = new RuleBook([base, short, growth], sets);
    const scenario = new RuleBook([
      base, short,
      rule({ ...growth, id: "growth-v2", version: 2, logic: { floor: [{ "*": [{ var: "transaction.amount" }, 2] }] } }),
      rule({ key: "gold-to-diamond", kind: "tier", logic: { if: [{ "==": [{ var: "member.tier" }, "gold"] }, "diamond", null] } }),
    ], sets);
    const thresholds = [0, 150, 10_000, 50_000];
    const sim = new WhatIfSimulation(scenario, baseline, units, members, asOf, new Set(["growth", "gold-to-diamond"]), thresholds);
    sim.add(rows());
    const report = sim.result();
    expect(report.by_unit_tier.map((c) => [c.business_unit, c.baseline_growth, c.simulated_growth, c.growth_delta])).toEqual([
      ["hotel", 10, 20, 10], ["mall", 150, 301, 151]]);
    expect(report.totals).toMatchObject({ baseline_growth: 160, simulated_growth: 321, growth_delta: 161 });
    // m1 (growth 0): 151 more growth reaches silver (150) only with the draft; m2 (gold) holds diamond by the tier rule
    expect(report.tier_changes).toEqual([
      { from: "standard", to: "silver", members: 1 },
      { from: "standard", to: "diamond", members: 1 },
    ]);
    // two partitions of the same members merge their growth before tiers are decided
    const a = new WhatIfSimulation(scenario, baseline, units, members, asOf, new Set(), thresholds);
    const b = new WhatIfSimulation(scenario, baseline, units, members, asOf, new Set(), thresholds);
    const [r1, r2, r3] = rows();
    a.add([r1, r3]);
    b.add([r2]);
    expect(WhatIfSimulation.fromParts(asOf, [a.part(), b.part()]).tier_changes).toEqual(report.tier_changes);
  });

  it("reports zero difference for a draft that is an unchanged copy of the published version", () => {
    const baseline = new RuleBook([base, short], groupSets);
    const scenario = new RuleBook([rule({ ...base, id: "base-copy", version: 2 }), short], groupSets);
    const sim = new WhatIfSimulation(scenario, baseline, units, members, asOf);
    sim.add(rows());
    const { totals, by_unit_tier } = sim.result();
    expect(totals).toMatchObject({ issued: 16, baseline: 160, simulated: 160, delta: 0, liability_delta: 0 });
    expect(by_unit_tier.every((c) => c.delta === 0 && c.liability_delta === 0)).toBe(true);
  });

  it("changes only the draft's business unit, which gets the set publish_rule would create for it", () => {
    const hotelDraft = rule({ key: "hotel-ten", kind: "earning", business_unit_id: "u2", logic: 10, published_at: null });
    const sets = scenarioRuleSets(groupSets, [hotelDraft]);
    expect(sets).toContainEqual({ kind: "earning", business_unit_id: "u2", combination: "sum" });
    const baseline = new RuleBook([base, short], groupSets);
    const scenario = new RuleBook([base, short, hotelDraft], sets);
    const sim = new WhatIfSimulation(scenario, baseline, units, members, asOf);
    sim.add(rows());
    const cells = Object.fromEntries(sim.result().by_unit_tier.map((c) => [c.business_unit, c]));
    expect(cells.mall).toMatchObject({ baseline: 150, simulated: 150, delta: 0, liability_delta: 0 });
    // the hotel's own set holds only the hotel rule (the group's rules no longer apply there)
    expect(cells.hotel).toMatchObject({ baseline: 10, simulated: 10, delta: 0 });
    sim.add([{ member_id: "m2", business_unit_id: "u2", amount: 500, channel: "app", occurred_ms: asOf - DAY, issued: 0, issued_live: 0 }]);
    expect(sim.result().by_unit_tier.find((c) => c.business_unit === "hotel")).toMatchObject({ baseline: 510, simulated: 20, delta: -490 });
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
    // v1 was in force when the purchases were earned: the rules now give what was issued then
    expect(cell).toEqual({
      business_unit: code, tier: "standard", transactions: 10, issued, baseline: issued, simulated, delta: simulated - issued,
      issued_outstanding: issued, baseline_outstanding: issued, simulated_outstanding: simulated, liability_delta: simulated - issued,
      // growth by the seeded growth rules (1 per yuan at a mall), which the earning draft leaves as it is
      baseline_growth: issued, simulated_growth: issued, growth_delta: 0,
    });
    expect(done.result.tier_changes).toEqual([]);
    expect(done.result.rules).toContainEqual({ key, version: 2, source: "draft" });
    expect(await writes()).toEqual(before);
    expect((await db.query("select status from rules where key = $1 and version = 2", [key])).rows[0].status).toBe("draft");

    const staff = await signedIn(demoEmail("staff"));
    const denied = await staff.client.from("what_if_runs").insert({ rule_keys: [key], days: 1 });
    expect(denied.error?.code).toBe("42501");
  });

  it("shows zero difference for an unchanged copy of a published rule, even where issuing differed at the time", async () => {
    const unit = await testUnit(db);
    const code = (await db.query("select code from business_units where id = $1", [unit])).rows[0].code;
    const [member] = await newMembers(db, 1);
    await publish(db, { key: uniqueName("wi-base"), unit, logic: { floor: [{ var: "transaction.amount" }] } });
    const ids = [await insertTransaction(db, member, unit, 120), await insertTransaction(db, member, unit, 80.5)];
    await waitEarned(db, ids);
    // A bonus published after the purchases were earned, then copied unchanged into a draft.
    const bonus = uniqueName("wi-bonus");
    await publish(db, { key: bonus, unit, logic: 5 });
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 2, 'earning', $2, 'copy', '5')", [bonus, unit]);
    await db.query("insert into what_if_runs (rule_keys, days) values ($1, 1)", [[bonus]]);
    const done = await waitFor("the what-if run", async () => {
      const { rows } = await db.query("select status, result, error from what_if_runs where $1 = any(rule_keys) order by created_at desc limit 1", [bonus]);
      return rows[0]?.status === "done" || rows[0]?.status === "failed" ? rows[0] : undefined;
    }, 60_000, 200);
    expect(done.error).toBeNull();
    const cell = done.result.by_unit_tier.find((c: { business_unit: string }) => c.business_unit === code);
    expect(cell).toMatchObject({ transactions: 2, issued: 200, baseline: 210, simulated: 210, delta: 0, liability_delta: 0 });
    expect(done.result.totals).toMatchObject({ delta: 0, liability_delta: 0 });
  });
});
