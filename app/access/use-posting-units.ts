import { useGetIdentity } from "@refinedev/core";
import type { FormInstance } from "antd";
import { useEffect, useMemo } from "react";
import { FRONT_OFFICE_ROLES as POSTING_ROLES } from "../../core/enums/index.ts";
import { useLookup } from "../components/useLookup";
import type { BusinessUnit } from "../lib/types";
import type { Identity } from "../providers/auth-provider";

/**
 * The active business units where the signed-in user may record purchases and redeem points: every
 * unit for a group-wide grant, otherwise the units of their grants. `defaultId` is the only unit of
 * a scoped user, else `preferredId` (the member's home unit) when the user may post there.
 */
export function usePostingUnits(preferredId?: string | null) {
  const { data: identity } = useGetIdentity<Identity | null>();
  const lookup = useLookup<BusinessUnit>("business_units");
  return useMemo(() => {
    const grants = (identity?.roles ?? []).filter((grant) => POSTING_ROLES.includes(grant.role));
    const groupWide = grants.some((grant) => !grant.business_unit_id);
    const scoped = new Set(grants.map((grant) => grant.business_unit_id));
    const units = lookup.rows.filter((unit) => unit.active && (groupWide || scoped.has(unit.id)));
    const defaultId =
      units.length === 1 ? units[0].id : units.find((unit) => unit.id === preferredId)?.id ?? undefined;
    return { units, defaultId, loading: lookup.isLoading || !identity };
  }, [identity, lookup.rows, lookup.isLoading, preferredId]);
}

/**
 * The posting units for a form's `business_unit_id` field, which gets the default unit as soon as it is
 * known (the units load after the form mounts, so an initial value would come too late) unless the user
 * has already chosen one.
 */
export function usePostingUnitField(form: FormInstance, preferredId?: string | null) {
  const { units, defaultId } = usePostingUnits(preferredId);
  useEffect(() => {
    if (defaultId && !form.getFieldValue("business_unit_id")) form.setFieldValue("business_unit_id", defaultId);
  }, [defaultId, form]);
  return units;
}
