import { useList, useOne } from "@refinedev/core";
import type { PendingPoints, PointSummary } from "../../lib/types";

/** The member's spendable balance and pending points (待入账) apart (member_point_summary). */
export function useMemberPointSummary(memberId: string | undefined) {
  const { result, query } = useOne<PointSummary>({
    resource: "member_point_summary",
    id: memberId,
    meta: { idColumnName: "member_id" },
    queryOptions: { enabled: !!memberId },
    errorNotification: false,
  });
  return {
    balance: query.isSuccess ? Number(result?.balance ?? 0) : undefined,
    pending: query.isSuccess ? Number(result?.pending ?? 0) : 0,
    nextReleaseAt: result?.next_release_at ?? null,
    loading: query.isLoading,
  };
}

/** The member's pending lots of the last purchases (held, released, cancelled), newest first. */
export function useMemberPendingPoints(memberId: string | undefined) {
  const { result, query } = useList<PendingPoints>({
    resource: "pending_points",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    sorters: [{ field: "id", order: "desc" }],
    pagination: { pageSize: 20 },
    queryOptions: { enabled: !!memberId },
    errorNotification: false,
  });
  return { rows: result.data ?? [], loading: query.isLoading, error: query.isError };
}
