import type { CardAction, CardEntryKind, CardStatus, PaymentChannel } from "../../../core/enums/index.ts";

export interface StoredValueCard {
  id: string;
  card_no: string;
  type_code: string;
  member_id: string | null;
  issuing_unit_id: string;
  status: CardStatus;
  /** Fen; PostgREST sends bigint as a number. */
  balance_fen: number;
  status_reason: string | null;
  replaces_card_id: string | null;
  replaced_by_card_id: string | null;
  issued_at: string;
}

export interface CardEntry {
  id: number;
  card_id: string;
  kind: CardEntryKind;
  amount_fen: number;
  balance_after: number;
  business_unit_id: string;
  channel: PaymentChannel | null;
  refunds_entry_id: number | null;
  related_card_id: string | null;
  reason: string | null;
  operator_id: string | null;
  occurred_at: string;
}

export interface CardConsumption {
  id: number;
  card_id: string;
  card_no: string;
  type_code: string;
  member_id: string | null;
  member_no: string | null;
  member_name: string | null;
  business_unit_id: string;
  amount_fen: number;
  refunded_fen: number;
  operator_name: string | null;
  reason: string | null;
  occurred_at: string;
}

export interface CardPosting {
  entry_id: number;
  card_id: string;
  balance_fen: number;
  duplicate: boolean;
}

export type { CardAction };

/** The form of a recharge request (the flow of action card_recharge names it too). */
export const RECHARGE_FORM = "stored-value-recharge";

/** The data of a recharge request (public.request_card_recharge): the form's data and the cards. */
export interface RechargeRequestData {
  amount: number;
  payment_method: PaymentChannel;
  payment_ref: string;
  reason?: string;
  cards: { card_id: string; card_no: string }[];
  amount_fen: number;
  total_fen: number;
  card_count: number;
}
