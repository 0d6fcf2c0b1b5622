import { defaultLotExpiry } from "../../enums/lot-kinds.ts";
import { runRule, ruleProblem, describeValue } from "../../evaluation/run-rule.ts";
import type { AppliedRule, Combination, LoadedRule, ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { OperationContext } from "../../rules/index.ts";
import { dayFromCivil } from "../../rules/dates.ts";
import { daysInMonth } from "../../rules/iso-date.ts";
import { isoInstant } from "../../time/iso-instant.ts";
import { DAY_MS, zoneMidnight } from "../../time/zone.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { contextField, MEMBER_FIELDS, SAMPLE_MEMBER, SAMPLE_TRANSACTION, TRANSACTION_FIELDS } from "../shared-context.ts";

/** The data an expiry rule receives. */
export interface ExpiryData {
  lot: { kind: string; points: number; earned_at: string };
  transaction?: { amount: number; channel: string; occurred_at: string; order_no?: string; items?: readonly unknown[]; business_unit: { code: string; kind: string } };
  member: { tier: string; tags?: string[]; birthday?: string | null; growth_value?: number; joined_at?: string; status?: string; home_business_unit?: string | null };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Longest validity a rule may give in days (100 years). */
export const MAX_VALIDITY_DAYS = 36_600;

/**
 * Expiry result → the instant the lot expires: a number of days of validity counted from the earn
 * time; an ISO date "YYYY-MM-DD" (valid through that date, so it expires when the next day starts in
 * the program's time zone); an ISO date-time with offset (that instant). null/false: no opinion.
 */
export function toExpiry(value: unknown, earnedMs: number, timeZone: string): number | null | ResultError {
  if (value === null || value === undefined || value === false) return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 1 || value > MAX_VALIDITY_DAYS) {
      return { error: `an expiry rule returning days must return 1 to ${MAX_VALIDITY_DAYS}, got ${describeValue(value)}` };
    }
    return earnedMs + Math.floor(value) * DAY_MS;
  }
  if (typeof value === "string") {
    const m = ISO_DATE.exec(value);
    if (m) {
      const [year, month, dayOfMonth] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) return { error: `not a valid date: ${value}` };
      return zoneMidnight(dayFromCivil(year, month, dayOfMonth) + 1, timeZone);
    }
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value)) {
      const t = Date.parse(value);
      if (Number.isFinite(t)) return t;
    }
  }
  return { error: `an expiry rule must return days (number), an ISO date or an ISO date-time with offset, got ${describeValue(value)}` };
}

/**
 * The expiry instant of one lot from the expiry rules in force, combined per policy (sum adds the
 * periods, max takes the latest, first the first); null when no rule has an opinion.
 */
export function evaluateExpiry(
  combination: Combination,
  rules: readonly LoadedRule[],
  context: OperationContext,
  data: ExpiryData,
  earnedMs: number,
  errors: RuleProblem[],
  applied: AppliedRule[] | null,
): number | null {
  const found: { rule: LoadedRule; at: number }[] = [];
  for (const rule of rules) {
    const result = runRule(rule, data, context, errors);
    if (!result.ok) continue;
    const at = toExpiry(result.value, earnedMs, context.timeZone);
    if (at === null) continue;
    if (typeof at !== "number") {
      errors.push(ruleProblem(rule, "result", at.error));
      continue;
    }
    if (at <= earnedMs) {
      errors.push(ruleProblem(rule, "result", `expiry ${isoInstant(at)} is not after the earn time`));
      continue;
    }
    found.push({ rule, at });
    if (combination === "first") break;
  }
  if (found.length === 0) return null;
  let chosen: { rule: LoadedRule; at: number }[];
  let at: number;
  if (combination === "max") {
    const best = found.reduce((b, f) => (f.at > b.at ? f : b));
    chosen = [best];
    at = best.at;
  } else if (combination === "sum") {
    chosen = found;
    at = earnedMs + found.reduce((sum, f) => sum + (f.at - earnedMs), 0);
  } else {
    chosen = [found[0]];
    at = found[0].at;
  }
  if (applied) {
    for (const f of chosen) {
      applied.push({ rule_id: f.rule.id, key: f.rule.key, version: f.rule.version, kind: "expiry", lot_kind: data.lot.kind, expires_at: isoInstant(f.at) });
    }
  }
  return at;
}

/** Default validity of a lot kind when no expiry rule says otherwise (private.default_expiry). */
export const defaultExpiry = defaultLotExpiry;

export const expiryKind = {
  kind: "expiry",
  position: 20,
  label: ruleKindLabel("expiry"),
  combinations: ["first", "sum", "max"],
  unitScoped: true,
  usesLotKind: false,
  job: "earn_transaction",
  context: [
    contextField("lot.kind", "string", "lotKinds"),
    contextField("lot.points", "integer"),
    contextField("lot.earned_at", "date-time"),
    ...TRANSACTION_FIELDS,
    ...MEMBER_FIELDS,
  ],
  sample: { lot: { kind: "shopping", points: 150, earned_at: "2026-03-10T02:00:00.000Z" }, transaction: SAMPLE_TRANSACTION, member: SAMPLE_MEMBER },
  outcomeBlocks: ["number", "monthsAfter", "periodEnd", "date", "none"],
  startingLogic: 365,
  checkResult: (value: unknown) => {
    const at = toExpiry(value, 0, "UTC");
    return at !== null && typeof at === "object" ? at.error : null;
  },
} as const satisfies RuleKindModule<"expiry">;
