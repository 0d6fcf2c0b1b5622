import { useList } from "@refinedev/core";
import dayjs from "dayjs";
import { useMemo } from "react";
import type { PointLot } from "../../lib/types";

export const EXPIRING_DAYS = 30;

/** The member's open lots (points left), soonest expiry first, and how many points expire within 30 days. */
export function useMemberLots(memberId: string | undefined) {
  const { result, query } = useList<PointLot>({
    resource: "point_lots",
    filters: [
      { field: "member_id", operator: "eq", value: memberId },
      { field: "remaining_points", operator: "gt", value: 0 },
    ],
    sorters: [
      { field: "expires_at", order: "asc" },
      { field: "earned_at", order: "asc" },
      { field: "id", order: "asc" },
    ],
    pagination: { mode: "off" },
    queryOptions: { enabled: !!memberId },
    errorNotification: false,
  });
  const lots = useMemo(() => result.data ?? [], [result.data]);
  const expiringPoints = useMemo(() => {
    const now = dayjs();
    const limit = now.add(EXPIRING_DAYS, "day");
    return lots
      .filter((lot) => dayjs(lot.expires_at).isAfter(now) && !dayjs(lot.expires_at).isAfter(limit))
      .reduce((sum, lot) => sum + lot.remaining_points, 0);
  }, [lots]);
  return { lots, expiringPoints, loading: query.isLoading, error: query.isError };
}

/** expired: past expiry (awaiting the expiry job); expiring: within 30 days; else ok. */
export function lotState(lot: Pick<PointLot, "expires_at">): "expired" | "expiring" | "ok" {
  const expires = dayjs(lot.expires_at);
  if (!expires.isAfter(dayjs())) return "expired";
  return expires.isAfter(dayjs().add(EXPIRING_DAYS, "day")) ? "ok" : "expiring";
}
