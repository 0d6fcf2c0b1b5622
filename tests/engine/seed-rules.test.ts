/**
 * The seeded rules in workflows/rules reproduce the domain examples (DIGEST "Points expiry"), evaluated
 * with the engine's own evaluation code (no database).
 */
import { describe, expect, it } from "vitest";
import { evaluateEarning, evaluateHold, evaluateReminders, evaluateTags, RuleBook, type EarningData, type RuleRecord } from "../../core/evaluation/index.ts";
import { readSeedRules } from "../../stack/seed-rules.ts";

const sets = readSeedRules();
const records: RuleRecord[] = sets.flatMap((s) =>
  s.rules.map((r) => ({
    id: r.key, key: r.key, version: 1, kind: s.kind, business_unit_id: null, priority: r.priority ?? 100, logic: r.logic,
    lot_kind: r.lot_kind ?? null, active_from: null, active_to: null, published_at: "2000-01-01T00:00:00+08:00", superseded_at: null,
  })),
);
const book = new RuleBook(records, sets.map((s) => ({ kind: s.kind, business_unit_id: null, combination: s.combination })));
const DAY = 86_400_000;

function earning(opts: { amount: number; tier?: string; unitKind?: string; birthday?: string | null; at?: string }) {
  const at = opts.at ?? "2026-03-10T10:00:00+08:00";
  const data: EarningData = {
    transaction: { amount: opts.amount, channel: "pos", occurred_at: new Date(at).toISOString(), business_unit: { code: "u", kind: opts.unitKind ?? "mall" } },
    member: { tier: opts.tier ?? "standard", tags: [], birthday: opts.birthday ?? null, growth_value: 0, joined_at: "2020-01-01T00:00:00.000Z" },
  };
  const ms = Date.parse(at);
  const outcome = evaluateEarning(book, data, "unit", ms);
  return {
    points: outcome.points,
    errors: outcome.errors,
    lots: outcome.lots.map((l) => ({ kind: l.kind, points: l.points, days: l.expires_ms === null ? null : Math.round((l.expires_ms - ms) / DAY) })),
  };
}

