import { CODE_PATTERN } from "../../enums/patterns.ts";
import type { RuleBook } from "../../evaluation/rule-book.ts";
import { describeValue, ruleProblem, runRule } from "../../evaluation/run-rule.ts";
import type { AppliedRule, ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { MEMBER_FIELDS, NOW_FIELD, SAMPLE_MEMBER } from "../shared-context.ts";

/** The data a tier rule receives: the member as it is now (tier, tags, growth...) and the moment of the review. */
export interface TierData {
  member: {
    tier: string;
    tags: string[];
    birthday: string | null;
    growth_value: number;
    joined_at: string;
    status: string;
    home_business_unit: string | null;
  };
  now: string;
}

const CODE = new RegExp(CODE_PATTERN);

/**
 * Tier result: the code of the tier the member holds at least (a tier threshold); null, false, 0 or "" mean
 * "no opinion". Whether the code is on the ladder is checked against the book's ladder when evaluated.
 */
export function toTierFloor(value: unknown): string | null | ResultError {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return null;
  if (typeof value !== "string" || !CODE.test(value)) return { error: `a tier rule must return a tier code, got ${describeValue(value)}` };
  return value;
}

export interface TierOutcome {
  /** The highest tier the rules give (by the ladder's rank), or null: no rule gave one. */
  tier: string | null;
  applied: AppliedRule[];
  errors: RuleProblem[];
}

/**
 * The group-wide tier rules in force at `nowMs` on a member: each gives the tier the member holds at least; the
 * policy `first` takes the first rule (by priority) that gives one. A code that is not on the ladder is a result
 * problem of that rule. The member then holds the highest of this and the tier their growth earns (review_tiers).
 */
export function evaluateTier(book: RuleBook, data: TierData, nowMs: number): TierOutcome {
  const errors: RuleProblem[] = [];
  const applied: AppliedRule[] = [];
  const ladder = book.context.tierLadder;
  const { rules } = book.inForce("tier", null, nowMs);
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const tier = toTierFloor(result.value);
    if (tier !== null && typeof tier !== "string") {
      errors.push(ruleProblem(rule, "result", tier.error));
      continue;
    }
    if (tier === null) continue;
    if (!ladder.includes(tier)) {
      errors.push(ruleProblem(rule, "result", `a tier rule returned ${JSON.stringify(tier)}, which is not a tier of the ladder`));
      continue;
    }
    applied.push({ rule_id: rule.id, key: rule.key, version: rule.version, kind: "tier" });
    return { tier, applied, errors };
  }
  return { tier: null, applied, errors };
}

export const tierKind = {
  kind: "tier",
  position: 50,
  label: ruleKindLabel("tier"),
  combinations: ["first"],
  unitScoped: false,
  usesLotKind: false,
  // Evaluated by the daily tier review on every active member (engine/jobs.ts reviewTiers → public.review_tiers).
  job: "review_tiers",
  context: [...MEMBER_FIELDS, NOW_FIELD],
  sample: { member: SAMPLE_MEMBER, now: "2026-03-10T18:00:00.000Z" },
  outcomeBlocks: ["tier", "none"],
  // No tier yet ("" gives no opinion): the visual editor shows it as an unset tier threshold.
  startingLogic: "",
  normalizeResult: (value: unknown) => toTierFloor(value),
  checkResult: (value: unknown) => {
    const tier = toTierFloor(value);
    return tier === null || typeof tier === "string" ? null : tier.error;
  },
} as const satisfies RuleKindModule<"tier">;
