/** Endpoints a signed-out or signed-in user calls: token, signup, user, logout, recover. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthContext } from "./context.ts";
import { transaction } from "./db.ts";
import { badRequest, forbidden, HttpError, unprocessable, validationFailed, weakPassword } from "./errors.ts";
import { requireUser } from "./guards.ts";
import { clientIp, optionalObject, optionalString, readJson, sendJson, sendNoContent, userAgent } from "./http.ts";
import { checkNewPassword, MIN_PASSWORD_LENGTH } from "./passwords.ts";
import { sessionResponse, userResponse } from "./session-response.ts";
import { signupUnconfirmed } from "./signup.ts";
import { createSession, logout, refreshGrant, type ClientInfo, type LogoutScope } from "./sessions.ts";
import { REFRESH_TOKEN_FORMAT } from "./tokens.ts";
import {
  emailTaken, findUserByEmail, findUserByPhone, insertUser, isBanned, isUniqueViolation, mergeMetadata,
  updateUser, upsertIdentity, type UserPatch,
} from "./users.ts";
import { normalizeEmail, normalizePhone } from "./validate.ts";

const clientInfo = (ctx: AuthContext, req: IncomingMessage): ClientInfo => ({
  userAgent: userAgent(req),
  ip: clientIp(req, ctx.trustedProxies),
});
const invalidCredentials = () => badRequest("invalid_credentials", "Invalid login credentials");

export async function token(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
  const body = await readJson(req, ctx.maxBody);
  const grant = query.get("grant_type");
  if (grant === "password") return sendJson(res, 200, await passwordGrant(ctx, req, body));
  if (grant === "refresh_token") return sendJson(res, 200, await refreshTokenGrant(ctx, req, body));
  throw badRequest("invalid_credentials", "unsupported_grant_type");
}

async function passwordGrant(ctx: AuthContext, req: IncomingMessage, body: Record<string, unknown>) {
  const email = optionalString(body, "email");
  const phone = optionalString(body, "phone");
  const password = optionalString(body, "password") ?? "";
  if (email && phone) throw validationFailed("Only an email address or phone number should be provided on login.");
  if (!email && !phone) throw validationFailed("An email address or phone number is required to sign in.");
  const login = email ? email.trim().toLowerCase() : normalizePhone(phone!);
  const release = ctx.signInLimiter.take(login, clientIp(req, ctx.trustedProxies));
  const user = email ? await findUserByEmail(ctx.db, login) : await findUserByPhone(ctx.db, login);
  // An unknown login is compared against a dummy hash: same work, same answer as a wrong password.
  if (!(await ctx.passwords.verify(password, user?.encrypted_password ?? null)) || !user) throw invalidCredentials();
  release();
  if (isBanned(user)) throw badRequest("user_banned", "User is banned");
  if (email && !user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
  if (phone && !user.phone_confirmed_at) throw badRequest("phone_not_confirmed", "Phone not confirmed");
  return sessionResponse(ctx, await createSession(ctx.db, user.id, clientInfo(ctx, req)));
}

async function refreshTokenGrant(ctx: AuthContext, req: IncomingMessage, body: Record<string, unknown>) {
  const refreshToken = typeof body.refresh_token === "string" ? body.refresh_token : "";
  if (!refreshToken) {
    throw new HttpError(400, "invalid_request", "refresh_token required", {
      error: "invalid_request",
      error_description: "refresh_token required",
    }, true);
  }
  if (!REFRESH_TOKEN_FORMAT.test(refreshToken)) throw validationFailed("Refresh token is not valid");
  return sessionResponse(ctx, await refreshGrant(ctx.db, refreshToken, ctx.reuseIntervalMs, clientInfo(ctx, req)));
}

/**
 * Sign-up, refused unless enabled (GOTRUE_DISABLE_SIGNUP=false). Without autoconfirm the answer is a
 * bare, unconfirmed user whether or not the email was taken (signup.ts); with autoconfirm, as the
 * Supabase CLI runs GoTrue, a session, and a taken email is told apart.
 */
