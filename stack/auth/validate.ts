/** Email, phone and ban-duration parsing with GoTrue's rules and messages. */
import { validationFailed } from "./errors.ts";

const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!email) throw validationFailed("An email address is required");
  if (email.length > 255) throw validationFailed("An email address is too long");
  if (!EMAIL.test(email)) throw validationFailed("Unable to validate email address: invalid format");
  return email;
}

/** E.164 digits without the plus, as GoTrue stores phones. */
export function normalizePhone(raw: string): string {
  const phone = raw.replace(/[\s+\-()]/g, "");
  if (!/^[1-9]\d{1,14}$/.test(phone)) throw validationFailed("Invalid phone number format (E.164 required)");
  return phone;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5 };

/** A Go duration ("24h", "1h30m") or "none"; returns milliseconds, or null for "none". */
export function parseBanDuration(raw: string): number | null {
  if (raw === "none") return null;
  const parts = [...raw.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== raw) {
    throw validationFailed("invalid format for ban duration");
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
}