describe("seeded rules (workflows/rules)", () => {
  it("are valid and cover every kind", () => {
    expect(book.loadErrors).toEqual([]);
    expect(sets.map((s) => s.kind).sort()).toEqual(["earning", "expiry", "growth", "hold", "reminder", "settlement", "tagging", "tier"]);
  });

  it("have a Chinese and an English name and description, without internal identifiers", () => {
    const cjk = /[\u4e00-\u9fff]/;
    // snake_case or dotted names (lot_kind, public.tiers), and the rule keys themselves (shopping-base)
    const identifier = new RegExp(`\\b[a-z]+(?:[_.][a-z]+)+\\b|${sets.flatMap((s) => s.rules.map((r) => r.key)).join("|") || "^$"}`);
    const texts = sets.flatMap((s) => [
      { of: s.kind, zh: [s.description], en: [s.description_en], literals: [] as string[] },
      ...s.rules.map((r) => ({
        of: r.key, zh: [r.name, r.description], en: [r.name_en, r.description_en],
        // the values a rule gives (the tags 高价值...) are data and may be quoted in the English text
        literals: JSON.stringify(r.logic).match(/"[^"]*[\u4e00-\u9fff][^"]*"/g)?.map((l) => JSON.parse(l) as string) ?? [],
      })),
    ]);
    for (const t of texts) {
      for (const zh of t.zh) {
        expect(zh, t.of).toMatch(cjk);
        expect(zh, t.of).not.toMatch(identifier);
      }
      for (const en of t.en) {
        expect(en, t.of).toMatch(/^[A-Z]/);
        expect(t.literals.reduce((text, l) => text.replaceAll(l, ""), en), t.of).not.toMatch(cjk);
        expect(en, t.of).not.toMatch(identifier);
      }
    }
  });

  it.each([
    ["mall", "pos", 7],
    ["mall", "front_desk", 0],
    ["hotel", "pos", 0],
  ])("return window: a purchase at %s by %s is pending %d days", (code, channel, days) => {
    const data: EarningData = {
      transaction: { amount: 100, channel, occurred_at: "2026-03-10T02:00:00.000Z", business_unit: { code, kind: code } },
      member: { tier: "standard", tags: [], birthday: null, growth_value: 0, joined_at: "2020-01-01T00:00:00.000Z" },
    };
    expect(evaluateHold(book, data, "unit", Date.parse("2026-03-10T02:00:00.000Z"))).toMatchObject({ days, errors: [] });
  });

  it.each([
    ["standard", 100],
    ["silver", 120],
    ["gold", 150],
    ["diamond", 200],
  ])("shopping: 1 point per yuan, %s multiplier → %d points for 100 yuan, valid 365 days (+90 for gold and diamond)", (tier, points) => {
    const r = earning({ amount: 100.4, tier });
    const days = tier === "gold" || tier === "diamond" ? 455 : 365;
    expect(r).toEqual({ points, errors: [], lots: [{ kind: "shopping", points, days }] });
  });

  it("hotel stays earn double", () => {
    expect(earning({ amount: 500, unitKind: "hotel" }).lots).toEqual([{ kind: "shopping", points: 1000, days: 365 }]);
    expect(earning({ amount: 500, unitKind: "hotel", tier: "silver" }).points).toBe(1200);
  });

  it("birthday month: double points, the extra ones in a birthday lot valid 90 days (180 for gold)", () => {
    expect(earning({ amount: 300, birthday: "1990-03-25" }).lots).toEqual([
      { kind: "shopping", points: 300, days: 365 },
      { kind: "birthday", points: 300, days: 90 },
    ]);
    expect(earning({ amount: 300, birthday: "1990-03-25", tier: "gold" }).lots).toEqual([
      { kind: "shopping", points: 450, days: 455 },
      { kind: "birthday", points: 450, days: 180 },
    ]);
    // the birthday month follows the Shanghai calendar: 2026-03-31T17:00Z is already April 1 there
    expect(earning({ amount: 300, birthday: "1990-03-25", at: "2026-03-31T17:00:00Z" }).lots).toEqual([{ kind: "shopping", points: 300, days: 365 }]);
  });

  it("campaign lots are valid 90 days", () => {
    const campaign = new RuleBook(
      [...records, { ...records[0], id: "camp", key: "campaign-x", logic: 88, lot_kind: "campaign" }],
      sets.map((s) => ({ kind: s.kind, business_unit_id: null, combination: s.combination })),
    );
    const ms = Date.parse("2026-05-01T00:00:00Z");
    const outcome = evaluateEarning(campaign, {
      transaction: { amount: 10, channel: "app", occurred_at: new Date(ms).toISOString(), business_unit: { code: "u", kind: "mall" } },
      member: { tier: "standard", tags: [], birthday: null, growth_value: 0, joined_at: "2020-01-01T00:00:00.000Z" },
    }, null, ms);
    expect(outcome.lots.find((l) => l.kind === "campaign")).toEqual({ kind: "campaign", points: 88, expires_ms: ms + 90 * DAY });
  });

  it("reminders 7, 3 and 1 days before expiry", () => {
    const now = Date.parse("2026-05-01T00:00:00Z");
    const { offsets } = evaluateReminders(book, {
      lot: { id: 1, kind: "shopping", points: 10, earned_at: "2025-05-01T00:00:00Z", expires_at: "2026-05-05T00:00:00Z", business_unit: { code: "mall", kind: "mall" } },
      member: { tier: "standard", tags: [], birthday: null },
      days_left: 4,
      now: new Date(now).toISOString(),
    }, now);
    expect(offsets).toEqual([{ days: 1, channel: "sms" }, { days: 3, channel: "sms" }, { days: 7, channel: "sms" }]);
  });

  it("automatic tags: high value, hotel regular, churn warning", () => {
    const now = Date.parse("2026-05-01T00:00:00Z");
    const tags = (stats: Partial<Parameters<typeof evaluateTags>[1]["stats"]>, joined = "2020-01-01T00:00:00.000Z") =>
      evaluateTags(book, {
        member: { tier: "gold", tags: [], birthday: null, growth_value: 0, joined_at: joined, home_business_unit: null },
        stats: {
          transactions_90d: 0, amount_90d: 0, transactions_365d: 0, amount_365d: 0, hotel_transactions_365d: 0, units_365d: [],
          last_transaction_at: "2026-04-20T00:00:00.000Z", balance: 0, ...stats,
        },
        now: new Date(now).toISOString(),
      }, now).tags;
    expect(tags({ amount_365d: 12_000, hotel_transactions_365d: 3 })).toEqual(["高价值", "酒店常客"]);
    expect(tags({ last_transaction_at: "2025-09-01T00:00:00.000Z" })).toEqual(["流失预警"]);
    expect(tags({ last_transaction_at: null })).toEqual(["流失预警"]);
    expect(tags({ last_transaction_at: null }, "2026-03-01T00:00:00.000Z")).toEqual([]); // a new member is not churning
  });
});
