/** The token response of sign-in, sign-up and refresh (GoTrue AccessTokenResponse). */
import type { AuthContext } from "./context.ts";
import type { IssuedSession } from "./sessions.ts";
import { signAccessToken } from "./tokens.ts";
import { userJson } from "./user-json.ts";
import { identitiesOf } from "./users.ts";

export async function sessionResponse(ctx: AuthContext, issued: IssuedSession) {
  const { user } = issued;
  const { token, exp } = await signAccessToken(ctx.key, {
    issuer: ctx.issuer,
    expiry: ctx.jwtExpiry,
    userId: user.id,
    email: user.email ?? "",
    phone: user.phone ?? "",
    appMetadata: user.raw_app_meta_data ?? {},
    userMetadata: user.raw_user_meta_data ?? {},
    role: user.role ?? "",
    amr: issued.amr,
    sessionId: issued.sessionId,
    isAnonymous: user.is_anonymous,
  });
  const identities = (await identitiesOf(ctx.db, [user.id])).get(user.id) ?? [];
  return {
    access_token: token,
    token_type: "bearer",
    expires_in: exp - Math.floor(Date.now() / 1000),
    expires_at: exp,
    refresh_token: issued.refreshToken,
    user: userJson(user, identities),
  };
}

export async function userResponse(ctx: AuthContext, user: IssuedSession["user"]) {
  const identities = (await identitiesOf(ctx.db, [user.id])).get(user.id) ?? [];
  return userJson(user, identities);
}
