/** auth.sessions, auth.refresh_tokens and auth.mfa_amr_claims: sign-in, rotation, sign-out. */
import crypto from "node:crypto";
import { transaction, type Db, type Queryable, type Tx } from "./db.ts";
import { badRequest } from "./errors.ts";
import { newRefreshToken, type AmrEntry } from "./tokens.ts";
import { findUserById, isBanned, type UserRow } from "./users.ts";

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedSession {
  user: UserRow;
  sessionId: string;
  refreshToken: string;
  amr: AmrEntry[];
}

async function insertRefreshToken(tx: Tx, userId: string, sessionId: string, parent: string | null) {
  // 60 random bits make a clash unlikely; "do nothing" keeps the transaction usable if one happens.
  for (;;) {
    const token = newRefreshToken();
    const { rowCount } = await tx.query(
      `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
       values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)
       on conflict (token) do nothing`,
      [token, userId, parent, sessionId],
    );
    if (rowCount) return token;
  }
}

export async function amrOf(q: Queryable, sessionId: string): Promise<AmrEntry[]> {
  const { rows } = await q.query<{ method: string; ts: string }>(
    `select authentication_method as method, extract(epoch from created_at)::bigint as ts
     from auth.mfa_amr_claims where session_id = $1 order by created_at desc`,
    [sessionId],
  );
  return rows.map((r) => ({ method: r.method, timestamp: Number(r.ts) }));
}

/** New session for a password sign-in (or autoconfirmed sign-up), in one transaction. */
export async function createSession(db: Db, userId: string, client: ClientInfo): Promise<IssuedSession> {
  return transaction(db, async (tx) => {
    const sessionId = crypto.randomUUID();
    await tx.query(
      `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
       values ($1, $2, now(), now(), 'aal1', $3, $4)`,
      [sessionId, userId, client.userAgent, client.ip],
    );
    const refreshToken = await insertRefreshToken(tx, userId, sessionId, null);
    await tx.query(
      `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
       values ($1, $2, now(), now(), 'password')`,
      [crypto.randomUUID(), sessionId],
    );
    const { rows } = await tx.query<UserRow>(
      "update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning *",
      [userId],
    );
    return { user: rows[0], sessionId, refreshToken, amr: await amrOf(tx, sessionId) };
  });
}

const tokenNotFound = () => badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");

type RefreshOutcome = { kind: "ok"; issued: IssuedSession } | { kind: "no_session" } | { kind: "reused" };

interface TokenRow {
  id: string;
  token: string;
  revoked: boolean;
  parent: string | null;
  within_reuse: boolean;
}

/**
 * Refresh-token grant with GoTrue's rotation rules. The session row is locked first, so every
 * refresh of one session runs one after another and never deadlocks with sign-out.
 */
export async function refreshGrant(db: Db, token: string, reuseIntervalMs: number, client: ClientInfo) {
  const outcome = await transaction<RefreshOutcome>(db, async (tx) => {
    const found = await tx.query<{ session_id: string | null }>(
      "select session_id from auth.refresh_tokens where token = $1",
      [token],
    );
    if (!found.rowCount) throw tokenNotFound();
    const sessionId = found.rows[0].session_id;
    const session = sessionId
      ? (await tx.query<{ user_id: string }>("select user_id from auth.sessions where id = $1 for update", [sessionId])).rows[0]
      : undefined;
    if (!sessionId || !session) {
      await tx.query("delete from auth.refresh_tokens where token = $1", [token]);
      return { kind: "no_session" };
    }
    const { rows } = await tx.query<TokenRow>(
      `select id, token, revoked, parent, now() <= updated_at + $2::float8 * interval '1 millisecond' as within_reuse
       from auth.refresh_tokens where token = $1 for update`,
      [token, reuseIntervalMs],
    );
    const current = rows[0];
    if (!current) throw tokenNotFound();
    const user = await findUserById(tx, session.user_id);
    if (!user) return { kind: "no_session" };
    if (isBanned(user)) throw badRequest("user_banned", "User is banned");

    let issued: string | undefined;
    if (current.revoked) {
      const active = await tx.query<{ token: string; parent: string | null }>(
        "select token, parent from auth.refresh_tokens where session_id = $1 and revoked = false order by id desc limit 1",
        [sessionId],
      );
      const child = active.rows[0];
      if (child && (child.parent === token || current.within_reuse)) {
        // A lost response, or a client racing its own rotation: hand back the session's current
        // token instead of rotating again, so the session never forks into two live branches.
        issued = child.token;
      } else {
        await tx.query(
          "update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false",
          [sessionId],
        );
        return { kind: "reused" };
      }
    }
    if (!issued) {
      await tx.query("update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1", [current.id]);
      issued = await insertRefreshToken(tx, user.id, sessionId, token);
    }
    await tx.query(
      `update auth.sessions set refreshed_at = timezone('utc', now()), updated_at = now(), user_agent = $2, ip = $3
       where id = $1`,
      [sessionId, client.userAgent, client.ip],
    );
    return { kind: "ok", issued: { user, sessionId, refreshToken: issued, amr: await amrOf(tx, sessionId) } };
  });
  if (outcome.kind === "no_session") throw badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
  if (outcome.kind === "reused") throw badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
  return outcome.issued;
}

export async function sessionExists(q: Queryable, sessionId: string) {
  const { rowCount } = await q.query("select 1 from auth.sessions where id = $1", [sessionId]);
  return Boolean(rowCount);
}

export type LogoutScope = "global" | "local" | "others";

/** Refresh tokens and amr claims go by cascade. */
export async function logout(q: Queryable, userId: string, sessionId: string | null, scope: LogoutScope) {
  if (scope === "global") {
    await q.query("delete from auth.sessions where user_id = $1", [userId]);
  } else if (scope === "local") {
    if (sessionId) await q.query("delete from auth.sessions where id = $1", [sessionId]);
  } else {
    await q.query("delete from auth.sessions where user_id = $1 and id is distinct from $2", [userId, sessionId]);
  }
}
