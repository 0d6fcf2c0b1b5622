import type { Role } from "../../core/enums/index.ts";
import { supabaseClient } from "../providers/supabase-client";

export { ROLES, type Role } from "../../core/enums/index.ts";

export interface RoleGrant {
  role: Role;
  business_unit_id: string | null;
  business_unit_code: string | null;
  business_unit_name: string | null;
}

/** What `rpc('my_access')` returns: who am I and which roles I hold (and where). */
export interface MyAccess {
  user_id: string;
  email: string | null;
  display_name: string | null;
  locale: string | null;
  roles: RoleGrant[];
}

let cached: { userId: string; promise: Promise<MyAccess | null> } | null = null;

/**
 * The signed-in user's access, fetched once per user and session. Null when nobody is signed in
 * or the account has no staff profile (my_access returns null then).
 */
export async function getMyAccess(): Promise<MyAccess | null> {
  const { data } = await supabaseClient.auth.getSession();
  const userId = data.session?.user.id;
  if (!userId) return null;
  if (cached?.userId !== userId) {
    const promise = fetchMyAccess();
    cached = { userId, promise };
    // A failed call (network, expired token) is not remembered: the next caller retries.
    promise.catch(() => {
      if (cached?.promise === promise) cached = null;
    });
  }
  return cached.promise;
}

async function fetchMyAccess(): Promise<MyAccess | null> {
  const { data, error } = await supabaseClient.rpc("my_access");
  if (error) throw error;
  if (!data || typeof data !== "object") return null;
  const access = data as MyAccess;
  return { ...access, roles: Array.isArray(access.roles) ? access.roles : [] };
}

export function clearMyAccess() {
  cached = null;
}

export const roleNames = (access: { roles?: RoleGrant[] } | null | undefined): Role[] => [
  ...new Set((access?.roles ?? []).map((grant) => grant.role)),
];
