/**
 * Settlement between business units, as the database serves it: amounts are integer fen, periods are
 * calendar months in the business time zone named by their first day (YYYY-MM-01).
 */

import type { SettlementDecision, SettlementPeriodStatus } from "../../../core/enums/index.ts";

export { SETTLEMENT_EVENT_KINDS, SETTLEMENT_LIMITS, type SettlementDecision, type SettlementEventKind, type SettlementPeriodStatus } from "../../../core/enums/index.ts";

/** One row of the view settlement_statements: a unit's statement against one counterparty for a month. */
export interface SettlementStatement {
  period: string;
  business_unit_id: string;
  counterparty_unit_id: string;
  receivable_fen: number;
  payable_fen: number;
  net_fen: number;
  entry_count: number;
  by_event_kind: Record<string, number> | null;
  my_decision: SettlementDecision | null;
  my_comment: string | null;
  counterparty_decision: SettlementDecision | null;
  counterparty_comment: string | null;
  period_status: SettlementPeriodStatus | null;
}

/** One row of settlement_entries (append-only): positive amounts are received from the counterparty. */
export interface SettlementEntry {
  id: number;
  period: string;
  event_kind: string;
  event_ref: string | null;
  business_unit_id: string;
  counterparty_unit_id: string;
  amount_fen: number;
  rule_key: string | null;
  rule_version: number | null;
  reverses_entry_id: number | null;
  correction_of_period: string | null;
  created_at: string;
}

export interface SettlementPeriod {
  period: string;
  status: SettlementPeriodStatus;
  closed_by: string | null;
  closed_at: string | null;
}

/** rpc settlement_matrix: the net of each ordered pair of units for a month. */
export interface SettlementMatrixRow {
  business_unit_id: string;
  counterparty_unit_id: string;
  net_fen: number;
}

/**
 * The measures of a unit's report (rpc settlement_unit_report), in fen: what it received for serving other units'
 * members (their points, benefits and coupons used here), what it paid for its own members' points and benefits used
 * elsewhere, its net of joint campaign costs, its net referral commission, and the net of everything.
 */
export const SETTLEMENT_REPORT_MEASURES = ["served_income_fen", "members_elsewhere_cost_fen", "campaign_net_fen", "referral_net_fen", "net_fen"] as const;
export type SettlementReportMeasure = (typeof SETTLEMENT_REPORT_MEASURES)[number];

/** One counterparty's line of a unit's report. */
export type SettlementReportLine = { counterparty_unit_id: string; by_event_kind?: Record<string, number> | null } & Partial<Record<SettlementReportMeasure, number>>;

/** rpc settlement_unit_report: the unit's totals and one line per counterparty. */
export type SettlementUnitReport = Partial<Record<SettlementReportMeasure, number>> & {
  period?: string;
  business_unit_id?: string;
  counterparties?: SettlementReportLine[];
};

/** Fen (integer) to yuan. */
export const fenToYuan = (fen: number | string | null | undefined) => (fen === null || fen === undefined ? null : Number(fen) / 100);
