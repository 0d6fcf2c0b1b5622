// Valid rules built to exhaust memory, time or work are stopped by the evaluation's bounds, with a
// RuleLimitError naming the bound, on every path: generated code, closures only, interpreter.
import { describe, expect, it } from "vitest";
import { clockBomb, doublingArray, HOSTILE_RULES } from "./fixtures/hostile-rules";
import { compileRule, interpretRule, RuleLimitError, validateRule, type RuleLimits } from "./index";

const PATHS: [string, (rule: unknown, data: unknown, limits?: Partial<RuleLimits>) => unknown][] = [
  ["generated", (rule, data, limits) => compileRule(rule, { limits })(data)],
  ["closures", (rule, data, limits) => compileRule(rule, { limits, generate: false })(data)],
  ["interpreted", (rule, data, limits) => interpretRule(rule, data, { limits })],
];

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe.each(PATHS)("hostile rules, %s", (_path, evaluate) => {
  it.each(HOSTILE_RULES.map((h) => [h.name, h] as const))("%s: stopped by its bound", (_name, { logic, limit }) => {
    expect(validateRule(logic)).toEqual({ ok: true });
    // The clock is the last fence; on a busy machine it could stop a bomb before the bound under test.
    const error = thrown(() => evaluate(logic, {}, { maxMillis: 60_000 }));
    expect(error).toBeInstanceOf(RuleLimitError);
    expect((error as RuleLimitError).limit).toBe(limit);
    expect(error.message).toMatch(/evaluation limit reached|longer than/);
  });

  it("slow logic inside the work budget is stopped by the clock", () => {
    const error = thrown(() => evaluate(clockBomb, {}, { maxMillis: 5 }));
    expect(error).toBeInstanceOf(RuleLimitError);
    expect((error as RuleLimitError).limit).toBe("time");
    expect(error.message).toBe("reduce: evaluation limit reached: ran longer than 5 ms");
  });

  it("an array built from itself counts its full size, not its length", () => {
    const ten = { reduce: [Array.from({ length: 10 }, (_, i) => i), [{ var: "accumulator" }, { var: "accumulator" }], [1]] };
    expect(evaluate({ "+": [ten] }, {})).toBe(1); // 1,024 leaves: "1,1,...": parsed as 1
    const error = thrown(() => evaluate({ "+": [doublingArray] }, {}, { maxProduced: 4000 }));
    expect((error as RuleLimitError).limit).toBe("memory");
    expect(error.message).toBe("array: evaluation limit reached: more than 4000 array elements and characters produced in one evaluation");
  });

  it("ordinary array work stays within the bounds", () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ sku: `s${i}`, price: i, qty: 2 }));
    const total = { reduce: [{ var: "items" }, { "+": [{ var: "accumulator" }, { "*": [{ var: "current.price" }, { var: "current.qty" }] }] }, 0] };
    expect(evaluate(total, { items })).toBe(39_800);
    expect(evaluate({ map: [{ var: "xs" }, 1] }, { xs: new Array(60_000).fill(0) })).toHaveLength(60_000);
    expect(evaluate({ cat: [{ map: [{ var: "items" }, { var: "sku" }] }] }, { items })).toHaveLength(889);
  });
});
