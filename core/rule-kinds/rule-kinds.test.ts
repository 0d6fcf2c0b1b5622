import { describe, expect, it } from "vitest";
import { RULE_KIND_MODULES, RULE_KINDS, isRuleKind, ruleKind } from "./index.ts";

function valueAt(data: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), data);
}

describe("rule kind registry", () => {
  it("lists each kind once, in the rules center's order", () => {
    expect(RULE_KINDS).toEqual(["earning", "growth", "expiry", "hold", "reminder", "tagging", "tier", "settlement"]);
    expect(new Set(RULE_KINDS).size).toBe(RULE_KINDS.length);
    expect(isRuleKind("earning")).toBe(true);
    expect(isRuleKind("points")).toBe(false);
  });

  for (const m of RULE_KIND_MODULES) {
    describe(m.kind, () => {
      it("has a sample with every context field", () => {
        const absent = m.context.filter((f) => valueAt(m.sample, f.path) === undefined).map((f) => f.path);
        expect(absent).toEqual([]);
      });
      it("accepts its own starting logic as a result", () => {
        expect(m.checkResult(m.startingLogic)).toBeNull();
      });
      it("is found by name", () => {
        expect(ruleKind(m.kind)).toBe(m);
      });
    });
  }

  it("checks results per kind", () => {
    expect(ruleKind("earning").checkResult(-1)).toMatch(/negative/);
    expect(ruleKind("expiry").checkResult("soon")).toMatch(/ISO date/);
    expect(ruleKind("expiry").checkResult("2026-12-31")).toBeNull();
    expect(ruleKind("reminder").checkResult([31])).toMatch(/0 to 30/);
    expect(ruleKind("reminder").checkResult([{ days: 3, channel: "email" }])).toBeNull();
    expect(ruleKind("tagging").checkResult(["x".repeat(21)])).toMatch(/1 to 20/);
    expect(ruleKind("tagging").checkResult("高价值")).toBeNull();
    expect(ruleKind("settlement").checkResult(-1)).toMatch(/negative/);
    expect(ruleKind("settlement").checkResult("100")).toMatch(/amount in fen/);
    expect(ruleKind("settlement").checkResult(100_000_001)).toMatch(/at most/);
    expect(ruleKind("settlement").checkResult(1200)).toBeNull();
    expect(ruleKind("settlement").normalizeResult?.(12.5)).toBe(13);
  });
});
