/**
 * The syntax of ISO date strings: YYYY-MM-DD[(T|t| )HH:MM[:SS[.fraction]][Z|±HH[[:]MM]]].
 * A hand-written scanner, because it runs on every date argument of every evaluation
 * (several times faster than a RegExp). Time zones are dates.ts's business.
 */

/** The fields of the last string `parseIsoDate` accepted (one record, so parsing allocates nothing). */
export const parsed = {
  year: 0,
  month: 0,
  day: 0,
  /** With an offset: minutes from the written date's UTC midnight to the instant (may fall outside 0..1439). */
  utcMinutes: 0,
  second: 0,
  /** True when the string carries Z or an offset, i.e. names an instant rather than a wall time. */
  instant: false,
};

const DASH = 45, COLON = 58, DOT = 46, PLUS = 43;
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month];
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** The two-digit number at `i`, or -1 unless both characters are digits. */
function two(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48, b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function isDigit(text: string, i: number): boolean {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9;
}

/** Fills `parsed` and returns true when `text` is a valid ISO date or date-time. */
export function parseIsoDate(text: string): boolean {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  const high = two(text, 0), low = two(text, 2), month = two(text, 5), day = two(text, 8);
  if (high < 0 || low < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = high * 100 + low;
  if (day > daysInMonth(year, month)) return false;
  parsed.year = year;
  parsed.month = month;
  parsed.day = day;
  parsed.instant = false;
  if (length === 10) return true;

  const separator = text.charCodeAt(10);
  if ((separator !== 84 && separator !== 116 && separator !== 32) || length < 16 || text.charCodeAt(13) !== COLON) return false; // T t space
  const hour = two(text, 11), minute = two(text, 14);
  let second = 0;
  let i = 16;
  if (i < length && text.charCodeAt(i) === COLON) {
    second = two(text, 17);
    i = 19;
    if (i < length && text.charCodeAt(i) === DOT) {
      const fractionStart = ++i;
      while (i < length && isDigit(text, i)) i++;
      if (i === fractionStart) return false;
    }
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (i === length) return true; // wall time in the program's zone

  const offsetMinutes = parseOffset(text, i);
  if (offsetMinutes === undefined) return false;
  parsed.utcMinutes = hour * 60 + minute - offsetMinutes;
  parsed.second = second;
  parsed.instant = true;
  return true;
}

/** Z, ±HH, ±HHMM or ±HH:MM from `start` to the end of the text, in minutes east of UTC. */
function parseOffset(text: string, start: number): number | undefined {
  const sign = text.charCodeAt(start);
  const rest = text.length - start - 1;
  if (rest === 0 && (sign === 90 || sign === 122)) return 0; // Z z
  if (sign !== PLUS && sign !== DASH) return undefined;
  const hours = two(text, start + 1);
  let minutes = 0;
  if (rest === 4) minutes = two(text, start + 3);
  else if (rest === 5 && text.charCodeAt(start + 3) === COLON) minutes = two(text, start + 4);
  else if (rest !== 2) return undefined;
  if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) return undefined;
  return (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
}
