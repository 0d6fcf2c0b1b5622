import { useList } from "@refinedev/core";
import type { DashboardRow } from "./types";

/** The published dashboards the user may read: shared ones and their own (RLS decides). */
export function useDashboards() {
  const { result, query } = useList<DashboardRow>({
    resource: "dashboard_definitions",
    filters: [{ field: "status", operator: "eq", value: "published" }],
    sorters: [{ field: "key", order: "asc" }],
    pagination: { mode: "off" },
  });
  return { dashboards: result.data ?? [], isLoading: query.isLoading, error: query.error };
}

/** The published version of one dashboard. */
export function useDashboard(key: string | undefined) {
  const { result, query } = useList<DashboardRow>({
    resource: "dashboard_definitions",
    filters: [
      { field: "key", operator: "eq", value: key },
      { field: "status", operator: "eq", value: "published" },
    ],
    pagination: { mode: "off" },
    queryOptions: { enabled: !!key },
  });
  return { dashboard: result.data?.[0], isLoading: query.isLoading, error: query.error };
}

