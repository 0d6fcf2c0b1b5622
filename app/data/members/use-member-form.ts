import { useList } from "@refinedev/core";
import type { FormDefinition } from "../../lib/types";

/**
 * The member form (key 'member') a member was saved with: that version when given, else the published one.
 * Old members display by the form they were made with. Undefined while loading, null when there is none.
 */
export function useMemberForm(version?: number | null) {
  const { result, query } = useList<FormDefinition>({
    resource: "form_definitions",
    filters: [
      { field: "key", operator: "eq", value: "member" },
      version ? { field: "version", operator: "eq", value: version } : { field: "status", operator: "eq", value: "published" },
    ],
    pagination: { mode: "off" },
    meta: { select: "id,key,version,status,title,title_en,schema,ui_schema" },
    errorNotification: false,
  });
  if (!query.isSuccess) return undefined;
  return result.data[0] ?? null;
}
