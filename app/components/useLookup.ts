import { useList, type BaseRecord } from "@refinedev/core";
import { useMemo } from "react";

/**
 * All rows of a small reference table (tiers, business units, staff) keyed by `key`, for showing
 * names next to ids. Errors (e.g. RLS hides the table) just leave the map empty.
 */
export function useLookup<T extends BaseRecord>(resource: string, key: keyof T & string = "id", enabled = true) {
  const { result, query } = useList<T>({
    resource,
    pagination: { mode: "off" },
    queryOptions: { enabled },
    errorNotification: false,
  });
  const map = useMemo(() => {
    const byKey = new Map<string, T>();
    for (const row of result.data ?? []) byKey.set(String(row[key]), row);
    return byKey;
  }, [result.data, key]);
  return { map, rows: result.data ?? [], isLoading: query.isLoading };
}
