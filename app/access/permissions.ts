import type { Role } from "./my-access";

/**
 * The one access matrix of the app: which roles may do what on which resource. Menus, pages and
 * buttons are hidden from everything else. The database refuses the same things through RLS; this
 * only keeps the UI from offering them.
 */
export type Action = "list" | "show" | "create" | "edit" | "delete";
export type Rules = Partial<Record<Action, readonly Role[]>>;

const ALL: readonly Role[] = ["staff", "manager", "director", "analyst", "admin"];
/** Who posts points and purchases (the ledger functions check the same roles per business unit). */
const FRONT_OFFICE: readonly Role[] = ["staff", "manager", "director", "admin"];

export const PERMISSIONS = {
  home: { list: ALL },
  members: {
    list: ALL,
    show: ALL,
    create: ["staff", "manager", "director", "admin"],
    edit: ["staff", "manager", "director", "admin"],
    delete: ["admin"],
  },
  /** Purchases: recording one earns points (`record_transaction`). */
  transactions: { list: ALL, show: ALL, create: FRONT_OFFICE },
  /** The points ledger: `create` is a redemption (`redeem_points`). */
  ledger_entries: { list: ALL, show: ALL, create: FRONT_OFFICE },
  /** Each unit's own member id: front office links them, unit managers remove them (RLS checks the unit). */
  member_identities: { list: ALL, show: ALL, create: FRONT_OFFICE, delete: ["manager", "director", "admin"] },
  /** Merging a duplicate member into another (`merge_members`). */
  member_merges: { create: ["manager", "director", "admin"] },
  business_units: { list: ALL, show: ALL, create: ["admin"], edit: ["admin"], delete: ["admin"] },
  tiers: { list: ALL, show: ALL, create: ["admin"], edit: ["admin"] },
  approvals: { list: ["manager", "director", "admin"], show: ["manager", "director", "admin"] },
  dashboards: { list: ["analyst", "director", "admin"], show: ["analyst", "director", "admin"] },
  staff: { list: ["admin"], show: ["admin"], create: ["admin"], edit: ["admin"], delete: ["admin"] },
  audit_log: { list: ["admin", "director"], show: ["admin", "director"] },
  /** Form and entity builders (the `builder` permission: admins for now). */
  builder: { list: ["admin"], show: ["admin"], create: ["admin"], edit: ["admin"] },
  /** Rules center (规则中心): rules, rule sets, what-if runs; writes (drafts, publish, expiry run) admins only. */
  rules: { list: ["admin", "director", "analyst"], show: ["admin", "director", "analyst"], create: ["admin"], edit: ["admin"] },
} satisfies Record<string, Rules>;

export type Subject = keyof typeof PERMISSIONS;

/** Refine resource (or table) names that share another subject's rules. */
const ALIASES: Record<string, Subject> = {
  staff_profiles: "staff",
  role_assignments: "staff",
  point_lots: "ledger_entries",
  point_balances: "ledger_entries",
  ledger_lot_moves: "ledger_entries",
};

export function subjectOf(resource: string): Subject | undefined {
  if (resource in ALIASES) return ALIASES[resource];
  return resource in PERMISSIONS ? (resource as Subject) : undefined;
}

/**
 * True when any of `roles` may do `action` on `resource`; unknown resources and actions are denied.
 * Resources defined at run time (entities) bring their own `rules` (from their published definition,
 * in the resource's meta); admins may do everything on those.
 */
export function isAllowed(roles: readonly Role[], resource: string, action: string, runtimeRules?: Rules): boolean {
  if (runtimeRules) return roles.some((role) => role === "admin" || !!runtimeRules[action as Action]?.includes(role));
  const subject = subjectOf(resource);
  if (!subject) return false;
  const rules: Rules = PERMISSIONS[subject];
  const allowed = rules[action as Action];
  return !!allowed && roles.some((role) => allowed.includes(role));
}
