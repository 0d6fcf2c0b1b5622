/**
 * bcrypt hashing in worker threads (hash-pool.ts); also verifies pgcrypto `crypt(pw, gen_salt('bf'))`
 * hashes (same $2a$ format). An unknown user is compared against a dummy hash of the same cost, so a
 * sign-in takes as long whether or not the email exists.
 */
import crypto from "node:crypto";
import { validationFailed, weakPassword } from "./errors.ts";
import { HashPool } from "./hash-pool.ts";

const COST = 10;
export const MIN_PASSWORD_LENGTH = 6;
const MAX_PASSWORD_LENGTH = 72;

export class Passwords {
  private readonly pool = new HashPool();
  private dummy: Promise<string> | undefined;

  hash(password: string) {
    return this.pool.hash(password, COST);
  }

  /** False for a wrong password, a missing user (hash null) or a hash that is not bcrypt. */
  async verify(password: string, hash: string | null): Promise<boolean> {
    const usable = Boolean(hash && hash.startsWith("$2"));
    this.dummy ??= this.pool.hash(randomPassword(), COST);
    const against = usable ? hash! : await this.dummy;
    try {
      const same = await this.pool.compare(password, against);
      return usable && same;
    } catch {
      return false;
    }
  }

  close() {
    return this.pool.close();
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
export function randomPassword() {
  return crypto.randomBytes(48).toString("base64url").slice(0, 64);
}
