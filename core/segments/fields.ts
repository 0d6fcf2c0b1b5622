/**
 * The one registry of the fields a segment's condition reads (private.segment_member_data gives them per active,
 * unmerged member): member fields, tags, tier and activity aggregates over the last 30 and 90 days. The visual
 * condition editor offers exactly these (labels `segments.fields.<path>` in app/i18n/segments.*.json); the engine
 * shapes each member's data with `segmentData`.
 */
import type { ContextField, ContextValues } from "../rule-kinds/module.ts";

const field = (path: string, type: ContextField["type"], values?: ContextValues): ContextField =>
  values ? { path, type, label: `segments.fields.${path}`, values } : { path, type, label: `segments.fields.${path}` };

/** Dates are calendar days in the business time zone (YYYY-MM-DD); a member who never bought has null purchase dates. */
export const SEGMENT_FIELDS: readonly ContextField[] = [
  field("member.tier", "string", "tiers"),
  field("member.tags", "string[]"),
  field("member.birthday", "date"),
  field("member.joined_on", "date"),
  field("member.home_business_unit", "string", "businessUnits"),
  field("member.growth_value", "integer"),
  field("member.balance", "integer"),
  field("stats.last_purchase_on", "date"),
  field("stats.days_since_purchase", "integer"),
  field("stats.amount_30d", "number"),
  field("stats.amount_90d", "number"),
  field("stats.visits_30d", "integer"),
  field("stats.visits_90d", "integer"),
  field("stats.units_90d", "string[]"),
  field("stats.unit_count_90d", "integer"),
];

/** One row of private.segment_member_data. */
export interface SegmentMemberRow {
  member_id: string;
  tier: string;
  tags: string[] | null;
  birthday: string | null;
  joined_on: string;
  home_business_unit: string | null;
  growth_value: number;
  balance: number | string;
  last_purchase_on: string | null;
  days_since_purchase: number | null;
  amount_30d: number;
  amount_90d: number;
  visits_30d: number;
  visits_90d: number;
  units_90d: string[] | null;
}

/** The data a segment condition receives for one member (`now`: ISO instant, for is_birthday_month). */
export function segmentData(row: SegmentMemberRow, now: string) {
  const units = row.units_90d ?? [];
  return {
    member: {
      tier: row.tier, tags: row.tags ?? [], birthday: row.birthday, joined_on: row.joined_on,
      home_business_unit: row.home_business_unit, growth_value: Number(row.growth_value), balance: Number(row.balance),
    },
    stats: {
      last_purchase_on: row.last_purchase_on, days_since_purchase: row.days_since_purchase,
      amount_30d: Number(row.amount_30d), amount_90d: Number(row.amount_90d), visits_30d: row.visits_30d, visits_90d: row.visits_90d,
      units_90d: units, unit_count_90d: units.length,
    },
    now,
  };
}

/** A sample member for the editor (not evaluated against the database). */
export const SAMPLE_SEGMENT_DATA = segmentData({
  member_id: "", tier: "gold", tags: ["流失预警"], birthday: "1990-03-25", joined_on: "2024-05-01", home_business_unit: "mall",
  growth_value: 1200, balance: 3000, last_purchase_on: "2026-07-01", days_since_purchase: 120, amount_30d: 0, amount_90d: 0,
  visits_30d: 0, visits_90d: 0, units_90d: [],
}, "2026-10-29T02:00:00.000Z");
