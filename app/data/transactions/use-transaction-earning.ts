import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import type { TransactionEarning } from "../../lib/types";
import { supabaseClient } from "../../providers/supabase-client";
import { useRefreshMemberData } from "../members/refresh-member-data";

const POLL_MS = 1000;

/**
 * The engine's earning of one recorded transaction, polled every second until it is there; then the
 * member pages are re-read (balance, lots, ledger). Disabled when `enabled` is false.
 */
export function useTransactionEarning(transactionId: string | undefined, enabled: boolean) {
  const refresh = useRefreshMemberData();
  const query = useQuery({
    queryKey: ["transaction-earning", transactionId],
    enabled: enabled && !!transactionId,
    queryFn: async () => {
      const { data, error } = await supabaseClient
        .from("transaction_earnings")
        .select("*")
        .eq("transaction_id", transactionId!)
        .maybeSingle();
      if (error) throw new Error(error.message);
      return (data as TransactionEarning | null) ?? null;
    },
    refetchInterval: (current) => (current.state.data || current.state.status === "error" ? false : POLL_MS),
    gcTime: 0,
  });
  const earning = query.data ?? null;
  useEffect(() => {
    if (earning) void refresh();
  }, [earning, refresh]);
  return { earning, error: query.error ? query.error.message : null };
}
