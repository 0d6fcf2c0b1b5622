/**
 * Hostile rules: refused by publish_rule, or, when written straight into the table as published, skipped
 * by the engine with a clear rule_errors row. The worker neither crashes nor hangs, and the valid rules
 * of the same set keep earning.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { insertTransaction, newMembers, publish, testUnit, uniqueName, waitEarned, withTestEngine } from "./helpers.ts";

let db: pg.Client;

const nest = (depth: number, leaf: unknown = 1): unknown => {
  let node = leaf;
  for (let i = 0; i < depth; i++) node = { "+": [node, 1] };
  return node;
};

const HUNDRED = Array.from({ length: 100 }, (_, i) => i);

/** Documents no rule may be: each is refused by publish_rule and skipped by the engine. */
const HOSTILE: [string, unknown, RegExp][] = [
  ["deep nesting", nest(40), /deeper than 32/],
  ["huge array", { in: [{ var: "transaction.channel" }, Array.from({ length: 5000 }, (_, i) => `c${i}`)] }, /longer than 1000/],
  ["__proto__ key", JSON.parse('{"__proto__": {"var": "transaction.amount"}}'), /forbidden key/],
  ["constructor path", { var: "transaction.constructor.name" }, /forbidden key/],
  ["prototype key", { prototype: [1] }, /forbidden key|unknown operation/],
  ["unknown operation", { eval: ["process.exit(1)"] }, /unknown operation/],
  ["unknown nested operation", { if: [true, { system: ["rm -rf /"] }, 0] }, /unknown operation/],
  ["object with two operations", { "+": [1, 2], "-": [3, 1] }, /exactly one key/],
  ["too many nodes", { "+": Array.from({ length: 900 }, () => ({ "+": [1, 1, 1, 1, 1] })) }, /more than 5000 nodes|bytes/],
];

withTestEngine((client) => (db = client));

describe("hostile rules", () => {
  it.each(HOSTILE)("publish_rule refuses %s and leaves it a draft", async (_name, logic, message) => {
    const unit = await testUnit(db);
    const key = uniqueName("bad");
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 1, 'earning', $2, $1, $3)", [
      key, unit, JSON.stringify(logic),
    ]);
    await expect(db.query("select publish_rule($1, 1)", [key])).rejects.toThrow(message);
    const { rows } = await db.query("select status, published_at from rules where key = $1", [key]);
    expect(rows).toEqual([{ status: "draft", published_at: null }]);
  });

  it("a 100 KB document is refused by publish_rule", async () => {
    const unit = await testUnit(db);
    const key = uniqueName("big");
    const logic = { cat: Array.from({ length: 900 }, () => "x".repeat(120)) };
    await db.query("insert into rules (key, version, kind, business_unit_id, name, logic) values ($1, 1, 'earning', $2, $1, $3)", [
      key, unit, JSON.stringify(logic),
    ]);
    await expect(db.query("select publish_rule($1, 1)", [key])).rejects.toThrow(/at most 65536/);
  });

  it("published straight into the table: skipped with an error row; runtime failures are reported; the worker carries on", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    const good = uniqueName("good");
    await publish(db, { key: good, unit, logic: { floor: [{ var: "transaction.amount" }] } });
    const straight: [string, unknown][] = [
      ...HOSTILE.map(([name, logic]) => [name, logic] as [string, unknown]),
      ["10,000 levels", nest(10_000)],
    ];
    const ids: Record<string, string> = {};
    for (const [name, logic] of straight) {
      const key = uniqueName("hostile");
      try {
        const { rows } = await db.query(
          `insert into rules (key, version, kind, business_unit_id, name, logic, status)
           values ($1, 1, 'earning', $2, $3, $4, 'published') returning id`,
          [key, unit, name, JSON.stringify(logic)],
        );
        ids[name] = rows[0].id;
      } catch (error) {
        // Postgres itself may refuse a document (e.g. nesting beyond its own stack limit): refused is fine.
        expect((error as Error).message, name).toMatch(/stack depth|too deep|exceed/i);
      }
    }
    // Valid documents that fail or misbehave when run.
    const runtime: [string, unknown, string][] = [
      ["bad argument", { add_days: [{ var: "transaction.channel" }, 1] }, "evaluate"],
      ["runaway work", { map: [HUNDRED, { map: [HUNDRED, { map: [HUNDRED, 1] }] }] }, "evaluate"],
      ["not a number", { cat: ["a", "b"] }, "result"],
      ["negative", -5, "result"],
      ["absurd", 1e12, "result"],
    ];
    for (const [name, logic] of runtime) {
      const key = uniqueName("odd");
      const rule = await publish(db, { key, unit, logic });
      ids[name] = rule.id;
    }

    const started = Date.now();
    const txn = await insertTransaction(db, member, unit, 123.45);
    const earned = (await waitEarned(db, [txn], 30_000)).get(txn);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(earned).toMatchObject({ outcome: "earned", points: 123 });
    expect(earned.rule_versions.map((r: { key: string }) => r.key)).toEqual([good]);

    const errors = (await db.query("select rule_id, stage, message from rule_errors where rule_id = any($1::uuid[])", [Object.values(ids)])).rows;
    const byRule = (name: string) => errors.filter((e) => e.rule_id === ids[name]);
    for (const [name] of straight) {
      if (!ids[name]) continue;
      expect(byRule(name), name).toEqual([expect.objectContaining({ stage: "load", message: expect.stringMatching(/invalid rule|bytes/) })]);
    }
    for (const [name, , stage] of runtime) {
      expect(byRule(name).map((e) => e.stage), name).toEqual([stage]);
    }
    expect(byRule("bad argument")[0].message).toMatch(/add_days/);
    expect(byRule("runaway work")[0].message).toMatch(/limit/);

    // still alive and well: the next transaction earns too
    const next = await insertTransaction(db, member, unit, 10);
    expect((await waitEarned(db, [next])).get(next)).toMatchObject({ points: 10 });
  }, 90_000);
});
