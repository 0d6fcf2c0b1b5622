import { useList } from "@refinedev/core";
import { dataProvider } from "../../providers/data-provider";
import { queryClient } from "../../providers/query-client";

export interface ReferenceRow {
  id: string;
  name: string;
  name_en?: string | null;
  code?: string;
}

const SELECT = "id, name, name_en, code";
const MAX_ROWS = 1000;

/**
 * Rows of a small reference table (id, name, name_en) for code outside React (exports, display
 * text), from the same query cache the pages use; a table the user may not read gives no rows.
 */
export function loadReference(resource: string): Promise<ReferenceRow[]> {
  return queryClient
    .fetchQuery({
      queryKey: ["reference", resource],
      queryFn: async () =>
        (await dataProvider.getList<ReferenceRow>({ resource, sorters: [{ field: "code", order: "asc" }], pagination: { currentPage: 1, pageSize: MAX_ROWS }, meta: { select: SELECT } })).data,
      staleTime: 60_000,
    })
    .catch(() => []);
}

export function useReferenceOptions(resource: string) {
  const { result, query } = useList<ReferenceRow>({
    resource,
    sorters: [{ field: "code", order: "asc" }],
    pagination: { currentPage: 1, pageSize: MAX_ROWS },
    meta: { select: SELECT },
    errorNotification: false,
  });
  return { rows: result.data ?? [], loading: query.isLoading };
}
