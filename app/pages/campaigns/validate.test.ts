import { describe, expect, it } from "vitest";
import { CAMPAIGN_LIMITS as L } from "../../../core/enums/index.ts";
import zhCN from "../../i18n/zh-CN.json";
import type { CampaignDraft } from "../../data/campaigns";
import { campaignProblems, yuanToFen } from "./validate";

const NOW = new Date("2026-12-03T10:00:00+08:00");
const draft = (changes: Partial<CampaignDraft> = {}): CampaignDraft => ({
  key: "double-points",
  name: "双倍积分",
  description: null,
  segment_key: "gold-inactive",
  business_unit_ids: ["u1"],
  paying_unit_id: "u1",
  starts_at: "2026-12-03T00:00:00+08:00",
  ends_at: "2026-12-31T23:59:59+08:00",
  offer: { kind: "points_multiplier", multiplier: 2 },
  arms: [{ key: "a", share: 100 }],
  holdout_percent: 10,
  budget_fen: 100_000,
  ...changes,
});
const problems = (d: CampaignDraft) => campaignProblems(d, NOW);
const codes = (d: CampaignDraft) => problems(d).map((p) => `${p.field}:${p.code}`);

describe("campaign form checks", () => {
  it("accepts a complete double-points draft", () => {
    expect(codes(draft())).toEqual([]);
  });

  it("refuses what save_campaign refuses, with its reason codes, at the limits from core/enums", () => {
    expect(codes(draft({ name: " " }))).toEqual(["name:campaign_name_invalid"]);
    expect(codes(draft({ name: "x".repeat(L.max_name_length + 1) }))).toEqual(["name:campaign_name_invalid"]);
    expect(codes(draft({ key: "Bad Key" }))).toEqual(["key:campaign_key_invalid"]);
    expect(codes(draft({ segment_key: "" }))).toEqual(["segment_key:campaign_segment_unknown"]);
    expect(codes(draft({ business_unit_ids: [] }))).toEqual(["business_unit_ids:campaign_units_invalid", "paying_unit_id:campaign_paying_unit_invalid"]);
    expect(codes(draft({ business_unit_ids: Array.from({ length: L.max_units + 1 }, (_, i) => `u${i + 1}`) }))).toEqual(["business_unit_ids:campaign_units_invalid"]);
    expect(codes(draft({ ends_at: "2026-12-02T00:00:00+08:00" }))).toEqual(["period:campaign_period_invalid"]);
    expect(codes(draft({ starts_at: "2026-11-30T00:00:00+08:00" }))).toEqual(["period:campaign_period_invalid"]);
    const longEnd = new Date(Date.parse("2026-12-03T00:00:00+08:00") + (L.max_days + 1) * 86_400_000).toISOString();
    expect(codes(draft({ ends_at: longEnd }))).toEqual(["period:campaign_period_invalid"]);
    expect(codes(draft({ offer: { kind: "points_multiplier", multiplier: L.max_multiplier + 0.1 } }))).toEqual(["multiplier:campaign_multiplier_invalid"]);
    expect(codes(draft({ offer: { kind: "points_multiplier", multiplier: 1.255 } }))).toEqual(["multiplier:campaign_multiplier_invalid"]);
    expect(codes(draft({ offer: { kind: "points_multiplier", multiplier: L.min_multiplier } }))).toEqual([]);
    expect(codes(draft({ offer: { kind: "benefit_grant", uses: 1 } }))).toEqual(["benefit_key:campaign_benefit_unknown"]);
    expect(codes(draft({ offer: { kind: "benefit_grant", benefit_key: "parking", uses: L.max_uses + 1 } }))).toEqual(["uses:campaign_uses_invalid"]);
    expect(codes(draft({ offer: { kind: "benefit_grant", benefit_key: "parking", uses: 1, unit_cost_fen: 0 } }))).toEqual(["unit_cost:campaign_unit_cost_invalid"]);
    expect(codes(draft({ offer: { kind: "message", message: "" } }))).toEqual(["message:campaign_message_invalid"]);
    expect(codes(draft({ offer: { kind: "message", message: "x".repeat(L.max_message_length + 1) } }))).toEqual(["message:campaign_message_invalid"]);
    expect(codes(draft({ offer: { kind: "message", message: "双倍积分周末", unit_cost_fen: 0 } }))).toEqual([]);
    expect(codes(draft({ budget_fen: 0 }))).toEqual(["budget:campaign_budget_invalid"]);
    expect(codes(draft({ budget_fen: L.max_budget_fen + 1 }))).toEqual(["budget:campaign_budget_invalid"]);
    expect(codes(draft({ holdout_percent: L.max_holdout_percent + 1 }))).toEqual(["holdout_percent:campaign_holdout_invalid"]);
  });

  it("checks A/B arms: keys a, b, c, d in order, shares adding up to 100, overrides of the offer's own kind within the limits", () => {
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 50, multiplier: 3 }] }))).toEqual([]);
    expect(codes(draft({ arms: [] }))).toEqual(["arms:campaign_arms_invalid"]);
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 40 }] }))).toEqual(["arms:campaign_arms_invalid"]);
    expect(codes(draft({ arms: [{ key: "b", share: 50 }, { key: "a", share: 50 }] }))).toEqual(["arms:campaign_arms_invalid"]);
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 50, multiplier: 9 }] }))).toEqual(["arms:campaign_arm_offer_invalid"]);
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 50, uses: 2 }] }))).toEqual(["arms:campaign_arm_offer_invalid"]);
  });

  it("words every problem it finds in Chinese (errors.reasons, the server's own texts)", () => {
    const reasons = zhCN.errors.reasons as Record<string, string>;
    const all = [
      draft({ name: "", key: "X", segment_key: "", business_unit_ids: [], starts_at: "", budget_fen: 0, holdout_percent: 99, arms: [] }),
      draft({ offer: { kind: "benefit_grant", uses: 0, unit_cost_fen: -1 } }),
      draft({ offer: { kind: "message", message: "", unit_cost_fen: -1 }, description: "x".repeat(L.max_description_length + 1) }),
      draft({ offer: { kind: "points_multiplier", multiplier: 9 }, arms: [{ key: "a", share: 50 }, { key: "b", share: 50, uses: 2 }] }),
    ].flatMap(problems);
    expect(new Set(all.map((p) => p.code)).size).toBeGreaterThanOrEqual(15);
    for (const p of all) expect(reasons[p.code], p.code).toBeTruthy();
  });

  it("turns yuan with two decimals into fen exactly", () => {
    expect(yuanToFen(12.34)).toBe(1234);
    expect(yuanToFen(0.29)).toBe(29);
    expect(yuanToFen(1000)).toBe(100_000);
  });
});
