import type { TierOfferPeriod } from "../../../core/enums/index.ts";
import type { ApprovalRequest } from "../approvals/types";
import { useRpcMutation } from "../use-rpc";

export interface TierSaleInput {
  memberId: string;
  offerId: string;
  businessUnitId: string;
  /** The payment's reference (POS or payment system): one sale per reference and unit. */
  paymentRef: string;
  idempotencyKey: string;
}

/** What a sale request carries for the approver (public.request_tier_sale). */
export interface TierSaleRequestData {
  offer_id: string;
  tier_code: string;
  period: TierOfferPeriod;
  price_fen: number;
  payment_ref: string;
}

/** Asks for the sale of a paid membership; the unit's manager checks the payment and approves (maker-checker). */
export function useRequestTierSale() {
  return useRpcMutation<TierSaleInput, ApprovalRequest>("request_tier_sale", {
    args: (input) => ({
      p_member_id: input.memberId,
      p_offer_id: input.offerId,
      p_business_unit_id: input.businessUnitId,
      p_payment_ref: input.paymentRef.trim(),
      p_idempotency_key: input.idempotencyKey,
    }),
    invalidates: ["approval_requests", "approval_tasks"],
  });
}
