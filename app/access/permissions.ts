import type { Role } from "./my-access";

/**
 * The one access matrix of the app: which roles may do what on which resource. Menus, pages and
 * buttons are hidden from everything else. The database refuses the same things through RLS; this
 * only keeps the UI from offering them.
 */
export type Action = "list" | "show" | "create" | "edit" | "delete";
type Rules = Partial<Record<Action, readonly Role[]>>;

const ALL: readonly Role[] = ["staff", "manager", "director", "analyst", "admin"];

export const PERMISSIONS = {
  home: { list: ALL },
  members: {
    list: ALL,
    show: ALL,
    create: ["staff", "manager", "director", "admin"],
    edit: ["staff", "manager", "director", "admin"],
    delete: ["admin"],
  },
  business_units: { list: ALL, show: ALL, create: ["admin"], edit: ["admin"], delete: ["admin"] },
  tiers: { list: ALL, show: ALL, create: ["admin"], edit: ["admin"] },
  approvals: { list: ["manager", "director", "admin"], show: ["manager", "director", "admin"] },
  dashboards: { list: ["analyst", "director", "admin"], show: ["analyst", "director", "admin"] },
  staff: { list: ["admin"], show: ["admin"], create: ["admin"], edit: ["admin"], delete: ["admin"] },
  audit_log: { list: ["admin", "director"], show: ["admin", "director"] },
} satisfies Record<string, Rules>;

export type Subject = keyof typeof PERMISSIONS;

/** Refine resource (or table) names that share another subject's rules. */
const ALIASES: Record<string, Subject> = {
  staff_profiles: "staff",
  role_assignments: "staff",
};

export function subjectOf(resource: string): Subject | undefined {
  if (resource in ALIASES) return ALIASES[resource];
  return resource in PERMISSIONS ? (resource as Subject) : undefined;
}

/** True when any of `roles` may do `action` on `resource`; unknown resources and actions are denied. */
export function isAllowed(roles: readonly Role[], resource: string, action: string): boolean {
  const subject = subjectOf(resource);
  if (!subject) return false;
  const rules: Rules = PERMISSIONS[subject];
  const allowed = rules[action as Action];
  return !!allowed && roles.some((role) => allowed.includes(role));
}
