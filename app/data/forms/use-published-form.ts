import { useList } from "@refinedev/core";
import type { FormDefinition } from "../../lib/types";

/**
 * A form definition by key: the given version when there is one, else the published one (records
 * display by the form they were made with). Undefined while loading, null when there is none.
 */
export function usePublishedForm(key: string, version?: number | null) {
  const { result, query } = useList<FormDefinition>({
    resource: "form_definitions",
    filters: [
      { field: "key", operator: "eq", value: key },
      version ? { field: "version", operator: "eq", value: version } : { field: "status", operator: "eq", value: "published" },
    ],
    pagination: { mode: "off" },
    meta: { select: "id,key,version,status,title,title_en,schema,ui_schema" },
    errorNotification: false,
  });
  if (!query.isSuccess) return undefined;
  return result.data[0] ?? null;
}
