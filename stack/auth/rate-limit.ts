/**
 * Failed password sign-ins per email and per client address in a fixed window. An attempt takes a
 * slot before the password is checked (so a burst cannot slip past while the hashes run) and gives
 * it back when the password was right, so only failures count against the limit.
 */
import { HttpError } from "./errors.ts";

export interface SignInLimit {
  perEmail: number;
  perIp: number;
  windowSeconds: number;
}

interface Window {
  count: number;
  resetAt: number;
}

export const rateLimited = (retryAfterSeconds: number) =>
  new HttpError(429, "over_request_rate_limit", "Request rate limit reached", {}, false, {
    "Retry-After": String(Math.max(1, retryAfterSeconds)),
  });

export class SignInLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limit: SignInLimit) {}

  /** Takes a slot for each key, or throws 429 when any key has used up its window. */
  take(email: string, ip: string | null): () => void {
    const now = Date.now();
    const keys: [string, number][] = [[`email:${email.toLowerCase()}`, this.limit.perEmail]];
    if (ip) keys.push([`ip:${ip}`, this.limit.perIp]);
    const windows = keys.map(([key, max]) => {
      let window = this.windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + this.limit.windowSeconds * 1000 };
        this.windows.set(key, window);
      }
      return { window, max };
    });
    const full = windows.find(({ window, max }) => window.count >= max);
    if (full) throw rateLimited(Math.ceil((full.window.resetAt - now) / 1000));
    for (const { window } of windows) window.count++;
    if (this.windows.size > 100_000) this.sweep(now);
    return () => {
      for (const { window } of windows) window.count = Math.max(0, window.count - 1);
    };
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
