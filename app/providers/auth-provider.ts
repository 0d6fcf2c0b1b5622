import type { AuthProvider } from "@refinedev/core";
import { isAuthApiError, isAuthRetryableFetchError, type AuthError } from "@supabase/supabase-js";
import { clearMyAccess, getMyAccess, roleNames, type MyAccess, type RoleGrant } from "../access/my-access";
import i18n from "../i18n";
import { dropUserQueries } from "./query-client";
import { supabaseClient } from "./supabase-client";

export interface Identity {
  id: string;
  name: string;
  email: string | null;
  locale: string | null;
  roles: RoleGrant[];
}

interface LoginParams {
  email: string;
  password: string;
}

/** PostgREST codes that mean "your token is not valid" (HTTP 401). */
const JWT_ERROR_CODES = new Set(["PGRST300", "PGRST301", "PGRST302", "PGRST303"]);

/** The server's message, in the user's language when we know it. */
export function loginErrorMessage(error: AuthError | Error): string {
  const code = (error as AuthError).code;
  if (code === "invalid_credentials" || /invalid login credentials/i.test(error.message)) {
    return i18n.t("login.errors.invalidCredentials");
  }
  if (isAuthRetryableFetchError(error)) return i18n.t("login.errors.network");
  return error.message || i18n.t("login.failed");
}

const failure = (message: string) => ({
  success: false,
  error: { name: i18n.t("login.failed"), message },
});

const toIdentity = (access: MyAccess): Identity => ({
  id: access.user_id,
  name: access.display_name || access.email || "",
  email: access.email,
  locale: access.locale,
  roles: access.roles,
});

export const authProvider: AuthProvider = {
  login: async ({ email, password }: LoginParams) => {
    clearMyAccess();
    const { error } = await supabaseClient.auth.signInWithPassword({ email, password });
    if (error) return failure(loginErrorMessage(error));
    try {
      const access = await getMyAccess();
      if (!access) {
        await supabaseClient.auth.signOut({ scope: "local" });
        return failure(i18n.t("login.errors.noProfile"));
      }
    } catch (accessError) {
      await supabaseClient.auth.signOut({ scope: "local" });
      return failure((accessError as Error).message || i18n.t("login.failed"));
    }
    return { success: true, redirectTo: "/" };
  },

  logout: async () => {
    clearMyAccess();
    await dropUserQueries();
    const { error } = await supabaseClient.auth.signOut();
    // The server could not be told (offline...): still forget the session in this browser.
    if (error) await supabaseClient.auth.signOut({ scope: "local" });
    return { success: true, redirectTo: "/login" };
  },

  check: async () => {
    const { data, error } = await supabaseClient.auth.getSession();
    if (data.session && !error) return { authenticated: true };
    return { authenticated: false, logout: true, redirectTo: "/login", error: error ?? undefined };
  },

  getIdentity: async (): Promise<Identity | null> => {
    const access = await getMyAccess();
    return access ? toIdentity(access) : null;
  },

  getPermissions: async () => roleNames(await getMyAccess()),

  onError: async (error) => {
    const status = Number(error?.statusCode ?? error?.status);
    const code = typeof error?.code === "string" ? error.code : "";
    if (status === 401 || JWT_ERROR_CODES.has(code) || (isAuthApiError(error) && error.status === 401)) {
      return { logout: true, redirectTo: "/login", error };
    }
    // 403 / 42501 (RLS or a grant refused it): the user stays signed in; the page shows the error.
    if (status === 403 || code === "42501") return { error };
    return {};
  },
};
