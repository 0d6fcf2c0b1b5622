/**
 * The second fence: the evaluation thread (earning, tagging, reminders) is ended when it does not answer in
 * time or runs out of heap, the batch fails with the cause, and the next batch gets a fresh thread (the
 * engine itself is untouched).
 */
import { describe, expect, it } from "vitest";
import { RuleBook, type RuleRecord } from "../../core/evaluation/index.ts";
import { EvaluationSandbox } from "../../engine/evaluation-sandbox.ts";
import type { EarnItem } from "../../engine/evaluation-tasks.ts";
import type { LoadedBook } from "../../engine/store.ts";
import { clockBomb } from "../../core/rules/fixtures/hostile-rules.ts";

const record: RuleRecord = {
  id: "r1", key: "base", version: 1, kind: "earning", business_unit_id: null, priority: 100, lot_kind: null,
  logic: { floor: [{ var: "transaction.amount" }] }, active_from: null, active_to: null, published_at: "2020-01-01T00:00:00Z", superseded_at: null,
};
const sets = [{ kind: "earning" as const, business_unit_id: null, combination: "sum" as const }];
const loaded: LoadedBook = { book: new RuleBook([record], sets), generation: "1", source: { records: [record], sets, tierLadder: [] } };
const item: EarnItem = {
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
      const [outcome] = await sandbox.evaluate(loaded, "earn", [item]);
      expect(outcome).toMatchObject({ points: 42, errors: [] });
      expect(lines).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  it("evaluates tagging and reminder rules in its thread", async () => {
    const tagRule: RuleRecord = {
      ...record, id: "t1", key: "big-spender", kind: "tagging",
      logic: { if: [{ ">": [{ var: "stats.amount_90d" }, 1000] }, ["高消费"], []] },
    };
    const reminderRule: RuleRecord = { ...record, id: "m1", key: "remind", kind: "reminder", logic: [7, 3, 1] };
    const kinds = [...sets, { kind: "tagging" as const, business_unit_id: null, combination: "union" as const },
      { kind: "reminder" as const, business_unit_id: null, combination: "union" as const }];
    const records = [record, tagRule, reminderRule];
    const book: LoadedBook = { book: new RuleBook(records, kinds), generation: "3", source: { records, sets: kinds, tierLadder: [] } };
    const nowMs = Date.parse("2026-06-01T00:00:00Z");
    const member = { tier: "standard", tags: [], birthday: null };
    const stats = (amount: number) => ({
      transactions_90d: 3, amount_90d: amount, transactions_365d: 3, amount_365d: amount, hotel_transactions_365d: 0,
      units_365d: ["mall"], last_transaction_at: null, balance: 0,
    });
    const tagging = (amount: number) => ({
      data: { member: { ...member, growth_value: 0, joined_at: "2025-01-01T00:00:00.000Z", home_business_unit: null }, stats: stats(amount), now: "2026-06-01T00:00:00.000Z" },
      nowMs,
    });
    const sandbox = new EvaluationSandbox({ info: () => {}, warn: () => {}, error: () => {} });
    try {
      const tags = await sandbox.evaluate(book, "tags", [tagging(5000), tagging(10)]);
      expect(tags.map((t) => t.tags)).toEqual([["高消费"], []]);
      const [reminders] = await sandbox.evaluate(book, "reminders", [{
        data: {
          lot: { id: 1, kind: "shopping", points: 100, earned_at: "2026-01-01T00:00:00.000Z", expires_at: "2026-06-05T00:00:00.000Z", business_unit: { code: "mall", kind: "mall" } },
          member, days_left: 4, now: "2026-06-01T00:00:00.000Z",
        },
        nowMs,
      }]);
      expect(reminders.offsets.map((o) => o.days)).toEqual([1, 3, 7]);
    } finally {
      await sandbox.stop();
    }
  });

  it("is ended when it runs out of its heap; the next batch runs in a fresh thread", async () => {
    const lines: string[] = [];
    const sandbox = new EvaluationSandbox({ info: () => {}, warn: () => {}, error: (l) => lines.push(l) }, { heapMb: 64 });
    try {
      // A batch far larger than the thread's heap: copying it into the thread exhausts the heap.
      const huge = Array.from({ length: 400_000 }, (_, n) => ({ ...item, data: { ...item.data, transaction: { ...item.data.transaction, order_no: `o${n}`.padEnd(200, "x") } } }));
      await expect(sandbox.evaluate(loaded, "earn", huge)).rejects.toThrow("rule evaluation stopped: out of memory (heap limit 64 MB)");
      expect(lines).toEqual(["evaluation thread ended: out of memory (heap limit 64 MB); a new one takes over"]);
      expect((await sandbox.evaluate(loaded, "earn", [item]))[0].points).toBe(42);
    } finally {
      await sandbox.stop();
    }
  });

  it("is ended when it does not answer in time; the next batch runs in a fresh thread", async () => {
    const lines: string[] = [];
    const sandbox = new EvaluationSandbox({ info: () => {}, warn: () => {}, error: (l) => lines.push(l) }, { timeoutMs: 10 });
    // Each evaluation of the slow rule takes tens of milliseconds (at most its 250 ms deadline): 200 of them
    // outlast the batch's deadline of 200 x 10 ms.
    const slowRecord = { ...record, id: "slow", key: "slow", logic: clockBomb };
    const slow: LoadedBook = { book: new RuleBook([slowRecord], sets), generation: "2", source: { records: [slowRecord], sets, tierLadder: [] } };
    try {
      await expect(sandbox.evaluate(slow, "earn", Array(200).fill(item))).rejects.toThrow("rule evaluation stopped: no answer within 2000 ms");
      expect(lines).toEqual(["evaluation thread ended: no answer within 2000 ms; a new one takes over"]);
      expect((await sandbox.evaluate(loaded, "earn", [item]))[0].points).toBe(42);
    } finally {
      await sandbox.stop();
    }
  });
});
