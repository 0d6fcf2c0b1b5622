/** bcrypt hashing; also verifies pgcrypto `crypt(pw, gen_salt('bf'))` hashes (same $2a$ format). */
import bcrypt from "bcryptjs";
import crypto from "node:crypto";
import { validationFailed, weakPassword } from "./errors.ts";

const COST = 10;
export const MIN_PASSWORD_LENGTH = 6;
const MAX_PASSWORD_LENGTH = 72;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !hash.startsWith("$2")) return false;
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/** Throws GoTrue's errors for a password that cannot be set. */
export function checkNewPassword(password: string | undefined, emptyMessage: string): string {
  if (!password) throw validationFailed(emptyMessage);
  // bcrypt only reads 72 bytes; GoTrue refuses longer passwords instead of truncating them.
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_LENGTH) {
    throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  if ([...password].length < MIN_PASSWORD_LENGTH) throw weakPassword(MIN_PASSWORD_LENGTH);
  return password;
}

/** Admin-created users without a password get an unguessable one, as GoTrue does. */
export const randomPassword = () => crypto.randomBytes(48).toString("base64url").slice(0, 64);
