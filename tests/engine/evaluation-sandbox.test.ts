/**
 * The second fence: the earn evaluation thread is ended when it does not answer in time, the batch fails
 * with the cause, and the next batch gets a fresh thread (the engine itself is untouched).
 */
import { describe, expect, it } from "vitest";
import { RuleBook, type RuleRecord } from "../../core/evaluation/index.ts";
import { EvaluationSandbox, type SandboxItem } from "../../engine/evaluation-sandbox.ts";
import type { LoadedBook } from "../../engine/store.ts";
import { clockBomb } from "../../core/rules/fixtures/hostile-rules.ts";

const record: RuleRecord = {
  id: "r1", key: "base", version: 1, kind: "earning", business_unit_id: null, priority: 100, lot_kind: null,
  logic: { floor: [{ var: "transaction.amount" }] }, active_from: null, active_to: null, published_at: "2020-01-01T00:00:00Z", superseded_at: null,
};
const sets = [{ kind: "earning" as const, business_unit_id: null, combination: "sum" as const }];
const loaded: LoadedBook = { book: new RuleBook([record], sets), generation: "1", source: { records: [record], sets, tierLadder: [] } };
const item: SandboxItem = {
  businessUnitId: "u1",
  occurredMs: Date.parse("2026-01-01T00:00:00Z"),
  data: {
    transaction: { amount: 42.5, channel: "pos", occurred_at: "2026-01-01T00:00:00.000Z", order_no: "o1", items: [], business_unit: { code: "mall", kind: "mall" } },
    member: { tier: "standard", tags: [], birthday: null, growth_value: 0, joined_at: "2025-01-01T00:00:00.000Z", status: "active", home_business_unit: null },
  },
};

describe("the evaluation thread", () => {
  it("evaluates in its thread", async () => {
    const lines: string[] = [];
    const sandbox = new EvaluationSandbox({ info: () => {}, warn: () => {}, error: (l) => lines.push(l) });
    try {
      const [outcome] = await sandbox.evaluate(loaded, [item]);
      expect(outcome).toMatchObject({ points: 42, errors: [] });
      expect(lines).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  it("is ended when it does not answer in time; the next batch runs in a fresh thread", async () => {
    const lines: string[] = [];
    const sandbox = new EvaluationSandbox({ info: () => {}, warn: () => {}, error: (l) => lines.push(l) }, { timeoutMs: 3000 });
    // Each evaluation of the slow rule takes tens of milliseconds (at most its 250 ms deadline): 200 of them outlast 3 s.
    const slowRecord = { ...record, id: "slow", key: "slow", logic: clockBomb };
    const slow: LoadedBook = { book: new RuleBook([slowRecord], sets), generation: "2", source: { records: [slowRecord], sets, tierLadder: [] } };
    try {
      await expect(sandbox.evaluate(slow, Array(200).fill(item))).rejects.toThrow("rule evaluation stopped: no answer within 3000 ms");
      expect(lines).toEqual(["evaluation thread ended: no answer within 3000 ms; a new one takes over"]);
      expect((await sandbox.evaluate(loaded, [item]))[0].points).toBe(42);
    } finally {
      await sandbox.stop();
    }
  });
});
