import { describe, expect, it } from "vitest";
import { canonical, runCase, runCases, traceRule } from "./index.ts";

const double = { if: [{ ">=": [{ var: "transaction.amount" }, 100] }, { "*": [{ var: "transaction.amount" }, 2] }, 0] };
const input = (amount: number) => ({ transaction: { amount }, member: { tier: "gold", tags: [] } });

describe("running saved test cases", () => {
  it("compares an earning rule's points (floored) with the expectation", () => {
    expect(runCase("earning", double, { name: "big", input: input(150.7), expected: 301 })).toMatchObject({ passed: true, actual: 301 });
    expect(runCase("earning", double, { name: "small", input: input(50), expected: 0 })).toMatchObject({ passed: true, actual: 0 });
    expect(runCase("earning", double, { name: "wrong", input: input(50), expected: 100 })).toMatchObject({ passed: false, actual: 0 });
  });

  it("fails a case whose result the kind refuses, with the reason", () => {
    const outcome = runCase("earning", { "-": [0, 5] }, { name: "negative", input: input(1), expected: 0 });
    expect(outcome.passed).toBe(false);
    expect(outcome.error).toMatch(/negative/);
  });

  it("passes a set only when every case passes; results compare regardless of key order", () => {
    const cases = [{ name: "a", input: input(100), expected: 200 }, { name: "b", input: input(10), expected: 1 }];
    expect(runCases("earning", double, cases)).toMatchObject({ passed: false, outcomes: [{ passed: true }, { passed: false }] });
    expect(canonical({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonical({ a: [{ c: 2, d: 1 }], b: 1 }));
  });
});

describe("the condition trace", () => {
  it("names the branch of an if and each comparison's value, and what was not reached", () => {
    const steps = traceRule(double, input(50));
    expect(steps[0]).toMatchObject({ path: "", op: "if", branch: "else", reached: true });
    expect(steps[1]).toMatchObject({ path: "/if/0", op: ">=", value: false, reached: true });
    const taken = traceRule(double, input(120));
    expect(taken[0]).toMatchObject({ branch: 0 });
    expect(taken[1]).toMatchObject({ value: true });
  });

  it("stops an and at its first false operand", () => {
    const logic = { and: [{ "==": [{ var: "member.tier" }, "silver"] }, { ">": [{ var: "transaction.amount" }, 10] }] };
    const steps = traceRule(logic, input(50));
    expect(steps.map((s) => [s.path, s.value, s.reached])).toEqual([
      ["", false, true],
      ["/and/0", false, true],
      ["/and/1", undefined, false],
    ]);
  });
});
