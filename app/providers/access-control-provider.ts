import type { AccessControlProvider } from "@refinedev/core";
import { getMyAccess, roleNames } from "../access/my-access";
import { isAllowed, type Rules } from "../access/permissions";
import i18n from "../i18n";

export const accessControlProvider: AccessControlProvider = {
  can: async ({ resource, action, params }) => {
    // Routes without a resource (login, 404) are not gated here; the layout's <Authenticated> is.
    if (!resource) return { can: true };
    // No answer from my_access (signed out, network) means no roles: deny.
    const roles = roleNames(await getMyAccess().catch(() => null));
    const runtimeRules = params?.resource?.meta?.rules as Rules | undefined;
    return isAllowed(roles, resource, action, runtimeRules)
      ? { can: true }
      : { can: false, reason: i18n.t("buttons.notAccessTitle") };
  },
  options: {
    buttons: { enableAccessControl: true, hideIfUnauthorized: true },
    // Answers depend on who is signed in: never serve them from another session's cache.
    queryOptions: { gcTime: 0 },
  },
};
