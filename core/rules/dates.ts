/**
 * Calendar-date helpers for the custom operations.
 *
 * Policy: every date operation works on calendar dates of the program's time zone
 * (`OperationContext.timeZone`, default "Asia/Shanghai").
 * - "YYYY-MM-DD" is that calendar date as written.
 * - A date-time without offset ("2025-03-05T23:30:00") is wall time in the program's zone: its date part.
 * - A date-time with "Z" or an offset, or a JS `Date`, is an instant: converted to the program's zone first,
 *   so "2025-03-05T18:00:00Z" is 2025-03-06 in Asia/Shanghai.
 * Days are counted as integers since 1970-01-01 (proleptic Gregorian), so arithmetic never meets DST.
 */

import { parsed, parseIsoDate } from "./iso-date";

const DAY_MS = 86_400_000;

/** China has kept UTC+8 without daylight saving since 1991-09-15; earlier instants go through Intl. */
const SHANGHAI_FIXED_FROM_MS = Date.UTC(1992, 0, 1);
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** [year, month 1-12, day 1-31] for a day number (H. Hinnant's civil_from_days). */
export function civilFromDay(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day];
}

/** "YYYY-MM-DD" for a day number, or undefined outside years 0000-9999. */
export function formatDay(dayNumber: number): string | undefined {
  const [y, m, d] = civilFromDay(dayNumber);
  if (y < 0 || y > 9999) return undefined;
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** Month (1-12) of a day number, without building the whole civil date. */
export function monthOfDay(dayNumber: number): number {
  const z = dayNumber + 719_468;
  const doe = z - Math.floor(z / 146_097) * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const mp = Math.floor((5 * (doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))) + 2) / 153);
  return mp < 10 ? mp + 3 : mp - 9;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Day number of an instant in a time zone (throws RangeError for an unknown zone). */
export function zoneDayOfInstant(utcMs: number, timeZone: string): number {
  if (timeZone === "UTC") return Math.floor(utcMs / DAY_MS);
  if (timeZone === "Asia/Shanghai" && utcMs >= SHANGHAI_FIXED_FROM_MS) {
    return Math.floor((utcMs + SHANGHAI_OFFSET_MS) / DAY_MS);
  }
  let year = 0, month = 0, day = 0;
  for (const part of zoneFormatter(timeZone).formatToParts(utcMs)) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = Number(part.value);
    else if (part.type === "day") day = Number(part.value);
  }
  return dayFromCivil(year, month, day);
}

/** Calendar date packed as year * 512 + month * 32 + day: months and days compare and unpack with shifts. */
const pack = (year: number, month: number, day: number) => year * 512 + month * 32 + day;

function packDay(dayNumber: number): number {
  const [y, m, d] = civilFromDay(dayNumber);
  return pack(y, m, d);
}

/** From this written date on, an instant of any offset is past 1992-01-01T00:00Z (Shanghai's fixed UTC+8). */
const SHANGHAI_FIXED_FROM_DATE = pack(1992, 1, 2);

/** Packed calendar date in the zone of an ISO date / date-time string, or undefined when it is not one. */
function civilOfText(text: string, timeZone: string): number | undefined {
  if (!parseIsoDate(text)) return undefined;
  const { year, month, day, utcMinutes } = parsed;
  const written = pack(year, month, day);
  if (!parsed.instant) return written;
  // Fixed-offset zones: the instant's date is the written date shifted by whole days (usually none).
  let shift = NaN;
  if (timeZone === "UTC") shift = Math.floor(utcMinutes / 1440);
  else if (timeZone === "Asia/Shanghai" && written >= SHANGHAI_FIXED_FROM_DATE) shift = Math.floor((utcMinutes + 480) / 1440);
  if (shift === 0) return written;
  const dayNumber = dayFromCivil(year, month, day);
  if (!Number.isNaN(shift)) return packDay(dayNumber + shift);
  return packDay(zoneDayOfInstant(dayNumber * DAY_MS + (utcMinutes * 60 + parsed.second) * 1000, timeZone));
}

/**
 * Day number of a date value in the given zone, or undefined when the value is not
 * an ISO date / date-time string or a valid Date.
 */
export function toDayNumber(value: unknown, timeZone: string): number | undefined {
  if (typeof value === "string") {
    const civil = civilOfText(value, timeZone);
    return civil === undefined ? undefined : dayFromCivil(civil >> 9, (civil >> 5) & 15, civil & 31);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : zoneDayOfInstant(ms, timeZone);
  }
  return undefined;
}

/** Month (1-12) of a date value in the given zone (see toDayNumber), without day arithmetic for strings. */
export function monthOf(value: unknown, timeZone: string): number | undefined {
  if (typeof value === "string") {
    const civil = civilOfText(value, timeZone);
    return civil === undefined ? undefined : (civil >> 5) & 15;
  }
  const dayNumber = toDayNumber(value, timeZone);
  return dayNumber === undefined ? undefined : monthOfDay(dayNumber);
}
