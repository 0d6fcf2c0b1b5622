import { describe, expect, it } from "vitest";
import { builderFields } from "../../core/rule-builder/fields.ts";
import { SEGMENT_FIELDS } from "../../core/segments/fields.ts";
import { FOLLOWUP_CHANNELS, FOLLOWUP_OUTCOMES } from "../../core/segments/limits.ts";
import en from "./segments.en.json";
import zhCN from "./segments.zh-CN.json";

/** Every key path of a translation tree, with its text. */
function leaves(tree: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("segments and care translations", () => {
  const zh = leaves(zhCN);
  const english = leaves(en);

  it("has every key in both languages, with the same placeholders", () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [key, text] of zh) {
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(english.get(key)!), key).toEqual(placeholders(text));
    }
  });

  it("names every segment field, follow-up channel and outcome", () => {
    for (const field of builderFields(SEGMENT_FIELDS)) {
      if (field.of) continue; // virtual fields are worded by ruleBuilder.fields.* around their field's label
      expect(zh.has(field.label), field.label).toBe(true);
    }
    for (const field of SEGMENT_FIELDS) expect(zh.has(field.label), field.label).toBe(true);
    for (const c of FOLLOWUP_CHANNELS) expect(zh.has(`care.channels.${c}`), c).toBe(true);
    for (const o of FOLLOWUP_OUTCOMES) expect(zh.has(`care.outcomes.${o}`), o).toBe(true);
  });
});
