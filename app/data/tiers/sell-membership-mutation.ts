import { MEMBER_RESOURCES } from "../members/refresh-member-data";
import { useRpcMutation } from "../use-rpc";

export interface SellMembershipInput {
  memberId: string;
  offerId: string;
  businessUnitId: string;
  /** The payment's reference (POS or payment system): one sale per reference and unit. */
  paymentRef: string;
}

export interface SellMembershipResult {
  purchase_id: number;
  duplicate: boolean;
  tier_code: string;
  starts_at: string;
  ends_at: string;
  tier_changed?: boolean;
  gift_points?: number;
}

/** Sells a paid membership (`sell_tier_membership`): the offer's tier until its period ends. */
export function useSellMembershipMutation() {
  return useRpcMutation<SellMembershipInput, SellMembershipResult>("sell_tier_membership", {
    args: (input) => ({
      p_member_id: input.memberId,
      p_offer_id: input.offerId,
      p_business_unit_id: input.businessUnitId,
      p_payment_ref: input.paymentRef.trim(),
    }),
    invalidates: [...MEMBER_RESOURCES, "tier_purchases"],
  });
}
