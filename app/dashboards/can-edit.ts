import type { Role } from "../../core/enums/index.ts";
import type { DashboardRow } from "../data/dashboards/types";

/** Mirrors private.may_edit_dashboard: owners who build (analysts, admins) edit theirs; admins also ownerless and shared ones. */
export function canEditDashboard(row: Pick<DashboardRow, "owner_id" | "visibility">, userId: string | undefined, roles: readonly Role[]) {
  const builds = roles.includes("analyst") || roles.includes("admin");
  if (row.owner_id && row.owner_id === userId && builds) return true;
  return roles.includes("admin") && (row.owner_id === null || row.visibility === "shared");
}
