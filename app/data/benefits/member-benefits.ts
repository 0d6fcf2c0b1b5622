import { useList } from "@refinedev/core";
import { useMemo } from "react";
import type { BenefitDefinition, BenefitGrant, BenefitUse } from "./types";

/** A member's grants, newest first. */
export function useMemberGrants(memberId: string) {
  const { result, query } = useList<BenefitGrant>({
    resource: "benefit_grants",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    sorters: [{ field: "created_at", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { grants: result.data ?? [], query };
}

/** A member's benefit uses, newest first (the 权益 tab's history). */
export function useMemberUses(memberId: string) {
  const { result, query } = useList<BenefitUse>({
    resource: "benefit_uses",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    sorters: [{ field: "created_at", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 100 },
    errorNotification: false,
  });
  return { uses: result.data ?? [], query };
}

/** Every version of the given definition keys, by "key:version" (a grant keeps the version it was made by). */
export function useDefinitionVersions(keys: readonly string[]) {
  const unique = [...new Set(keys)].sort();
  const { result, query } = useList<BenefitDefinition>({
    resource: "benefit_definitions",
    filters: [{ field: "key", operator: "in", value: unique }],
    pagination: { mode: "off" },
    queryOptions: { enabled: unique.length > 0 },
    errorNotification: false,
  });
  const byVersion = useMemo(() => {
    const map = new Map<string, BenefitDefinition>();
    for (const row of result.data ?? []) map.set(`${row.key}:${row.version}`, row);
    return map;
  }, [result.data]);
  return { byVersion, query };
}

/** The published definitions (what a manual grant may be asked for). */
export function usePublishedDefinitions(enabled = true) {
  const { result, query } = useList<BenefitDefinition>({
    resource: "benefit_definitions",
    filters: [{ field: "status", operator: "eq", value: "published" }],
    sorters: [{ field: "key", order: "asc" }],
    pagination: { mode: "off" },
    queryOptions: { enabled },
    errorNotification: false,
  });
  return { definitions: result.data ?? [], query };
}
