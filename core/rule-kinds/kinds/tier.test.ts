import { describe, expect, it } from "vitest";
import { RuleBook } from "../../evaluation/rule-book.ts";
import type { RuleRecord } from "../../evaluation/types.ts";
import { evaluateTier, tierKind, toTierFloor, type TierData } from "./tier.ts";

const LADDER = ["standard", "silver", "gold", "diamond"];
const rule = (key: string, priority: number, logic: unknown): RuleRecord => ({
  id: `00000000-0000-0000-0000-${String(priority).padStart(12, "0")}`, key, version: 1, kind: "tier", business_unit_id: null, priority, logic,
  lot_kind: null, active_from: null, active_to: null, published_at: "2026-01-01T00:00:00.000Z", superseded_at: null,
});
const member = (tags: string[], growth = 0): TierData => ({
  member: { tier: "standard", tags, birthday: null, growth_value: growth, joined_at: "2025-01-01T00:00:00.000Z", status: "active", home_business_unit: null },
  now: "2026-03-10T18:00:00.000Z",
});
const NOW = Date.parse("2026-03-10T18:00:00.000Z");

describe("tier rules", () => {
  const book = new RuleBook(
    [
      rule("regulars-silver", 100, { if: [{ has_tag: [{ var: "member.tags" }, "酒店常客"] }, "silver", null] }),
      rule("vip-gold", 90, { if: [{ has_tag: [{ var: "member.tags" }, "VIP"] }, "gold", null] }),
      rule("typo", 80, { if: [{ has_tag: [{ var: "member.tags" }, "错"] }, "platinum", null] }),
      rule("not-a-code", 70, { if: [{ has_tag: [{ var: "member.tags" }, "数"] }, 3, null] }),
    ],
    [{ kind: "tier", business_unit_id: null, combination: "first" }],
    { tierLadder: LADDER },
  );

  it("give the tier of the first rule that gives one (policy first), with the rule applied", () => {
    const both = evaluateTier(book, member(["酒店常客", "VIP"]), NOW);
    expect(both.tier).toBe("silver");
    expect(both.applied.map((a) => a.key)).toEqual(["regulars-silver"]);
    expect(evaluateTier(book, member(["VIP"]), NOW).tier).toBe("gold");
    expect(evaluateTier(book, member([]), NOW)).toEqual({ tier: null, applied: [], errors: [] });
  });

  it("report a code off the ladder or a value that is not a code as the rule's result problem, and give nothing by it", () => {
    const off = evaluateTier(book, member(["错"]), NOW);
    expect(off.tier).toBeNull();
    expect(off.errors).toEqual([expect.objectContaining({ rule_key: "typo", stage: "result" })]);
    const number = evaluateTier(book, member(["数"]), NOW);
    expect(number.tier).toBeNull();
    expect(number.errors).toEqual([expect.objectContaining({ rule_key: "not-a-code", stage: "result" })]);
  });

  it("are not in force before they were published", () => {
    expect(evaluateTier(book, member(["VIP"]), Date.parse("2025-12-31T00:00:00.000Z")).tier).toBeNull();
  });

  it("check and normalise a result as the test cases compare it", () => {
    expect(toTierFloor(null)).toBeNull();
    expect(toTierFloor(false)).toBeNull();
    expect(toTierFloor("gold")).toBe("gold");
    expect(tierKind.checkResult("gold")).toBeNull();
    expect(tierKind.checkResult(2)).toMatch(/tier code/);
    expect(tierKind.checkResult(["gold"])).toMatch(/tier code/);
    expect(tierKind.normalizeResult(null)).toBeNull();
  });
});
