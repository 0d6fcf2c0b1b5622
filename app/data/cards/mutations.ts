import type { CardAction, PaymentChannel } from "../../../core/enums/index.ts";
import type { ApprovalRequest } from "../approvals/types";
import { useRpcMutation } from "../use-rpc";
import type { CardPosting } from "./types";

/** What a card operation may change: the cards, their ledger and the consumption report. */
export const CARD_RESOURCES = ["stored_value_cards", "card_ledger", "card_consumptions"] as const;

const reason = (text?: string | null) => text?.trim() || null;

export interface IssueCardInput {
  businessUnitId: string;
  typeCode: string;
  cardNo?: string | null;
  memberId?: string | null;
  reason?: string | null;
  idempotencyKey: string;
}
export interface IssueCardResult {
  card_id: string;
  card_no: string;
  duplicate: boolean;
}
export function useIssueCard() {
  return useRpcMutation<IssueCardInput, IssueCardResult>("issue_card", {
    args: (i) => ({
      p_business_unit_id: i.businessUnitId,
      p_type_code: i.typeCode,
      p_idempotency_key: i.idempotencyKey,
      p_card_no: i.cardNo?.trim() || null,
      p_member_id: i.memberId || null,
      p_reason: reason(i.reason),
    }),
    invalidates: CARD_RESOURCES,
  });
}

export interface MoneyInput {
  cardId: string;
  businessUnitId: string;
  amountFen: number;
  channel?: PaymentChannel;
  reason?: string | null;
  idempotencyKey: string;
}
export function useConsumeCard() {
  return useRpcMutation<MoneyInput, CardPosting>("consume_card", {
    args: (i) => ({
      p_card_id: i.cardId,
      p_business_unit_id: i.businessUnitId,
      p_amount_fen: i.amountFen,
      p_idempotency_key: i.idempotencyKey,
      p_reason: reason(i.reason),
    }),
    invalidates: CARD_RESOURCES,
  });
}

export interface RefundInput {
  entryId: number;
  amountFen: number;
  reason?: string | null;
  idempotencyKey: string;
}
export function useRefundCard() {
  return useRpcMutation<RefundInput, CardPosting>("refund_card_consumption", {
    args: (i) => ({ p_entry_id: i.entryId, p_amount_fen: i.amountFen, p_idempotency_key: i.idempotencyKey, p_reason: reason(i.reason) }),
    invalidates: CARD_RESOURCES,
  });
}

export interface RechargeRequestInput {
  businessUnitId: string;
  cardIds: string[];
  /** Yuan per card, as the stored-value-recharge form says it. */
  amount: number;
  channel: PaymentChannel;
  paymentRef: string;
  reason?: string | null;
  idempotencyKey: string;
}
/** Asks for a recharge of one or more cards; it is posted when the approval flow approves it (maker-checker). */
export function useRequestCardRecharge() {
  return useRpcMutation<RechargeRequestInput, ApprovalRequest>("request_card_recharge", {
    args: (i) => ({
      p_business_unit_id: i.businessUnitId,
      p_card_ids: i.cardIds,
      p_data: { amount: i.amount, payment_method: i.channel, payment_ref: i.paymentRef.trim(), ...(reason(i.reason) ? { reason: reason(i.reason) } : {}) },
      p_idempotency_key: i.idempotencyKey,
    }),
    invalidates: ["approval_requests", "approval_tasks"],
  });
}

export function useSetCardStatus() {
  return useRpcMutation<{ cardId: string; action: CardAction; reason: string }, { status: string; changed: boolean }>("set_card_status", {
    args: (i) => ({ p_card_id: i.cardId, p_action: i.action, p_reason: i.reason.trim() }),
    invalidates: CARD_RESOURCES,
  });
}

export function useReplaceCard() {
  return useRpcMutation<
    { cardId: string; newCardNo?: string | null; reason: string; idempotencyKey: string },
    { card_id: string; card_no: string; balance_fen: number; duplicate: boolean }
  >("replace_card", {
    args: (i) => ({ p_card_id: i.cardId, p_idempotency_key: i.idempotencyKey, p_reason: i.reason.trim(), p_new_card_no: i.newCardNo?.trim() || null }),
    invalidates: CARD_RESOURCES,
  });
}
