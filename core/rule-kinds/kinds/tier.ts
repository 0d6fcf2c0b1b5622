import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { MEMBER_FIELDS, NOW_FIELD, SAMPLE_MEMBER } from "../shared-context.ts";

/**
 * Tier rules: stored and published (policy first) but not evaluated yet; tiers follow the growth
 * thresholds of public.tiers and the review job (public.review_tiers).
 */
export const tierKind = {
  kind: "tier",
  position: 50,
  label: ruleKindLabel("tier"),
  combinations: ["first"],
  unitScoped: false,
  usesLotKind: false,
  job: null,
  context: [...MEMBER_FIELDS, NOW_FIELD],
  sample: { member: SAMPLE_MEMBER, now: "2026-03-10T18:00:00.000Z" },
  outcomeBlocks: ["text", "number", "none"],
  startingLogic: 0,
  checkResult: () => null,
} as const satisfies RuleKindModule<"tier">;
