import { useList } from "@refinedev/core";
import type { FormDefinition } from "../../lib/types";

/** The published member form (key 'member'): titles of the custom fields. Undefined until loaded or if none. */
export function usePublishedMemberForm() {
  const { result } = useList<FormDefinition>({
    resource: "form_definitions",
    filters: [
      { field: "key", operator: "eq", value: "member" },
      { field: "status", operator: "eq", value: "published" },
    ],
    pagination: { mode: "off" },
    meta: { select: "id,key,version,status,title,title_en,schema,ui_schema" },
    errorNotification: false,
  });
  return result.data?.[0];
}
