import { MEMBER_RESOURCES } from "../members/refresh-member-data";
import { useRpcMutation } from "../use-rpc";

export interface RedeemPointsInput {
  memberId: string;
  businessUnitId: string;
  points: number;
  /** One per dialog opening: a repeated click posts once. */
  idempotencyKey: string;
  reason?: string | null;
}

export interface RedeemedLot {
  lot_id: number;
  points: number;
  expires_at: string;
}

export interface RedeemPointsResult {
  entry_id: number;
  balance: number;
  duplicate: boolean;
  lots: RedeemedLot[];
}

/** Spends points first-expiring-first; the answer says which lots paid and how much each. */
export function useRedeemPointsMutation() {
  return useRpcMutation<RedeemPointsInput, RedeemPointsResult>("redeem_points", {
    args: (input) => ({
      p_member_id: input.memberId,
      p_business_unit_id: input.businessUnitId,
      p_points: input.points,
      p_idempotency_key: input.idempotencyKey,
      p_reason: input.reason?.trim() || null,
    }),
    invalidates: MEMBER_RESOURCES,
  });
}
