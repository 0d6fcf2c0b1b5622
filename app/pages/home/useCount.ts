import { useList, type CrudFilter } from "@refinedev/core";

/** Exact row count the user may see (RLS applies), read as `total` of a one-row page. */
export function useCount(resource: string, enabled: boolean, filters?: CrudFilter[]) {
  const { result, query } = useList({
    resource,
    pagination: { currentPage: 1, pageSize: 1 },
    filters,
    queryOptions: { enabled },
    errorNotification: false,
  });
  return { total: result.total, loading: enabled && query.isLoading, error: query.isError };
}
