import { beforeEach, describe, expect, it } from "vitest";
import { clearRuleCache, compileRule, evaluateRule, interpretRule, RuleValidationError } from "./index";

beforeEach(() => clearRuleCache());

describe("evaluateRule", () => {
  const rule = { if: [{ ">=": [{ var: "amount" }, 100] }, { "*": [{ var: "amount" }, 2] }, 0] };

  it("validates, compiles and runs", () => {
    expect(evaluateRule(rule, { amount: 150 })).toBe(300);
    expect(evaluateRule(rule, { amount: 50 })).toBe(0);
  });

  it("caches by the caller's key: one key means one rule", () => {
    expect(evaluateRule(rule, { amount: 150 }, { cacheKey: "earn-1@3" })).toBe(300);
    expect(evaluateRule({ var: "amount" }, { amount: 150 }, { cacheKey: "earn-1@3" })).toBe(300);
    expect(evaluateRule({ var: "amount" }, { amount: 150 }, { cacheKey: "earn-1@4" })).toBe(150);
    clearRuleCache();
    expect(evaluateRule({ var: "amount" }, { amount: 150 }, { cacheKey: "earn-1@3" })).toBe(150);
  });

  it("reads a path shared within a rule afresh on every evaluation", () => {
    const twice = compileRule({ "+": [{ var: "a.b" }, { var: "a.b" }] });
    const data = { a: { b: 1 } };
    expect(twice(data)).toBe(2);
    data.a.b = 5;
    expect(twice(data)).toBe(10);
  });

  it("caches by rule object identity without a key", () => {
    const mutable: Record<string, unknown> = { var: "a" };
    expect(evaluateRule(mutable, { a: 1, b: 2 })).toBe(1);
    mutable.var = "b";
    expect(evaluateRule(mutable, { a: 1, b: 2 })).toBe(1);
    expect(evaluateRule({ var: "b" }, { a: 1, b: 2 })).toBe(2);
  });

  it("does not cache a rule that failed validation", () => {
    const bad = { nope: [1] };
    for (let i = 0; i < 2; i++) {
      expect(() => evaluateRule(bad, {}, { cacheKey: "bad@1" })).toThrow(RuleValidationError);
    }
  });

  it("takes the installation context per evaluation", () => {
    const birthday = { is_birthday_month: [{ var: "birthday" }, { var: "at" }] };
    const data = { birthday: "1990-03-09", at: "2025-03-31T16:30:00Z" };
    expect(evaluateRule(birthday, data, { cacheKey: "b@1" })).toBe(false);
    expect(evaluateRule(birthday, data, { cacheKey: "b@1", context: { timeZone: "UTC" } })).toBe(true);
  });

  it("applies custom limits", () => {
    const many = { map: [{ var: "xs" }, 1] };
    const data = { xs: [1, 2, 3] };
    expect(evaluateRule(many, data, { cacheKey: "m@1" })).toEqual([1, 1, 1]);
    expect(() => evaluateRule(many, data, { cacheKey: "m@1", limits: { maxIterations: 2 } })).toThrow(/evaluation limit/);
    expect(() => evaluateRule({ "!": [{ "!": [true] }] }, {}, { limits: { maxDepth: 1 } })).toThrow(RuleValidationError);
  });
});

describe("compiled results", () => {
  it("are fresh arrays the caller may change", () => {
    const rule = compileRule({ if: [{ var: "x" }, [1, [2]], []] });
    const first = rule({ x: true }) as unknown[];
    first.push(3);
    (first[1] as unknown[]).push(4);
    expect(rule({ x: true })).toEqual([1, [2]]);
    expect(interpretRule({ var: ["missing", [1]] }, {})).toEqual([1]);
    const withDefault = compileRule({ var: ["missing", [1]] });
    (withDefault({}) as unknown[]).push(2);
    expect(withDefault({})).toEqual([1]);
  });

  it("share nothing between evaluations of the same compiled rule", () => {
    const rule = compileRule({ reduce: [{ var: "xs" }, { merge: [{ var: "accumulator" }, { var: "current" }] }, []] });
    expect(rule({ xs: [1, 2] })).toEqual([1, 2]);
    expect(rule({ xs: [3] })).toEqual([3]);
  });
});
