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

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month];
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
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

/**
 * Day number of a date value in the given zone, or undefined when the value is not
 * an ISO date / date-time string or a valid Date.
 */
export function toDayNumber(value: unknown, timeZone: string): number | undefined {
  if (typeof value === "string") return parseIsoDay(value, timeZone);
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : zoneDayOfInstant(ms, timeZone);
  }
  return undefined;
}

/** `count` decimal digits at `start`, or -1 if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

const DASH = 45, COLON = 58, DOT = 46, PLUS = 43;

/**
 * Parses YYYY-MM-DD[(T|t| )HH:MM[:SS[.fraction]][Z|±HH[[:]MM]]] by hand: it runs on every
 * date argument of every evaluation, and a scanner is several times faster than a RegExp.
 */
function parseIsoDay(text: string, timeZone: string): number | undefined {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  const year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const dayNumber = dayFromCivil(year, month, day);
  if (length === 10) return dayNumber;

  const separator = text[10];
  if ((separator !== "T" && separator !== "t" && separator !== " ") || length < 16 || text.charCodeAt(13) !== COLON) return undefined;
  const hour = digits(text, 11, 2), minute = digits(text, 14, 2);
  let second = 0;
  let i = 16;
  if (i < length && text.charCodeAt(i) === COLON) {
    second = digits(text, 17, 2);
    i = 19;
    if (i < length && text.charCodeAt(i) === DOT) {
      const fractionStart = ++i;
      while (i < length && digits(text, i, 1) >= 0) i++;
      if (i === fractionStart) return undefined;
    }
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (i === length) return dayNumber; // wall time in the program's zone

  const offsetMinutes = parseOffset(text, i);
  if (offsetMinutes === undefined) return undefined;
  const utcMs = dayNumber * DAY_MS + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
  return zoneDayOfInstant(utcMs, timeZone);
}

/** Z, ±HH, ±HHMM or ±HH:MM from `start` to the end of the text, in minutes east of UTC. */
function parseOffset(text: string, start: number): number | undefined {
  const sign = text.charCodeAt(start);
  const rest = text.length - start - 1;
  if (rest === 0 && (text[start] === "Z" || text[start] === "z")) return 0;
  if (sign !== PLUS && sign !== DASH) return undefined;
  const hours = digits(text, start + 1, 2);
  let minutes = 0;
  if (rest === 4) minutes = digits(text, start + 3, 2);
  else if (rest === 5 && text.charCodeAt(start + 3) === COLON) minutes = digits(text, start + 4, 2);
  else if (rest !== 2) return undefined;
  if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) return undefined;
  return (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
}
