import { ACCESS_MATRIX, type AccessRules, type Action, type Role, type Subject } from "../../core/enums/index.ts";

/**
 * The app's side of the built-in access matrix (core/enums/access-matrix.ts): menus, pages and buttons
 * are hidden from everything it does not allow. The database refuses the same things through RLS.
 */
export const PERMISSIONS = ACCESS_MATRIX;
export type { Action, Subject };
export type Rules = AccessRules;

/** Refine resource (or table) names that share another subject's rules. */
const ALIASES: Record<string, Subject> = {
  staff_profiles: "staff",
  role_assignments: "staff",
  point_lots: "ledger_entries",
  point_balances: "ledger_entries",
  ledger_lot_moves: "ledger_entries",
  card_ledger: "stored_value_cards",
  card_consumptions: "stored_value_cards",
  card_types: "stored_value_cards",
  benefit_uses: "benefit_grants",
  segment_definitions: "segments",
  segment_previews: "segments",
  segment_refreshes: "segments",
  member_followups: "care_tasks",
  settlement: "settlement_statements",
  settlement_entries: "settlement_statements",
  settlement_statement_decisions: "settlement_statements",
  webhook_deliveries: "webhook_subscriptions",
  webhook_events: "webhook_subscriptions",
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
