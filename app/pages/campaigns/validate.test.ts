import { describe, expect, it } from "vitest";
import { CAMPAIGN_LIMITS as L } from "../../../core/enums/index.ts";
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
  arms: null,
  holdout_percent: 10,
  budget_fen: 100_000,
  ...changes,
});
const codes = (d: CampaignDraft) => campaignProblems(d, NOW).map((p) => `${p.field}:${p.code}`);

describe("campaign form checks", () => {
  it("accepts a complete double-points draft", () => {
    expect(codes(draft())).toEqual([]);
  });

  it("refuses what the server refuses, at the limits from core/enums", () => {
    expect(codes(draft({ name: " " }))).toEqual(["name:campaign_name_required"]);
    expect(codes(draft({ key: "Bad Key" }))).toEqual(["key:campaign_key_invalid"]);
    expect(codes(draft({ segment_key: "" }))).toEqual(["segment_key:campaign_segment_required"]);
    expect(codes(draft({ business_unit_ids: [] }))).toEqual(["business_unit_ids:campaign_units_required", "paying_unit_id:campaign_paying_unit_invalid"]);
    expect(codes(draft({ ends_at: "2026-12-02T00:00:00+08:00" }))).toEqual(["period:campaign_period_invalid"]);
    expect(codes(draft({ starts_at: "2026-11-30T00:00:00+08:00" }))).toEqual(["period:campaign_starts_too_early"]);
    const longEnd = new Date(Date.parse("2026-12-03T00:00:00+08:00") + (L.max_days + 1) * 86_400_000).toISOString();
    expect(codes(draft({ ends_at: longEnd }))).toEqual(["period:campaign_period_too_long"]);
    expect(codes(draft({ offer: { kind: "points_multiplier", multiplier: L.max_multiplier + 0.1 } }))).toEqual(["multiplier:campaign_multiplier_out_of_range"]);
    expect(codes(draft({ offer: { kind: "points_multiplier", multiplier: L.min_multiplier } }))).toEqual([]);
    expect(codes(draft({ offer: { kind: "benefit_grant", uses: 1 } }))).toEqual(["benefit_key:campaign_benefit_required"]);
    expect(codes(draft({ offer: { kind: "message", template: "" } }))).toEqual(["template:campaign_template_invalid"]);
    expect(codes(draft({ budget_fen: 0 }))).toEqual(["budget:campaign_budget_out_of_range"]);
    expect(codes(draft({ budget_fen: L.max_budget_fen + 1 }))).toEqual(["budget:campaign_budget_out_of_range"]);
    expect(codes(draft({ holdout_percent: L.max_holdout_percent + 1 }))).toEqual(["holdout_percent:campaign_holdout_out_of_range"]);
  });

  it("checks A/B arms: at least two, shares adding up to 100, overrides within the limits", () => {
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 50, multiplier: 3 }] }))).toEqual([]);
    expect(codes(draft({ arms: [{ key: "a", share: 100 }] }))).toEqual(["arms:campaign_arms_count"]);
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 40 }] }))).toEqual(["arms:campaign_arms_share"]);
    expect(codes(draft({ arms: [{ key: "a", share: 50 }, { key: "b", share: 50, multiplier: 9 }] }))).toEqual(["arms:campaign_multiplier_out_of_range"]);
  });

  it("turns yuan with two decimals into fen exactly", () => {
    expect(yuanToFen(12.34)).toBe(1234);
    expect(yuanToFen(0.29)).toBe(29);
    expect(yuanToFen(1000)).toBe(100_000);
  });
});
