import { civilFromDay } from "../rules/dates.ts";
import { DAY_MS } from "./zone.ts";

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()` for years 0000-9999, several times faster (it runs for every transaction a
 * what-if simulates).
 */
export function isoInstant(instant: number): string {
  const ms = Math.floor(instant);
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const [y, mo, d] = civilFromDay(day);
  if (y < 0 || y > 9999 || !Number.isFinite(ms)) return new Date(ms).toISOString();
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${y < 1000 ? String(y).padStart(4, "0") : y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}
