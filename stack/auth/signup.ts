/**
 * Sign-up without autoconfirm, answered the same whether or not the email is taken: a new address
 * gets an unconfirmed user, a taken one an invented user of the same shape (fresh id, no row
 * written), and both pay for one bcrypt hash, so neither the answer nor its time tells them apart.
 */
import crypto from "node:crypto";
import type { AuthContext } from "./context.ts";
import { transaction } from "./db.ts";
import { userJson } from "./user-json.ts";
import { AUD, findUserByEmail, insertUser, isUniqueViolation, type IdentityRow, type UserRow } from "./users.ts";

const APP_METADATA = { provider: "email", providers: ["email"] };

function inventedUser(email: string, data: Record<string, unknown>) {
  const id = crypto.randomUUID();
  const now = new Date();
  const user: UserRow = {
    id, aud: AUD, role: "authenticated", email, encrypted_password: null,
    email_confirmed_at: null, invited_at: null, confirmation_sent_at: null, recovery_sent_at: null,
    email_change: "", email_change_sent_at: null, last_sign_in_at: null,
    raw_app_meta_data: APP_METADATA, raw_user_meta_data: data, created_at: now, updated_at: now,
    phone: null, phone_confirmed_at: null, confirmed_at: null, banned_until: null, deleted_at: null,
    is_anonymous: false,
  };
  const identity: IdentityRow = {
    id: crypto.randomUUID(), provider_id: id, user_id: id, provider: "email", email,
    identity_data: { sub: id, email, email_verified: false, phone_verified: false },
    last_sign_in_at: null, created_at: now, updated_at: now,
  };
  return userJson(user, [identity]);
}

export async function signupUnconfirmed(ctx: AuthContext, email: string, password: string, data: Record<string, unknown>) {
  const [existing, passwordHash] = await Promise.all([findUserByEmail(ctx.db, email), ctx.passwords.hash(password)]);
  if (existing) return inventedUser(email, data);
  try {
    return await transaction(ctx.db, async (tx) => {
      const user = await insertUser(tx, {
        email,
        passwordHash,
        role: "authenticated",
        appMetadata: APP_METADATA,
        userMetadata: data,
        emailConfirmed: false,
        phoneConfirmed: false,
      });
      const { rows } = await tx.query<IdentityRow>("select * from auth.identities where user_id = $1", [user.id]);
      return userJson(user, rows);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return inventedUser(email, data);
    throw error;
  }
}
