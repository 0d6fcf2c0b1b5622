/**
 * Runs SQL as a demo user the way PostgREST does (request.jwt.claims + SET LOCAL ROLE authenticated), as
 * anon or the service role, inside a transaction that is rolled back (commitAs: committed).
 */
import type pg from "pg";
import { ROLES, type Role } from "../../core/enums/index.ts";
import { demoEmail } from "./stack-env.ts";

export type Who = Role | "service_role" | "anon";
export type Attempt = { ok: true; value: pg.QueryResult } | { ok: false; error: pg.DatabaseError };

export async function roleSessions(db: pg.Client) {
  const users = {} as Record<Role, string>;
  for (const role of ROLES) {
    const { rows } = await db.query("select user_id from staff_profiles where email = $1", [demoEmail(role)]);
    users[role] = rows[0].user_id;
  }

  async function as<T>(who: Who, fn: () => Promise<T>, end: "rollback" | "commit" = "rollback"): Promise<T> {
    await db.query("begin");
    let finish = "rollback";
    try {
      const claims = who === "service_role" || who === "anon"
        ? { role: who }
        : { sub: users[who], role: "authenticated", email: demoEmail(who) };
      await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
      await db.query(`set local role ${who === "service_role" || who === "anon" ? who : "authenticated"}`);
      const result = await fn();
      finish = end;
      return result;
    } finally {
      await db.query(finish);
    }
  }

  /** One statement as `who`: its result or its error, never a throw. */
  const attempt = (who: Who, sql: string, params: unknown[] = []): Promise<Attempt> =>
    as(who, async () => {
      try {
        return { ok: true as const, value: await db.query(sql, params) };
      } catch (error) {
        return { ok: false as const, error: error as pg.DatabaseError };
      }
    });

  /** One statement as `who`, committed: what it writes stays. */
  const commitAs = async (who: Who, sql: string, params: unknown[] = []) =>
    (await as(who, () => db.query(sql, params), "commit")).rows;

  return { users, as, attempt, commitAs };
}

/** The reason code of a refusal, or "ok". */
export const outcome = (r: Attempt) => (r.ok ? "ok" : (r.error.hint ?? r.error.code));
