import { useGetIdentity } from "@refinedev/core";
import { useMemo } from "react";
import { COUNTER_ROLES, type Role } from "../../core/enums/index.ts";
import { useLookup } from "../components/useLookup";
import type { BusinessUnit } from "../lib/types";
import type { Identity } from "../providers/auth-provider";

/**
 * The active units whose counter the signed-in user serves: the units of their staff and manager grants
 * (every unit for a group-wide one). verify_benefit_use refuses any other unit (unit_role_required).
 * `roles`: other roles to count (request_benefit_grant also takes directors).
 */
export function useCounterUnits(roles: readonly Role[] = COUNTER_ROLES) {
  const { data: identity } = useGetIdentity<Identity | null>();
  const lookup = useLookup<BusinessUnit>("business_units");
  return useMemo(() => {
    const grants = (identity?.roles ?? []).filter((grant) => roles.includes(grant.role));
    const groupWide = grants.some((grant) => !grant.business_unit_id);
    const scoped = new Set(grants.map((grant) => grant.business_unit_id));
    const units = lookup.rows.filter((unit) => unit.active && (groupWide || scoped.has(unit.id)));
    return { units, loading: lookup.isLoading || !identity };
  }, [identity, lookup.rows, lookup.isLoading, roles]);
}
