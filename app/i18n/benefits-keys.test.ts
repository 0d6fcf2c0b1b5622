import { describe, expect, it } from "vitest";
import en from "./benefits.en.json";
import zhCN from "./benefits.zh-CN.json";

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

/** Texts whose languages word the value differently: Chinese names the rate paid (9 折), English the percent off. */
const WORDED_APART = new Set(["benefitsUi.value.discount_percent"]);

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("benefits UI translations", () => {
  const zh = leaves(zhCN);
  const english = leaves(en);

  it("has every key in both languages", () => {
    expect([...english.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it("uses the same placeholders in both languages and no empty text", () => {
    for (const [key, text] of zh) {
      expect(text.trim(), key).not.toBe("");
      if (!WORDED_APART.has(key)) expect(placeholders(english.get(key) ?? ""), key).toEqual(placeholders(text));
    }
  });

  it("writes no Latin words in the Chinese texts (codes and keys never reach the zh-CN UI)", () => {
    for (const [key, text] of zh) expect(text.replace(/\{\{\w+\}\}/g, ""), key).not.toMatch(/[A-Za-z]{2,}/);
  });
});
