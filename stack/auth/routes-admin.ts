/** /admin/users endpoints (service_role or supabase_admin JWT). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthContext } from "./context.ts";
import { transaction } from "./db.ts";
import { HttpError, unprocessable, validationFailed } from "./errors.ts";
import { isUuid, requireAdmin } from "./guards.ts";
import { optionalObject, optionalString, readJson, sendJson } from "./http.ts";
import { checkNewPassword, randomPassword } from "./passwords.ts";
import { logout } from "./sessions.ts";
import { userJson } from "./user-json.ts";
import {
  deleteUser, emailTaken, findUserById, identitiesOf, insertUser, isUniqueViolation, listUsers, mergeMetadata,
  phoneTaken, updateUser, upsertIdentity, type UserPatch, type UserRow,
} from "./users.ts";
import { normalizeEmail, normalizePhone, parseBanDuration } from "./validate.ts";

const emailExists = () => unprocessable("email_exists", "A user with this email address has already been registered");
const phoneExists = () => unprocessable("phone_exists", "A user with this phone number has already been registered");
const userNotFound = () => new HttpError(404, "user_not_found", "User not found");

async function userWithIdentities(ctx: AuthContext, user: UserRow) {
  return userJson(user, (await identitiesOf(ctx.db, [user.id])).get(user.id) ?? []);
}

function bannedUntil(body: Record<string, unknown>): Date | null | undefined {
  const raw = optionalString(body, "ban_duration");
  if (raw === undefined) return undefined;
  const ms = parseBanDuration(raw);
  return ms === null ? null : new Date(Date.now() + ms);
}

async function passwordHashFrom(ctx: AuthContext, body: Record<string, unknown>): Promise<string | undefined> {
  const password = optionalString(body, "password");
  if (password !== undefined) return ctx.passwords.hash(checkNewPassword(password, "Password cannot be empty"));
  const hash = optionalString(body, "password_hash");
  if (hash === undefined) return undefined;
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) throw validationFailed("Invalid password hash format");
  return hash;
}

export async function createUser(ctx: AuthContext, req: IncomingMessage, res: ServerResponse) {
  await requireAdmin(ctx, req);
  const body = await readJson(req, ctx.maxBody);
  const rawEmail = optionalString(body, "email");
  const rawPhone = optionalString(body, "phone");
  if (!rawEmail && !rawPhone) throw validationFailed("Cannot create a user without either an email or phone");
  const email = rawEmail ? normalizeEmail(rawEmail) : undefined;
  const phone = rawPhone ? normalizePhone(rawPhone) : undefined;
  const id = optionalString(body, "id");
  if (id !== undefined && !isUuid(id)) throw validationFailed("id must be a UUID");
  if (email && (await emailTaken(ctx.db, email))) throw emailExists();
  if (phone && (await phoneTaken(ctx.db, phone))) throw phoneExists();
  const emailConfirmed = body.email_confirm === true;
  const providers = [...(email ? ["email"] : []), ...(phone ? ["phone"] : [])];
  const userMetadata = optionalObject(body, "user_metadata") ?? {};
  try {
    const user = await transaction(ctx.db, async (tx) =>
      insertUser(tx, {
        id,
        email,
        phone,
        passwordHash: (await passwordHashFrom(ctx, body)) ?? (await ctx.passwords.hash(randomPassword())),
        role: optionalString(body, "role") || "authenticated",
        appMetadata: { provider: providers[0], providers, ...(optionalObject(body, "app_metadata") ?? {}) },
        userMetadata: emailConfirmed ? { ...userMetadata, email_verified: true } : userMetadata,
        emailConfirmed,
        phoneConfirmed: body.phone_confirm === true,
        bannedUntil: bannedUntil(body),
      }),
    );
    sendJson(res, 200, await userWithIdentities(ctx, user));
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable("user_already_exists", "User already registered");
    throw error;
  }
}

function pageParam(value: string | null, fallback: number): number {
  if (value === null || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw validationFailed("Bad Pagination Parameters");
  return Number(value) || fallback;
}

export async function listUsersRoute(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
  await requireAdmin(ctx, req);
  const page = pageParam(query.get("page"), 1);
  const perPage = pageParam(query.get("per_page"), 50);
  const { users, total } = await listUsers(ctx.db, page, perPage);
  const identities = await identitiesOf(ctx.db, users.map((u) => u.id));
  // `page` must come first: supabase-js reads one character after the first "=" of each link.
  const link = (p: number, rel: string) => `</admin/users?page=${p}&per_page=${perPage}>; rel="${rel}"`;
  const lastPage = Math.ceil(total / perPage);
  const links = [...(page < lastPage ? [link(page + 1, "next")] : []), link(lastPage, "last")];
  sendJson(
    res,
    200,
    { users: users.map((u) => userJson(u, identities.get(u.id) ?? [])), aud: "authenticated" },
    { "X-Total-Count": String(total), Link: links.join(", ") },
  );
}

async function loadUser(ctx: AuthContext, id: string) {
  if (!isUuid(id)) throw new HttpError(404, "validation_failed", "user_id must be an UUID");
  const user = await findUserById(ctx.db, id);
  if (!user) throw userNotFound();
  return user;
}

export async function getUserRoute(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, id: string) {
  await requireAdmin(ctx, req);
  sendJson(res, 200, await userWithIdentities(ctx, await loadUser(ctx, id)));
}

export async function updateUserRoute(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, id: string) {
  await requireAdmin(ctx, req);
  const user = await loadUser(ctx, id);
  const body = await readJson(req, ctx.maxBody);
  const patch: UserPatch = {};
  const rawEmail = optionalString(body, "email");
  const rawPhone = optionalString(body, "phone");
  const email = rawEmail ? normalizeEmail(rawEmail) : undefined;
  const phone = rawPhone ? normalizePhone(rawPhone) : undefined;
  if (email && email !== user.email) {
    if (await emailTaken(ctx.db, email, user.id)) throw emailExists();
    patch.email = email;
  }
  if (phone && phone !== user.phone) {
    if (await phoneTaken(ctx.db, phone, user.id)) throw phoneExists();
    patch.phone = phone;
  }
  patch.encrypted_password = await passwordHashFrom(ctx, body);
  patch.role = optionalString(body, "role") || undefined;
  patch.banned_until = bannedUntil(body);
  let userMetadata = optionalObject(body, "user_metadata");
  if (body.email_confirm === true && !user.email_confirmed_at) {
    patch.email_confirmed_at = new Date();
    userMetadata = { ...(userMetadata ?? {}), email_verified: true };
  }
  if (body.phone_confirm === true && !user.phone_confirmed_at) patch.phone_confirmed_at = new Date();
  if (userMetadata) patch.raw_user_meta_data = mergeMetadata(user.raw_user_meta_data, userMetadata);
  const appMetadata = optionalObject(body, "app_metadata");
  if (appMetadata) patch.raw_app_meta_data = mergeMetadata(user.raw_app_meta_data, appMetadata);

  try {
    const updated = await transaction(ctx.db, async (tx) => {
      const row = await updateUser(tx, user.id, patch);
      if (patch.email) await upsertIdentity(tx, user.id, "email", { sub: user.id, email: patch.email });
      if (patch.phone) await upsertIdentity(tx, user.id, "phone", { sub: user.id, phone: patch.phone });
      // An admin password change signs the user out everywhere (GoTrue UpdatePassword without a session).
      if (patch.encrypted_password) await logout(tx, user.id, null, "global");
      return row;
    });
    sendJson(res, 200, await userWithIdentities(ctx, updated));
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable("email_exists", "A user with this email address or phone number has already been registered");
    throw error;
  }
}

export async function deleteUserRoute(ctx: AuthContext, req: IncomingMessage, res: ServerResponse, id: string) {
  await requireAdmin(ctx, req);
  const body = await readJson(req, ctx.maxBody);
  if (body.should_soft_delete === true) throw validationFailed("Soft delete is not supported by the local auth server");
  await loadUser(ctx, id);
  try {
    if (!(await deleteUser(ctx.db, id))) throw userNotFound();
  } catch (error) {
    // Another table references the user without ON DELETE CASCADE; GoTrue fails the same way.
    if ((error as { code?: string }).code === "23503") {
      throw new HttpError(500, "unexpected_failure", "Database error deleting user");
    }
    throw error;
  }
  sendJson(res, 200, {});
}
