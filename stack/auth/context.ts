/** What every route handler needs. */
import type { Db } from "./db.ts";
import type { JwtKey } from "./tokens.ts";

export interface AuthContext {
  db: Db;
  key: JwtKey;
  issuer: string;
  jwtExpiry: number;
  /** How long a revoked refresh token may still be rotated from (GoTrue: reuse interval). */
  reuseIntervalMs: number;
  adminRoles: string[];
}
