import { useOne } from "@refinedev/core";
import type { PointBalance } from "../../lib/types";

/** The member's current points balance (point_balances, one row per member). */
export function useMemberBalance(memberId: string | undefined) {
  const { result, query } = useOne<PointBalance>({
    resource: "point_balances",
    id: memberId,
    meta: { idColumnName: "member_id" },
    queryOptions: { enabled: !!memberId },
    errorNotification: false,
  });
  const balance = query.isSuccess ? Number(result?.balance ?? 0) : undefined;
  return { balance, loading: query.isLoading, error: query.isError };
}
