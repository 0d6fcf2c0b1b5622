/** SQL on auth.users and auth.identities. */
import crypto from "node:crypto";
import type { Queryable } from "./db.ts";

export const AUD = "authenticated";

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_sent_at: Date | null;
  recovery_sent_at: Date | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date | null;
  updated_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown>;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

export const isBanned = (user: UserRow) => user.banned_until !== null && user.banned_until.getTime() > Date.now();

export async function findUserById(q: Queryable, id: string): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>("select * from auth.users where id = $1", [id]);
  return rows[0] ?? null;
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>(
    "select * from auth.users where lower(email) = $1 and aud = $2 and is_sso_user = false",
    [email.toLowerCase(), AUD],
  );
  return rows[0] ?? null;
}

export async function emailTaken(q: Queryable, email: string, exceptUserId?: string) {
  const { rowCount } = await q.query(
    "select 1 from auth.users where lower(email) = $1 and is_sso_user = false and id is distinct from $2",
    [email.toLowerCase(), exceptUserId ?? null],
  );
  return Boolean(rowCount);
}

export async function phoneTaken(q: Queryable, phone: string, exceptUserId?: string) {
  const { rowCount } = await q.query("select 1 from auth.users where phone = $1 and id is distinct from $2", [
    phone,
    exceptUserId ?? null,
  ]);
  return Boolean(rowCount);
}

export async function identitiesOf(q: Queryable, userIds: string[]): Promise<Map<string, IdentityRow[]>> {
  const byUser = new Map<string, IdentityRow[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return byUser;
  const { rows } = await q.query<IdentityRow>(
    "select * from auth.identities where user_id = any($1::uuid[]) order by created_at, id",
    [userIds],
  );
  for (const row of rows) byUser.get(row.user_id)?.push(row);
  return byUser;
}

export interface NewUser {
  id?: string;
  email?: string;
  phone?: string;
  passwordHash: string;
  role: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  emailConfirmed: boolean;
  phoneConfirmed: boolean;
  bannedUntil?: Date | null;
}

/** Inserts the user plus one identity per contact (email, phone), as GoTrue does. */
export async function insertUser(q: Queryable, u: NewUser): Promise<UserRow> {
  const id = u.id ?? crypto.randomUUID();
  const { rows } = await q.query<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,
       raw_app_meta_data, raw_user_meta_data, email_confirmed_at, phone_confirmed_at, banned_until,
       is_super_admin, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, $3, $4, $5, $6, $7, $8,
       case when $9::boolean then now() end, case when $10::boolean then now() end, $11,
       false, now(), now())
     returning *`,
    [
      id, AUD, u.role, u.email ?? null, u.phone ?? null, u.passwordHash,
      u.appMetadata, u.userMetadata, u.emailConfirmed, u.phoneConfirmed, u.bannedUntil ?? null,
    ],
  );
  if (u.email) await upsertIdentity(q, id, "email", { sub: id, email: u.email });
  if (u.phone) await upsertIdentity(q, id, "phone", { sub: id, phone: u.phone });
  return rows[0];
}

/** The email/phone identity of a user; its provider_id is the user id. */
export async function upsertIdentity(q: Queryable, userId: string, provider: string, data: Record<string, unknown>) {
  const identityData = { ...data, email_verified: false, phone_verified: false };
  await q.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, created_at, updated_at)
     values ($1, $2, $3, $4::jsonb, $5, now(), now())
     on conflict (provider_id, provider) do update set identity_data = auth.identities.identity_data || $6::jsonb, updated_at = now()`,
    [crypto.randomUUID(), userId, userId, identityData, provider, data],
  );
}

/** Columns that routes may change; values are passed as parameters. */
export type UserPatch = Partial<{
  email: string | null;
  phone: string | null;
  encrypted_password: string;
  role: string;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  email_confirmed_at: Date | null;
  phone_confirmed_at: Date | null;
  banned_until: Date | null;
  last_sign_in_at: Date;
}>;

export async function updateUser(q: Queryable, id: string, patch: UserPatch): Promise<UserRow> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}`);
  const { rows } = await q.query<UserRow>(
    `update auth.users set ${[...sets, "updated_at = now()"].join(", ")} where id = $1 returning *`,
    [id, ...entries.map(([, v]) => v)],
  );
  return rows[0];
}

/** Shallow merge where a null value removes the key (GoTrue UpdateUserMetaData). */
export function mergeMetadata(current: Record<string, unknown> | null, changes: Record<string, unknown>) {
  const merged: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export async function listUsers(q: Queryable, page: number, perPage: number) {
  const total = await q.query<{ n: string }>("select count(*) as n from auth.users where aud = $1", [AUD]);
  const { rows } = await q.query<UserRow>(
    "select * from auth.users where aud = $1 order by created_at desc, id limit $2 offset $3",
    [AUD, perPage, (page - 1) * perPage],
  );
  return { users: rows, total: Number(total.rows[0].n) };
}

/** Hard delete; sessions, refresh tokens and identities go by cascade. */
export async function deleteUser(q: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await q.query("delete from auth.users where id = $1", [id]);
  return Boolean(rowCount);
}

export async function findUserByPhone(q: Queryable, phone: string): Promise<UserRow | null> {
  const { rows } = await q.query<UserRow>("select * from auth.users where phone = $1 and aud = $2", [phone, AUD]);
  return rows[0] ?? null;
}

/** True for Postgres unique violations (a concurrent insert of the same email, phone or id). */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "23505";
