import type { RoleGrant } from "../access/my-access";

/**
 * The business units whose figures the user may see, as the metric functions decide (private.metric_units):
 * all for administrators and group-wide directors and analysts (null), else the units of their roles.
 */
export function dashboardUnits(grants: readonly RoleGrant[]): ReadonlySet<string> | null {
  if (grants.some((g) => g.role === "admin" || ((g.role === "director" || g.role === "analyst") && g.business_unit_id === null))) return null;
  return new Set(grants.filter((g) => g.role !== "admin" && g.business_unit_id).map((g) => g.business_unit_id!));
}
