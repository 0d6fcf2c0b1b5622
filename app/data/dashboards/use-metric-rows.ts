import { useQuery } from "@tanstack/react-query";
import { METRIC_LIMITS } from "../../../core/metrics/limits.ts";
import type { MetricModule, MetricParams } from "../../../core/metrics/types.ts";
import { callRpc, type RpcError } from "../rpc";
import type { MetricRow } from "./types";

/** The rows of a metric for one set of parameters (the calling convention), cached per metric and parameters. */
export function useMetricRows(metric: MetricModule | undefined, params: MetricParams) {
  return useQuery<MetricRow[], RpcError>({
    queryKey: ["metric", metric?.rpc, params],
    queryFn: () => callRpc<MetricRow[]>(metric!.rpc, { ...params }),
    enabled: !!metric,
    staleTime: 60_000,
    retry: false,
  });
}

/** One page of the records behind a point (the metric's drill function, parameters already narrowed). */
export function useDrillRows(drillRpc: string | undefined, params: MetricParams | null, page: number, pageSize: number) {
  return useQuery<MetricRow[], RpcError>({
    queryKey: ["metric-drill", drillRpc, params, page, pageSize],
    queryFn: () => callRpc<MetricRow[]>(drillRpc!, { ...params, p_limit: pageSize, p_offset: (page - 1) * pageSize }),
    enabled: !!drillRpc && !!params,
    retry: false,
  });
}

/** Every record behind a point, for an export (at most `max`), read a page of the largest size at a time. */
export async function fetchAllDrillRows(drillRpc: string, params: MetricParams, max: number) {
  const rows: MetricRow[] = [];
  for (;;) {
    const page = await callRpc<MetricRow[]>(drillRpc, { ...params, p_limit: METRIC_LIMITS.drill_max_limit, p_offset: rows.length });
    rows.push(...page);
    if (page.length < METRIC_LIMITS.drill_max_limit || rows.length >= max) return rows.slice(0, max);
  }
}
