import { useList } from "@refinedev/core";
import { useEffect } from "react";
import type { TransactionEarning } from "../../lib/types";
import { useRefreshMemberData } from "../members/refresh-member-data";

const POLL_MS = 1000;

/**
 * The engine's earning of one recorded transaction, polled every second until it is there; then the
 * member pages are re-read (balance, lots, ledger). Disabled when `enabled` is false.
 */
export function useTransactionEarning(transactionId: string | undefined, enabled: boolean) {
  const refresh = useRefreshMemberData();
  const { result, query } = useList<TransactionEarning & { id?: string }>({
    resource: "transaction_earnings",
    filters: [{ field: "transaction_id", operator: "eq", value: transactionId }],
    pagination: { mode: "off" },
    queryOptions: {
      enabled: enabled && !!transactionId,
      refetchInterval: (current) => (current.state.data?.data.length || current.state.status === "error" ? false : POLL_MS),
      gcTime: 0,
    },
    errorNotification: false,
  });
  const earning = (result.data[0] as TransactionEarning | undefined) ?? null;
  useEffect(() => {
    if (earning) void refresh();
  }, [earning, refresh]);
  return { earning, error: query.error ? query.error.message : null };
}
