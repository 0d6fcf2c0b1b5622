/**
 * Settlement rules evaluated in SQL (private.settlement_value, in the event's transaction) give what the app's and
 * the engine's evaluator (core/rules, used by the rules centre's test bench and test cases) gives: the seeded rules
 * over random events, and every operation of the subset; the subset is the same on both sides; a rule using another
 * operation is refused when written.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTLEMENT_OPERATIONS, type SettlementData } from "../../core/rule-kinds/kinds/settlement.ts";
import { evaluateRule } from "../../core/rules/index.ts";
import { ROOT } from "../../stack/config.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  await db?.end();
});

const sqlValue = async (logic: unknown, data: unknown) =>
  (await db.query("select private.settlement_value($1::jsonb, $2::jsonb) as v", [JSON.stringify(logic), JSON.stringify(data)])).rows[0].v as unknown;
const same = (ts: unknown, sql: unknown) => {
  if (typeof ts === "number" && typeof sql === "number") return Math.abs(ts - sql) < 1e-9 * Math.max(1, Math.abs(ts));
  return JSON.stringify(ts ?? null) === JSON.stringify(sql ?? null);
};

describe("settlement rules: SQL and core/rules agree", () => {
  it("the operations SQL evaluates are SETTLEMENT_OPERATIONS", async () => {
    const { rows } = await db.query("select private.settlement_operations() as ops");
    expect(rows[0].ops).toEqual([...SETTLEMENT_OPERATIONS]);
  });

  it("the seeded rules over 400 random events", async () => {
    const file = JSON.parse(fs.readFileSync(path.join(ROOT, "workflows", "rules", "settlement.json"), "utf8")) as { rules: { key: string; logic: unknown }[] };
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const units = [["mall", "mall"], ["hotel", "hotel"], ["office", "office"], ["property", "property"]] as const;
    const mismatches: unknown[] = [];
    for (let i = 0; i < 400; i++) {
      const [ic, ik] = pick(units);
      const [uc, uk] = pick(units);
      const points = Math.floor(random() * 5000);
      const data: SettlementData = {
        event: { kind: pick(["points_redeem", "coupon_use", "benefit_use", "campaign_cost", "referral"]), points, value_fen: points,
                 face_value_fen: Math.floor(random() * 20000), uses: 1 + Math.floor(random() * 4), benefit_kind: "coupon", campaign: "fair",
                 total_fen: Math.floor(random() * 1e7) },
        issuing_unit: { code: ic, kind: ik },
        using_unit: { code: uc, kind: uk, traffic_share: Math.round(random() * 1e6) / 1e6, revenue_share: Math.round(random() * 1e6) / 1e6 },
        member: { tier: pick(["standard", "silver", "gold", null]) },
      };
      for (const rule of file.rules) {
        const ts = evaluateRule(rule.logic, data);
        const sql = await sqlValue(rule.logic, data);
        if (!same(ts, sql)) mismatches.push({ rule: rule.key, data, ts, sql });
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("every operation of the subset", async () => {
    const data = { a: 7, b: 2.5, s: "hotel", list: ["mall", "hotel"], t: true, z: 0, nested: { x: 3 } };
    const cases: unknown[] = [
      { var: "nested.x" }, { var: ["missing", 42] }, { if: [{ var: "t" }, 1, 2] }, { if: [false, 1, { var: "z" }, 2, 3] },
      { "?:": [{ var: "z" }, 1, 2] }, { and: [1, { var: "s" }] }, { and: [{ var: "z" }, 1] }, { or: [0, "", { var: "a" }] },
      { "!": [{ var: "z" }] }, { "!!": [{ var: "s" }] }, { "==": [{ var: "a" }, 7] }, { "===": [{ var: "s" }, "hotel"] },
      { "!=": [{ var: "a" }, 8] }, { "!==": [{ var: "s" }, "mall"] }, { ">": [{ var: "a" }, { var: "b" }] }, { ">=": [2.5, { var: "b" }] },
      { "<": [1, { var: "b" }, 3] }, { "<=": [{ var: "a" }, 7] }, { in: [{ var: "s" }, { var: "list" }] }, { in: ["ote", { var: "s" }] },
      { "+": [{ var: "a" }, { var: "b" }, 1] }, { "-": [{ var: "a" }, { var: "b" }] }, { "-": [{ var: "a" }] }, { "*": [{ var: "a" }, 1.1] },
      { "/": [{ var: "a" }, 2] }, { "%": [{ var: "a" }, 4] }, { min: [{ var: "a" }, { var: "b" }, 9] }, { max: [{ var: "a" }, 12] },
      { floor: [{ var: "b" }] }, { round: [{ "*": [{ var: "b" }, 3] }] }, { round: [{ var: "b" }] },
    ];
    const mismatches: unknown[] = [];
    for (const logic of cases) {
      const ts = evaluateRule(logic, data);
      const sql = await sqlValue(logic, data);
      if (!same(ts, sql)) mismatches.push({ logic, ts, sql });
    }
    expect(mismatches).toEqual([]);
  });

  it("a settlement rule using another operation is refused when written; other kinds are not affected", async () => {
    const key = `t-settle-cat-${Date.now().toString(36)}`;
    await expect(db.query(
      "insert into rules (key, version, kind, name, logic) values ($1, 1, 'settlement', '测试', $2)",
      [key, JSON.stringify({ if: [{ "==": [{ var: "event.kind" }, "referral"] }, { cat: ["1", "2"] }, null] })],
    )).rejects.toMatchObject({ hint: "settlement_rule_invalid" });
    expect((await db.query("select count(*)::int as n from rules where key = $1", [key])).rows[0].n).toBe(0);
    await db.query("begin");
    try {
      await db.query("insert into rules (key, version, kind, name, logic) values ($1, 1, 'tagging', '测试', $2)",
        [key, JSON.stringify({ cat: ["a", "b"] })]);
    } finally {
      await db.query("rollback");
    }
  });
});
