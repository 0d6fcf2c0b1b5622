/** Staff roles: the SQL enum public.app_role. Admins hold every right. */
export const ROLES = ["admin", "staff", "manager", "director", "analyst", "marketing", "finance"] as const;
export type Role = (typeof ROLES)[number];

/** Roles an entity definition may grant (admins always may; private.valid_entity_permissions). */
export const GRANTABLE_ROLES: readonly Role[] = ["staff", "manager", "director", "analyst", "marketing", "finance"];

export const roleLabel = (role: string) => `roles.${role}`;
