/** What every route handler needs. */
import type { Db } from "./db.ts";
import type { Passwords } from "./passwords.ts";
import type { SignInLimiter } from "./rate-limit.ts";
import type { JwtKey } from "./tokens.ts";

export interface AuthContext {
  db: Db;
  key: JwtKey;
  issuer: string;
  jwtExpiry: number;
  /** How long a revoked refresh token may still be rotated from (GoTrue: reuse interval). */
  reuseIntervalMs: number;
  adminRoles: string[];
  passwords: Passwords;
  signInLimiter: SignInLimiter;
  /** Largest JSON body read, in bytes. */
  maxBody: number;
  /** Peers whose X-Forwarded-For names the client (the gateway). */
  trustedProxies: readonly string[];
  disableSignup: boolean;
  mailerAutoconfirm: boolean;
}
