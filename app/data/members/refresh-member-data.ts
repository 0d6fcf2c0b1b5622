import { useInvalidate } from "@refinedev/core";
import { useCallback } from "react";

/** Every table the member 360 page reads; a posting or a merge can change any of them. */
export const MEMBER_RESOURCES = [
  "members",
  "point_balances",
  "point_lots",
  "ledger_entries",
  "transactions",
  "tier_history",
  "transaction_growth",
  "tier_purchases",
  "member_identities",
  "pending_points",
  "member_point_summary",
];

/** Re-reads everything the member pages show (after a posting, a redemption or a merge). */
export function useRefreshMemberData() {
  const invalidate = useInvalidate();
  return useCallback(
    () =>
      Promise.all(
        MEMBER_RESOURCES.map((resource) => invalidate({ resource, invalidates: ["resourceAll"] })),
      ),
    [invalidate],
  );
}
