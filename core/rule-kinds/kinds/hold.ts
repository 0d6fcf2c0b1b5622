import type { RuleBook } from "../../evaluation/rule-book.ts";
import { describeValue, ruleProblem, runRule } from "../../evaluation/run-rule.ts";
import type { AppliedRule, ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { MEMBER_FIELDS, SAMPLE_MEMBER, SAMPLE_TRANSACTION, TRANSACTION_FIELDS } from "../shared-context.ts";
import type { EarningData } from "./earning.ts";

/** Hold (return window) data: the same as an earning rule's (the transaction and the member at its time). */
export type HoldData = EarningData;

/** Longest return window a rule may give, in days (private.pending_limits() says the same). */
export const MAX_HOLD_DAYS = 90;

/** Hold result: whole days (1-90) the transaction's points stay pending (待入账); null/false/0: no hold. */
export function toHoldDays(value: unknown): number | ResultError {
  if (value === null || value === undefined || value === false || value === 0) return 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_HOLD_DAYS) {
    return { error: `a return-window rule must return whole days from 0 to ${MAX_HOLD_DAYS}, got ${describeValue(value)}` };
  }
  return value;
}

export interface HoldOutcome {
  /** Days the points are held after the transaction (0: posted at once). */
  days: number;
  applied: AppliedRule[];
  errors: RuleProblem[];
}

/**
 * The return window of a transaction's points: the hold rules in force at its time for its unit, combined by the
 * rule set's policy (first: the first rule that gives days; max: the longest). A failing rule holds nothing.
 */
export function evaluateHold(book: RuleBook, data: HoldData, businessUnitId: string | null, occurredMs: number,
  options: { ignorePublication?: boolean } = {}): HoldOutcome {
  const errors: RuleProblem[] = [];
  const applied: AppliedRule[] = [];
  const { combination, rules } = book.inForce("hold", businessUnitId, occurredMs, options.ignorePublication);
  let days = 0;
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const value = toHoldDays(result.value);
    if (typeof value !== "number") {
      errors.push(ruleProblem(rule, "result", value.error));
      continue;
    }
    if (value <= 0) continue;
    const entry: AppliedRule = { rule_id: rule.id, key: rule.key, version: rule.version, kind: "hold", points: value };
    if (combination === "first") {
      days = value;
      applied.push(entry);
      break;
    }
    if (value > days) {
      days = value;
      applied.splice(0, applied.length, entry);
    }
  }
  return { days, applied, errors };
}

export const holdKind = {
  kind: "hold",
  position: 22,
  label: ruleKindLabel("hold"),
  combinations: ["first", "max"],
  unitScoped: true,
  usesLotKind: false,
  // Evaluated with the transaction's earning rules: held points are posted as pending, released by the engine.
  job: "earn_transaction",
  context: [...TRANSACTION_FIELDS, ...MEMBER_FIELDS],
  sample: { transaction: SAMPLE_TRANSACTION, member: SAMPLE_MEMBER },
  outcomeBlocks: ["number", "none"],
  startingLogic: 0,
  normalizeResult: (value: unknown) => toHoldDays(value),
  checkResult: (value: unknown) => {
    const days = toHoldDays(value);
    return typeof days === "number" ? null : days.error;
  },
} as const satisfies RuleKindModule<"hold">;
