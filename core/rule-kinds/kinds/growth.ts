import { MAX_GROWTH_PER_EVENT } from "../../enums/limits.ts";
import type { RuleBook } from "../../evaluation/rule-book.ts";
import { describeValue, ruleProblem, runRule } from "../../evaluation/run-rule.ts";
import type { AppliedRule, ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { MEMBER_FIELDS, SAMPLE_MEMBER, SAMPLE_TRANSACTION, TRANSACTION_FIELDS } from "../shared-context.ts";
import type { EarningData } from "./earning.ts";

/** Growth data: the same as an earning rule's (the transaction and the member at its time). */
export type GrowthData = EarningData;

/** Growth result: a whole growth value (floored); null/false/0 mean "does not apply". */
export function toGrowth(value: unknown): number | ResultError {
  if (value === null || value === undefined || value === false) return 0;
  if (typeof value !== "number" || !Number.isFinite(value)) return { error: `a growth rule must return a growth value, got ${describeValue(value)}` };
  if (value < 0) return { error: `a growth rule must not return a negative growth value (${value})` };
  return Math.floor(value);
}

export interface GrowthOutcome {
  /** Growth of the transaction, capped at MAX_GROWTH_PER_EVENT. */
  growth: number;
  /** True when the rules gave more than the cap. */
  capped: boolean;
  applied: AppliedRule[];
  errors: RuleProblem[];
}

/**
 * Evaluates the growth rules in force at the transaction's time for its business unit and combines them by
 * the rule set's policy (first positive, sum or max); the total is capped per event (the SQL side caps again).
 */
export function evaluateGrowth(
  book: RuleBook,
  data: GrowthData,
  businessUnitId: string | null,
  occurredMs: number,
  options: { ignorePublication?: boolean } = {},
): GrowthOutcome {
  const errors: RuleProblem[] = [];
  const applied: AppliedRule[] = [];
  const { combination, rules } = book.inForce("growth", businessUnitId, occurredMs, options.ignorePublication);
  let total = 0;
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const growth = toGrowth(result.value);
    if (typeof growth !== "number") {
      errors.push(ruleProblem(rule, "result", growth.error));
      continue;
    }
    if (growth <= 0) continue;
    const entry: AppliedRule = { rule_id: rule.id, key: rule.key, version: rule.version, kind: "growth", points: growth };
    if (combination === "first") {
      total = growth;
      applied.push(entry);
      break;
    }
    if (combination === "max") {
      if (growth > total) {
        total = growth;
        applied.splice(0, applied.length, entry);
      }
      continue;
    }
    total += growth;
    applied.push(entry);
  }
  const capped = total > MAX_GROWTH_PER_EVENT;
  return { growth: Math.min(total, MAX_GROWTH_PER_EVENT), capped, applied, errors };
}

export const growthKind = {
  kind: "growth",
  position: 15,
  label: ruleKindLabel("growth"),
  combinations: ["first", "sum", "max"],
  unitScoped: true,
  usesLotKind: false,
  // Evaluated with the transaction's earning rules, posted in the same database transaction.
  job: "earn_transaction",
  context: [...TRANSACTION_FIELDS, ...MEMBER_FIELDS],
  sample: { transaction: SAMPLE_TRANSACTION, member: SAMPLE_MEMBER },
  outcomeBlocks: ["points", "number"],
  startingLogic: 0,
  normalizeResult: (value: unknown) => toGrowth(value),
  checkResult: (value: unknown) => {
    const growth = toGrowth(value);
    return typeof growth === "number" ? null : growth.error;
  },
} as const satisfies RuleKindModule<"growth">;
