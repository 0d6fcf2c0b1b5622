import type { Role } from "../../core/enums/index.ts";
import { callRpc } from "../data/rpc";
import { queryClient } from "../providers/query-client";
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

const MY_ACCESS = ["auth", "my_access"] as const;

/**
 * The signed-in user's access, fetched once per user and session (kept in the query cache under
 * the user's id; a failed call is not kept, so the next caller retries). Null when nobody is signed
 * in or the account has no staff profile (my_access returns null then).
 */
export async function getMyAccess(): Promise<MyAccess | null> {
  const { data } = await supabaseClient.auth.getSession();
  const userId = data.session?.user.id;
  if (!userId) return null;
  return queryClient.fetchQuery({ queryKey: [...MY_ACCESS, userId], queryFn: fetchMyAccess, staleTime: Infinity, gcTime: Infinity });
}

async function fetchMyAccess(): Promise<MyAccess | null> {
  const data = await callRpc<MyAccess | null>("my_access", {});
  if (!data || typeof data !== "object") return null;
  return { ...data, roles: Array.isArray(data.roles) ? data.roles : [] };
}

export function clearMyAccess() {
  queryClient.removeQueries({ queryKey: MY_ACCESS });
}

export const roleNames = (access: { roles?: RoleGrant[] } | null | undefined): Role[] => [
  ...new Set((access?.roles ?? []).map((grant) => grant.role)),
];