export async function signup(ctx: AuthContext, req: IncomingMessage, res: ServerResponse) {
  if (ctx.disableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  const body = await readJson(req, ctx.maxBody);
  const rawEmail = optionalString(body, "email");
  const rawPhone = optionalString(body, "phone");
  const data = optionalObject(body, "data") ?? {};
  if (!rawEmail && !rawPhone) throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
  if (!rawEmail) throw unprocessable("phone_provider_disabled", "Phone signups are disabled");
  checkNewPassword(optionalString(body, "password"), "Signup requires a valid password");
  const password = body.password as string;
  const email = normalizeEmail(rawEmail);
  if (!ctx.mailerAutoconfirm) return sendJson(res, 200, await signupUnconfirmed(ctx, email, password, data));
  const exists = () => unprocessable("user_already_exists", "User already registered");
  if (await findUserByEmail(ctx.db, email)) throw exists();
  const passwordHash = await ctx.passwords.hash(password);
  let userId: string;
  try {
    const user = await transaction(ctx.db, (tx) =>
      insertUser(tx, {
        email,
        passwordHash,
        role: "authenticated",
        appMetadata: { provider: "email", providers: ["email"] },
        userMetadata: { ...data, email_verified: true },
        emailConfirmed: true,
        phoneConfirmed: false,
      }),
    );
    userId = user.id;
  } catch (error) {
    if (isUniqueViolation(error)) throw exists();
    throw error;
  }
  sendJson(res, 200, await sessionResponse(ctx, await createSession(ctx.db, userId, clientInfo(ctx, req))));
}

export async function getUser(ctx: AuthContext, req: IncomingMessage, res: ServerResponse) {
  const { user } = await requireUser(ctx, req);
  sendJson(res, 200, await userResponse(ctx, user));
}

export async function putUser(ctx: AuthContext, req: IncomingMessage, res: ServerResponse) {
  const { user, sessionId } = await requireUser(ctx, req);
  const body = await readJson(req, ctx.maxBody);
  if (body.app_metadata !== undefined && body.app_metadata !== null) {
    throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  }
  if (optionalString(body, "phone")) throw unprocessable("phone_provider_disabled", "Phone provider is disabled");
  const data = optionalObject(body, "data");
  const rawEmail = optionalString(body, "email");
  const password = optionalString(body, "password");

  const patch: UserPatch = {};
  if (data) patch.raw_user_meta_data = mergeMetadata(user.raw_user_meta_data, data);
  if (password !== undefined) {
    if (!password) throw weakPassword(MIN_PASSWORD_LENGTH);
    checkNewPassword(password, "Password update requires a valid password");
    if (await ctx.passwords.verify(password, user.encrypted_password)) {
      throw unprocessable("same_password", "New password should be different from the old password.");
    }
    patch.encrypted_password = await ctx.passwords.hash(password);
  }
  const email = rawEmail ? normalizeEmail(rawEmail) : undefined;
  const emailChanged = email !== undefined && email !== user.email;
  if (emailChanged) {
    if (await emailTaken(ctx.db, email, user.id)) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    // With autoconfirm on GoTrue applies an email change at once instead of mailing a link.
    patch.email = email;
    patch.email_confirmed_at = new Date();
  }

  try {
    const updated = await transaction(ctx.db, async (tx) => {
      const row = await updateUser(tx, user.id, patch);
      if (emailChanged) await upsertIdentity(tx, user.id, "email", { sub: user.id, email });
      if (patch.encrypted_password) await logout(tx, user.id, sessionId, "others");
      return row;
    });
    sendJson(res, 200, await userResponse(ctx, updated));
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    throw error;
  }
}

const SCOPES: LogoutScope[] = ["global", "local", "others"];

export async function logoutRoute(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
  const scope = (query.get("scope") || "global") as LogoutScope;
  if (!SCOPES.includes(scope)) throw validationFailed(`Unsupported logout scope "${scope}"`);
  const { user, sessionId } = await requireUser(ctx, req);
  await logout(ctx.db, user.id, sessionId, scope);
  sendNoContent(res);
}

/** No mail is sent locally; GoTrue answers 200 {} whether or not the address exists. */
export async function recover(ctx: AuthContext, req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req, ctx.maxBody);
  normalizeEmail(optionalString(body, "email") ?? "");
  sendJson(res, 200, {});
}
