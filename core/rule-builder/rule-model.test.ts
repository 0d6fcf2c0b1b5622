import { describe, expect, it } from "vitest";
import { ruleKind } from "../rule-kinds/index.ts";
import { evaluateRule, validateRule } from "../rules/index.ts";
import { blockToLogic, logicToBlock } from "./blocks.ts";
import { builderFields } from "./fields.ts";
import { faultTarget, logicToModel, modelToLogic, type RuleModel } from "./rule-model.ts";

const earningFields = builderFields(ruleKind("earning").context);
const sample = (over: { amount?: number; tier?: string; occurred_at?: string; kind?: string }) => ({
  transaction: { amount: over.amount ?? 1200, channel: "pos", occurred_at: over.occurred_at ?? "2026-12-10T02:00:00.000Z", business_unit: { code: "hotel", kind: over.kind ?? "hotel" } },
  member: { tier: over.tier ?? "gold", tags: [], birthday: null },
});

/** What the editor holds after the marketing user's clicks: inputs give strings, the export makes them numbers. */
const HOTEL_DECEMBER: RuleModel = {
  branches: [
    {
      when: {
        combinator: "and",
        rules: [
          { field: "transaction.business_unit.kind", operator: "=", value: "hotel" },
          { field: "transaction.amount", operator: ">=", value: "1000" },
          { field: "member.tier", operator: "=", value: "gold" },
          { field: "date:transaction.occurred_at", operator: "between", value: ["2026-12-01", "2026-12-31"] },
        ],
      },
      then: { type: "points", base: "transaction.amount", rate: 2, tiers: null, cap: null, rounding: "floor" },
    },
  ],
  otherwise: { type: "number", value: 0 },
};

describe("the visual model of a rule", () => {
  it("writes the hotel December rule as valid JSON-logic that earns by the programme's calendar", () => {
    const logic = modelToLogic(HOTEL_DECEMBER, earningFields);
    expect(logic).toEqual({
      if: [
        {
          and: [
            { "==": [{ var: "transaction.business_unit.kind" }, "hotel"] },
            { ">=": [{ var: "transaction.amount" }, 1000] },
            { "==": [{ var: "member.tier" }, "gold"] },
            { "<=": ["2026-12-01", { add_days: [{ var: "transaction.occurred_at" }, 0] }, "2026-12-31"] },
          ],
        },
        { floor: [{ "*": [{ var: "transaction.amount" }, 2] }] },
        0,
      ],
    });
    expect(validateRule(logic).ok).toBe(true);
    expect(evaluateRule(logic, sample({}))).toBe(2400);
    expect(evaluateRule(logic, sample({ amount: 999.5 }))).toBe(0);
    expect(evaluateRule(logic, sample({ tier: "silver" }))).toBe(0);
    expect(evaluateRule(logic, sample({ kind: "mall" }))).toBe(0);
    // 2026-12-31 15:30 UTC is 23:30 on the 31st in Shanghai: December.
    expect(evaluateRule(logic, sample({ occurred_at: "2026-12-31T15:30:00.000Z" }))).toBe(2400);
    // 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Shanghai: January.
    expect(evaluateRule(logic, sample({ occurred_at: "2026-12-31T16:30:00.000Z" }))).toBe(0);
    // 2026-11-30 17:00 UTC is 2026-12-01 01:00 in Shanghai: December.
    expect(evaluateRule(logic, sample({ occurred_at: "2026-11-30T17:00:00.000Z" }))).toBe(2400);
    // and it reads back as the same model
    expect(modelToLogic(logicToModel(logic, "earning", earningFields)!, earningFields)).toEqual(logic);
  });

  it("reads points formulas with cap, rounding and tier multipliers, and writes them back", () => {
    const formula = {
      round: [{ min: [{ "*": [{ var: "transaction.amount" }, 3, { if: [{ "==": [{ var: "member.tier" }, "diamond"] }, 2, 1] }] }, 500] }],
    };
    const block = logicToBlock(formula, ["points"]);
    expect(block).toEqual({
      type: "points", base: "transaction.amount", rate: 3, tiers: { factors: [{ tier: "diamond", factor: 2 }], otherwise: 1 }, cap: 500, rounding: "round",
    });
    expect(blockToLogic(block!)).toEqual(formula);
  });

  it("offers each kind its own outcome blocks", () => {
    const fields = (kind: string) => builderFields(ruleKind(kind).context);
    expect(logicToModel([7, 3, 1], "reminder", fields("reminder"))?.otherwise).toEqual({ type: "numbers", values: [7, 3, 1] });
    expect(logicToModel({ end_of_month: [{ var: "lot.earned_at" }] }, "expiry", fields("expiry"))?.otherwise).toEqual({ type: "periodEnd", period: "month", field: "lot.earned_at" });
    const sixMonths = { add_months: [{ var: "lot.earned_at" }, 6] };
    const months = logicToModel(sixMonths, "expiry", fields("expiry"));
    expect(months?.otherwise).toEqual({ type: "monthsAfter", field: "lot.earned_at", months: 6 });
    expect(modelToLogic(months!, fields("expiry"))).toEqual(sixMonths);
    expect(logicToModel({ add_months: [{ var: "lot.earned_at" }, 1.5] }, "expiry", fields("expiry"))).toBeNull();
    expect(logicToModel(["高价值", "酒店常客"], "tagging", fields("tagging"))?.otherwise).toEqual({ type: "texts", values: ["高价值", "酒店常客"] });
    // an earning rule does not return tags
    expect(logicToModel("高价值", "earning", earningFields)).toBeNull();
  });

  it("finds the condition of a real validation fault: an in-list longer than the evaluator allows", () => {
    const logic = { if: [{ and: [{ "==": [{ var: "transaction.channel" }, "pos"] }, { in: [{ var: "transaction.order_no" }, Array.from({ length: 1001 }, (_, i) => `T-${i}`)] }] }, 5, 0] };
    const model = logicToModel(logic, "earning", earningFields);
    expect(model).not.toBeNull();
    const result = validateRule(logic);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths.map((p) => faultTarget(p, model!))).toContainEqual({ branch: 0, part: "when", rulePath: [1] });
  });

  it("points a validation fault at the branch part and the condition at fault", () => {
    const logic = modelToLogic(HOTEL_DECEMBER, earningFields);
    const model = logicToModel(logic, "earning", earningFields)!;
    expect(faultTarget("/if/0/and/3/<=/1/add_days/1", model)).toEqual({ branch: 0, part: "when", rulePath: [3] });
    expect(faultTarget("/if/1/floor/0", model)).toEqual({ branch: 0, part: "then" });
    expect(faultTarget("/if/2", model)).toEqual({ branch: "otherwise", part: "then" });
    const lone = logicToModel({ if: [{ ">=": [{ var: "transaction.amount" }, 1] }, 1, 0] }, "earning", earningFields)!;
    expect(faultTarget("/if/0/>=/1", lone)).toEqual({ branch: 0, part: "when", rulePath: [0] });
    const nested = logicToModel(
      { if: [{ or: [{ "==": [{ var: "transaction.channel" }, "pos"] }, { and: [{ ">": [{ var: "transaction.amount" }, 1] }, { "<": [{ var: "transaction.amount" }, 9] }] }] }, 1, 0] },
      "earning", earningFields,
    )!;
    expect(faultTarget("/if/0/or/1/and/0/>/1", nested)).toEqual({ branch: 0, part: "when", rulePath: [1, 0] });
  });
});
