import { useQuery } from "@tanstack/react-query";
import { callRpc, type RpcError } from "../rpc";

/** A read-only report function's answer for its arguments, cached per function and arguments. */
export function useReport<T>(fn: string, args: Record<string, unknown>, enabled = true) {
  return useQuery<T, RpcError>({
    queryKey: ["report", fn, args],
    queryFn: () => callRpc<T>(fn, args),
    enabled,
    retry: false,
  });
}

export interface ConsumptionRow {
  transaction_id: string;
  occurred_at: string;
  order_no: string | null;
  member_no: string;
  member_name: string;
  business_unit_id: string;
  channel: string;
  amount: number;
  tier: string;
}
export interface ConsumptionReport {
  rows: ConsumptionRow[];
  total_orders: number;
  total_amount: number;
  total_members: number;
}
export interface ExpiredRow {
  month: string;
  business_unit: string;
  points: number;
  value_yuan: number;
  confirmed: boolean;
  confirmed_at: string | null;
}
export interface LiabilityRow {
  business_unit: string;
  points: number;
  value_yuan: number;
}
