/** Access tokens (HS256 JWTs) and opaque 12-character refresh tokens. */
import { jwtVerify, SignJWT, type JWTPayload } from "jose";
import crypto from "node:crypto";

export type JwtKey = Uint8Array;

export const USER_AUDIENCE = "authenticated";

/** GoTrue and PostgREST both use the secret's UTF-8 bytes as the HMAC key. */
export const jwtKey = (secret: string): JwtKey => new TextEncoder().encode(secret);

export interface AmrEntry {
  method: string;
  timestamp: number;
}

export interface AccessTokenInput {
  issuer: string;
  expiry: number;
  userId: string;
  email: string;
  phone: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  role: string;
  amr: AmrEntry[];
  sessionId: string;
  isAnonymous: boolean;
}

export async function signAccessToken(key: JwtKey, input: AccessTokenInput) {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + input.expiry;
  const claims: JWTPayload = {
    ...(input.issuer ? { iss: input.issuer } : {}),
    sub: input.userId,
    aud: USER_AUDIENCE,
    exp,
    iat,
    email: input.email,
    phone: input.phone,
    app_metadata: input.appMetadata,
    user_metadata: input.userMetadata,
    role: input.role || "authenticated",
    aal: "aal1",
    amr: input.amr,
    session_id: input.sessionId,
    is_anonymous: input.isAnonymous,
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
  return { token, exp };
}

/**
 * Verified claims, or null for anything but a valid HS256 token with an exp in the future and no
 * aud other than "authenticated" (the API keys carry none, user tokens carry that one).
 */
export async function verifyJwt(key: JwtKey, token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], requiredClaims: ["exp"] });
    if (payload.aud !== undefined && payload.aud !== USER_AUDIENCE) return null;
    return payload;
  } catch {
    return null;
  }
}

const REFRESH_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** 12 characters of a-z2-7 (60 random bits), like GoTrue's v1 refresh tokens. */
export function newRefreshToken(): string {
  const bytes = crypto.randomBytes(12);
  let out = "";
  for (const b of bytes) out += REFRESH_ALPHABET[b & 31];
  return out;
}

export const REFRESH_TOKEN_FORMAT = /^[a-z0-9]{12}$/;
