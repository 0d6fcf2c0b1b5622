import { useQuery } from "@tanstack/react-query";
import { useCan } from "@refinedev/core";
import { callRpc } from "../rpc";
import type { ApprovalCounts } from "./types";

export const APPROVAL_COUNTS_KEY = ["rpc", "approval_counts"] as const;

/** Tasks waiting for the signed-in user and their own pending requests (menu badge, home page). */
export function useApprovalCounts() {
  const { data: can } = useCan({ resource: "approvals", action: "list" });
  const { data } = useQuery({
    queryKey: APPROVAL_COUNTS_KEY,
    queryFn: () => callRpc<ApprovalCounts>("approval_counts", {}),
    enabled: !!can?.can,
    refetchInterval: 60_000,
  });
  return data;
}
