import { SETTLEMENT_LIMITS } from "../../enums/settlement.ts";
import type { RuleBook } from "../../evaluation/rule-book.ts";
import { describeValue, ruleProblem, runRule } from "../../evaluation/run-rule.ts";
import type { AppliedRule, ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { ContextField, RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { contextField as field } from "../shared-context.ts";

/**
 * The data a settlement rule receives for one event between two business units (SQL builds the same in
 * supabase/migrations/20261208001100_settlement.sql: private.settle_lot_moves, private.settle_benefit_use,
 * public.post_campaign_cost). The issuing unit pays the using unit the amount the rule returns.
 */
export interface SettlementData {
  event: {
    /** points_redeem | benefit_use | coupon_use | campaign_cost | referral (core/enums/settlement.ts). */
    kind: string;
    /** Points redeemed (points_redeem). */
    points?: number;
    /**
     * The event's value in fen: the points' value at the point value, a coupon's face value, a campaign's total, the
     * referred member's first purchase.
     */
    value_fen: number;
    /** A coupon's face value in fen (coupon_use). */
    face_value_fen?: number;
    /** Uses verified (benefit_use, coupon_use). */
    uses?: number;
    /** The benefit's kind and key (benefit_use, coupon_use). */
    benefit_kind?: string;
    benefit?: string;
    /** The joint campaign's key and total cost in fen (campaign_cost). */
    campaign?: string;
    total_fen?: number;
  };
  /**
   * The unit that issued the points or the benefit, and pays (campaign_cost: the unit that paid the cost; referral:
   * the unit that gained the member).
   */
  issuing_unit: { code: string; kind: string };
  /**
   * The unit where they were used, and is paid (campaign_cost: the unit sharing the cost, with its traffic and revenue
   * shares; referral: the member's home unit, which brought the member).
   */
  using_unit: { code: string; kind: string; traffic_share?: number; revenue_share?: number };
  member: { tier: string | null };
}

export const SETTLEMENT_FIELDS: readonly ContextField[] = [
  field("event.kind", "string"),
  field("event.points", "integer"),
  field("event.value_fen", "integer"),
  field("event.face_value_fen", "integer"),
  field("event.uses", "integer"),
  field("event.benefit_kind", "string"),
  field("event.campaign", "string"),
  field("event.total_fen", "integer"),
  field("issuing_unit.code", "string", "businessUnits"),
  field("issuing_unit.kind", "string", "unitKinds"),
  field("using_unit.code", "string", "businessUnits"),
  field("using_unit.kind", "string", "unitKinds"),
  field("using_unit.traffic_share", "number"),
  field("using_unit.revenue_share", "number"),
  field("member.tier", "string", "tiers"),
];

/** The JSON-logic operations SQL evaluates for settlement rules (private.settlement_value). */
export const SETTLEMENT_OPERATIONS: readonly string[] = [
  "var", "if", "?:", "and", "or", "!", "!!", "==", "===", "!=", "!==", ">", ">=", "<", "<=", "in",
  "+", "-", "*", "/", "%", "min", "max", "floor", "round",
];

/**
 * Settlement result: the amount in fen the issuing unit pays the using unit (rounded, at most
 * SETTLEMENT_LIMITS.max_entry_fen); null or false: no opinion, the next rule (then the default) decides.
 */
export function toSettlementAmount(value: unknown): number | null | ResultError {
  if (value === null || value === undefined || value === false) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) return { error: `a settlement rule must return an amount in fen, got ${describeValue(value)}` };
  if (value < 0) return { error: `a settlement rule must not return a negative amount (${value})` };
  const amount = Math.round(value);
  if (amount > SETTLEMENT_LIMITS.max_entry_fen) return { error: `a settlement amount is at most ${SETTLEMENT_LIMITS.max_entry_fen} fen, got ${amount}` };
  return amount;
}

export interface SettlementOutcome {
  /** The amount in fen, or the default when no rule gave one. */
  amount_fen: number;
  applied: AppliedRule[];
  errors: RuleProblem[];
}

/**
 * The first settlement rule in force at `atMs` (priority, key) that gives an amount decides; a failing rule is
 * skipped; none: `defaultFen` (SQL: private.settlement_amount, evaluated in the event's transaction).
 */
export function evaluateSettlement(book: RuleBook, data: SettlementData, atMs: number, defaultFen: number): SettlementOutcome {
  const errors: RuleProblem[] = [];
  const { rules } = book.inForce("settlement", null, atMs);
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const amount = toSettlementAmount(result.value);
    if (amount !== null && typeof amount !== "number") {
      errors.push(ruleProblem(rule, "result", amount.error));
      continue;
    }
    if (amount === null) continue;
    return { amount_fen: amount, applied: [{ rule_id: rule.id, key: rule.key, version: rule.version, kind: "settlement" }], errors };
  }
  return { amount_fen: Math.min(Math.max(0, Math.round(defaultFen)), SETTLEMENT_LIMITS.max_entry_fen), applied: [], errors };
}

export const settlementKind = {
  kind: "settlement",
  position: 70,
  label: ruleKindLabel("settlement"),
  combinations: ["first"],
  unitScoped: false,
  usesLotKind: false,
  // Evaluated in SQL, in the transaction of the event that causes the settlement (private.settlement_amount).
  job: null,
  context: SETTLEMENT_FIELDS,
  sample: {
    // The mall redeems 1,200 points the hotel gave out; the fields only other events use are zero or empty.
    event: { kind: "points_redeem", points: 1200, value_fen: 1200, face_value_fen: 0, uses: 0, benefit_kind: "", campaign: "", total_fen: 0 },
    issuing_unit: { code: "hotel", kind: "hotel" },
    using_unit: { code: "mall", kind: "mall", traffic_share: 0, revenue_share: 0 },
    member: { tier: "gold" },
  } satisfies SettlementData,
  outcomeBlocks: ["points", "number", "none"],
  startingLogic: null,
  normalizeResult: (value: unknown) => toSettlementAmount(value),
  checkResult: (value: unknown) => {
    const amount = toSettlementAmount(value);
    return amount === null || typeof amount === "number" ? null : amount.error;
  },
} as const satisfies RuleKindModule<"settlement">;
