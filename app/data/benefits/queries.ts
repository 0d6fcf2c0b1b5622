import { useQuery } from "@tanstack/react-query";
import { callRpc, type RpcError } from "../rpc";
import type { UsableBenefit } from "./types";

/** The query key of a member's benefits at a unit (re-read after a verification). */
export const USABLE_BENEFITS = ["benefits", "usable"] as const;

/**
 * The member's grants as `usable_benefits` sees them at one unit: usable now, or the reason why not (for a purchase
 * paid partly with points when `withPoints`).
 * Without a unit (the member 360 page of a group-wide role) nothing is asked.
 */
export function useUsableBenefits(memberId: string | undefined, businessUnitId: string | undefined, withPoints = false) {
  return useQuery<UsableBenefit[], RpcError>({
    queryKey: [...USABLE_BENEFITS, memberId, businessUnitId, withPoints],
    queryFn: () => callRpc<UsableBenefit[]>("usable_benefits", { p_member_id: memberId, p_business_unit_id: businessUnitId, p_with_points: withPoints }),
    enabled: !!memberId && !!businessUnitId,
    retry: false,
  });
}
