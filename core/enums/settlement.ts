/**
 * Settlement between business units (结算): what causes settlement entries, the statuses of periods and decisions,
 * and the limits. SQL holds the same (supabase/migrations/20261208001100_settlement.sql: private.settlement_event_kinds(),
 * private.settlement_limits() and the table checks); tests/db/settlement.test.ts compares them.
 */
export const SETTLEMENT_EVENT_KINDS = ["points_redeem", "benefit_use", "coupon_use", "campaign_cost", "referral"] as const;
export type SettlementEventKind = (typeof SETTLEMENT_EVENT_KINDS)[number];

export const SETTLEMENT_PERIOD_STATUSES = ["open", "closed"] as const;
export type SettlementPeriodStatus = (typeof SETTLEMENT_PERIOD_STATUSES)[number];

export const SETTLEMENT_DECISIONS = ["confirmed", "disputed"] as const;
export type SettlementDecision = (typeof SETTLEMENT_DECISIONS)[number];

export const SETTLEMENT_LIMITS = {
  /** One settlement amount, in fen (¥1,000,000). */
  max_entry_fen: 100_000_000,
  /** One joint campaign cost, in fen (¥10,000,000). */
  max_campaign_fen: 1_000_000_000,
  /** A decision's or a close's comment, in characters. */
  max_comment: 1000,
  /** How many months back a period may be read, decided or posted to. */
  months_back: 24,
} as const;

/** The rate a redemption at another unit is paid at when no settlement rule gives an amount: the point value × 1.0. */
export const DEFAULT_SETTLEMENT_RATE = 1;
