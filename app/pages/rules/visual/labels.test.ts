import { describe, expect, it } from "vitest";
import { builderFields, OPERATORS_BY_TYPE } from "../../../../core/rule-builder/fields.ts";
import { blockTypesFor } from "../../../../core/rule-builder/blocks.ts";
import { RULE_KIND_MODULES } from "../../../../core/rule-kinds/index.ts";
import en from "../../../i18n/rule-builder.en.json";
import zh from "../../../i18n/rule-builder.zh-CN.json";
import rulesEn from "../../../i18n/rules.en.json";
import rulesZh from "../../../i18n/rules.zh-CN.json";

const lookup = (tree: unknown, key: string): unknown =>
  key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);

describe("the rule builder's labels", () => {
  for (const [lang, tree] of [["zh-CN", { ...rulesZh, ...zh }], ["en", { ...rulesEn, ...en }]] as const) {
    it(`names every field, operator and block of every kind in ${lang}`, () => {
      const keys = new Set<string>(["ruleBuilder.operators.is_birthday_month"]);
      for (const m of RULE_KIND_MODULES) {
        for (const f of builderFields(m.context)) {
          keys.add(f.label);
          if (f.of) keys.add(f.of.field);
          if (f.of?.other) keys.add(f.of.other);
        }
        for (const type of blockTypesFor(m.kind)) keys.add(`ruleBuilder.blocks.types.${type}`);
      }
      for (const ops of Object.values(OPERATORS_BY_TYPE)) for (const op of ops) keys.add(`ruleBuilder.operators.${op}`);
      const missing = [...keys].filter((k) => typeof lookup(tree, k) !== "string");
      expect(missing).toEqual([]);
    });
  }
});
