import { describe, expect, it } from "vitest";
import { readSeedRules } from "../../stack/seed-rules.ts";
import { ruleKind } from "../../core/rule-kinds/index.ts";
import { evaluateRule } from "../../core/rules/index.ts";
import { builderFields } from "../../core/rule-builder/fields.ts";
import { logicToModel, modelToLogic } from "../../core/rule-builder/rule-model.ts";

/**
 * The seeded rules the visual editor shows as raw JSON only: the joint campaign split rounds a product of two
 * fields, which the outcome blocks do not offer. Any other entry here is a regression.
 */
const RAW_ONLY: readonly string[] = ["settle-campaign-by-traffic"];

describe("the visual rule editor's round trip", () => {
  const seeded = readSeedRules().flatMap((set) => set.rules.map((rule) => ({ kind: set.kind, key: rule.key, logic: rule.logic })));

  it("reads every rule the seed creates", () => {
    expect(seeded.length).toBeGreaterThanOrEqual(9);
  });

  it("converts every seeded rule to the visual model and back to identical JSON, or reports it raw only", () => {
    const rawOnly: string[] = [];
    for (const rule of seeded) {
      const fields = builderFields(ruleKind(rule.kind).context);
      const model = logicToModel(rule.logic, rule.kind, fields);
      if (!model) {
        rawOnly.push(rule.key);
        continue;
      }
      expect(modelToLogic(model, fields), rule.key).toStrictEqual(rule.logic);
    }
    expect(rawOnly.sort()).toEqual([...RAW_ONLY].sort());
  });

  it("leaves raw-only rules evaluable: they still run on their kind's sample", () => {
    for (const rule of seeded.filter((r) => RAW_ONLY.includes(r.key))) {
      expect(() => evaluateRule(rule.logic, ruleKind(rule.kind).sample)).not.toThrow();
    }
  });

  it("reports as raw only what it cannot show exactly, without touching it", () => {
    const fields = builderFields(ruleKind("earning").context);
    const odd = [
      { "+": [{ var: "transaction.amount" }, 1] },
      { if: [{ "==": [{ var: "transaction.channel" }, "pos"] }, { "*": [{ var: "transaction.amount" }, 1] }, 0] },
      { if: [{ and: [{ "==": [{ var: "transaction.channel" }, "pos"] }] }, 1, 0] },
      { if: [{ "==": [{ var: "no.such.field" }, 1] }, 1, 0] },
      { if: [{ "<=": ["2026-12-01", { var: "transaction.occurred_at" }, "2026-12-31"] }, 1, 0] },
    ];
    for (const logic of odd) {
      const before = JSON.stringify(logic);
      expect(logicToModel(logic, "earning", fields), before).toBeNull();
      expect(JSON.stringify(logic)).toBe(before);
      expect(() => evaluateRule(logic, ruleKind("earning").sample)).not.toThrow();
    }
  });
});
