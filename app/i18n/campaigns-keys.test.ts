import { describe, expect, it } from "vitest";
import { CAMPAIGN_ARMS, CAMPAIGN_HOLDOUT_ARM, CAMPAIGN_OFFER_KINDS, CAMPAIGN_STATUSES, campaignOfferKindLabel, campaignStatusLabel } from "../../core/enums/index.ts";
import en from "./en.json";
import zhCN from "./zh-CN.json";

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

describe("campaign translations", () => {
  const zh = leaves(zhCN);
  const english = leaves(en);
  const campaignKeys = (tree: Map<string, string>) =>
    [...tree.keys()].filter((k) => k.startsWith("campaigns.") || k.startsWith("errors.reasons.campaign_")).sort();

  it("has every campaign key in both languages, with the same placeholders and no Latin words in Chinese", () => {
    expect(campaignKeys(english)).toEqual(campaignKeys(zh));
    for (const key of campaignKeys(zh)) {
      const text = zh.get(key)!;
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(english.get(key)!), key).toEqual(placeholders(text));
      // Only placeholders, the A/B arm letters and units may be Latin in the Chinese texts.
      expect(text.replace(/\{\{\w+\}\}/g, "").replace(/A\/B/g, ""), key).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it("names every status, offer kind, arm and the approval action", () => {
    for (const status of CAMPAIGN_STATUSES) expect(zh.has(campaignStatusLabel(status)), status).toBe(true);
    for (const kind of CAMPAIGN_OFFER_KINDS) expect(zh.has(campaignOfferKindLabel(kind)), kind).toBe(true);
    for (const arm of [...CAMPAIGN_ARMS, CAMPAIGN_HOLDOUT_ARM]) expect(zh.has(`campaigns.arms.${arm}`), arm).toBe(true);
    expect(zh.has("approvals.flowActions.campaign_launch")).toBe(true);
  });
});
