import { DEFAULT_LOT_KIND } from "../../enums/lot-kinds.ts";
import { MAX_LOT_POINTS, MAX_RULE_POINTS } from "../../enums/limits.ts";
import type { RuleBook } from "../../evaluation/rule-book.ts";
import { describeValue, ruleProblem, runRule } from "../../evaluation/run-rule.ts";
import type { AppliedRule, Combination, LoadedRule, ResultError, RuleProblem } from "../../evaluation/types.ts";
import { evaluateExpiry } from "./expiry.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { MEMBER_FIELDS, SAMPLE_MEMBER, SAMPLE_TRANSACTION, TRANSACTION_FIELDS } from "../shared-context.ts";

/** The data an earning rule receives (see workflows/README.md). */
export interface EarningData {
  transaction: {
    amount: number;
    channel: string;
    occurred_at: string;
    order_no?: string;
    items?: readonly unknown[];
    business_unit: { code: string; kind: string };
  };
  member: {
    tier: string;
    tags: string[];
    birthday: string | null;
    growth_value: number;
    joined_at: string;
    status?: string;
    home_business_unit?: string | null;
  };
}

/** Earning result: a number of points (floored); null/false/0 mean "does not apply". */
export function toPoints(value: unknown): number | ResultError {
  if (value === null || value === undefined || value === false) return 0;
  if (typeof value !== "number" || !Number.isFinite(value)) return { error: `an earning rule must return a number of points, got ${describeValue(value)}` };
  if (value < 0) return { error: `an earning rule must not return negative points (${value})` };
  if (value > MAX_RULE_POINTS) return { error: `${value} points exceed the limit of ${MAX_RULE_POINTS} per rule and event` };
  return Math.floor(value);
}

export interface EvaluatedLot {
  kind: string;
  points: number;
  /** Expiry instant (ms); null: the ledger's default validity for the kind (private.default_expiry). */
  expires_ms: number | null;
}

export interface EarningOutcome {
  points: number;
  /** Lots to post, the main (largest) one first. */
  lots: EvaluatedLot[];
  applied: AppliedRule[];
  errors: RuleProblem[];
}

interface Contribution {
  rule: LoadedRule;
  points: number;
}

function combinePoints(combination: Combination, contributions: Contribution[]): Contribution[] {
  const positive = contributions.filter((c) => c.points > 0);
  if (positive.length === 0) return [];
  if (combination === "first") return [positive[0]];
  if (combination === "max") return [positive.reduce((best, c) => (c.points > best.points ? c : best))];
  return positive;
}

/** Largest lot first; on a tie the default kind, then by name. */
function byMainLot(a: EvaluatedLot, b: EvaluatedLot): number {
  return b.points - a.points || (a.kind === DEFAULT_LOT_KIND ? -1 : b.kind === DEFAULT_LOT_KIND ? 1 : a.kind < b.kind ? -1 : 1);
}

/**
 * Evaluates the earning rules in force at the transaction's time for its business unit, combines them
 * per the rule set's policy, groups the points into lots by the rules' lot kinds, and gives each lot its
 * expiry from the expiry rules in force (null when no expiry rule has an opinion).
 */
export function evaluateEarning(
  book: RuleBook,
  data: EarningData,
  businessUnitId: string | null,
  occurredMs: number,
  options: { ignorePublication?: boolean; trace?: boolean } = {},
): EarningOutcome {
  const errors: RuleProblem[] = [];
  const applied: AppliedRule[] = [];
  const trace = options.trace !== false;
  const { combination, rules } = book.inForce("earning", businessUnitId, occurredMs, options.ignorePublication);
  const contributions: Contribution[] = [];
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const points = toPoints(result.value);
    if (typeof points !== "number") {
      errors.push(ruleProblem(rule, "result", points.error));
      continue;
    }
    contributions.push({ rule, points });
    if (combination === "first" && points > 0) break;
  }
  const lots: EvaluatedLot[] = [];
  for (const c of combinePoints(combination, contributions)) {
    const lot = lots.find((l) => l.kind === c.rule.lotKind);
    if (lot) lot.points += c.points;
    else lots.push({ kind: c.rule.lotKind, points: c.points, expires_ms: null });
    if (trace) applied.push({ rule_id: c.rule.id, key: c.rule.key, version: c.rule.version, kind: "earning", points: c.points, lot_kind: c.rule.lotKind });
  }
  let total = 0;
  for (const lot of lots) {
    lot.points = Math.min(lot.points, MAX_LOT_POINTS);
    total += lot.points;
  }
  if (lots.length > 1) lots.sort(byMainLot);
  if (lots.length) {
    const expiry = book.inForce("expiry", businessUnitId, occurredMs, options.ignorePublication);
    if (expiry.rules.length) {
      for (const lot of lots) {
        lot.expires_ms = evaluateExpiry(expiry.combination, expiry.rules, book.context, {
          lot: { kind: lot.kind, points: lot.points, earned_at: data.transaction.occurred_at },
          transaction: data.transaction,
          member: data.member,
        }, occurredMs, errors, trace ? applied : null);
      }
    }
  }
  return { points: total, lots, applied, errors };
}

export const earningKind = {
  kind: "earning",
  position: 10,
  label: ruleKindLabel("earning"),
  combinations: ["first", "sum", "max"],
  unitScoped: true,
  usesLotKind: true,
  job: "earn_transaction",
  context: [...TRANSACTION_FIELDS, ...MEMBER_FIELDS],
  sample: { transaction: SAMPLE_TRANSACTION, member: SAMPLE_MEMBER },
  outcomeBlocks: ["points", "number"],
  startingLogic: 0,
  normalizeResult: (value: unknown) => toPoints(value),
  checkResult: (value: unknown) => {
    const points = toPoints(value);
    return typeof points === "number" ? null : points.error;
  },
} as const satisfies RuleKindModule<"earning">;
