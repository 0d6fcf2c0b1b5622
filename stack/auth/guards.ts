/** Bearer-token checks: the signed-in user (GoTrue requireAuthentication) and admin roles. */
import type { IncomingMessage } from "node:http";
import type { JWTPayload } from "jose";
import type { AuthContext } from "./context.ts";
import { forbidden, HttpError } from "./errors.ts";
import { sessionExists } from "./sessions.ts";
import { USER_AUDIENCE, verifyJwt } from "./tokens.ts";
import { findUserById, isBanned, type UserRow } from "./users.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

async function claimsOf(ctx: AuthContext, req: IncomingMessage): Promise<JWTPayload> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!match) throw new HttpError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  const claims = await verifyJwt(ctx.key, match[1]);
  if (!claims) throw forbidden("bad_jwt", "invalid JWT: unable to parse or verify signature, token is invalid or expired");
  return claims;
}

export interface SignedIn {
  claims: JWTPayload;
  user: UserRow;
  sessionId: string | null;
}

export async function requireUser(ctx: AuthContext, req: IncomingMessage): Promise<SignedIn> {
  const claims = await claimsOf(ctx, req);
  if (claims.aud !== USER_AUDIENCE) throw forbidden("bad_jwt", "invalid claim: aud must be authenticated");
  if (!isUuid(claims.sub)) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  const rawSession = claims.session_id;
  if (rawSession !== undefined && rawSession !== null && !isUuid(rawSession)) {
    throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
  }
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  const sessionId = isUuid(rawSession) ? rawSession : null;
  if (sessionId && !(await sessionExists(ctx.db, sessionId))) {
    throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  }
  if (isBanned(user)) throw forbidden("user_banned", "User is banned");
  return { claims, user, sessionId };
}

export async function requireAdmin(ctx: AuthContext, req: IncomingMessage): Promise<JWTPayload> {
  const claims = await claimsOf(ctx, req);
  if (typeof claims.role !== "string" || !ctx.adminRoles.includes(claims.role)) {
    throw forbidden("not_admin", "User not allowed");
  }
  return claims;
}
