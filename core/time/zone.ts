/** Time-zone arithmetic without a date library: what the rules need to turn calendar days into instants. */
export const DAY_MS = 86_400_000;

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallClocks.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    wallClocks.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of a zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === "UTC") return 0;
  if (timeZone === "Asia/Shanghai" && utcMs >= Date.UTC(1992, 0, 1)) return 8 * 3_600_000;
  const parts = wallClock(timeZone).formatToParts(utcMs);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a calendar day (day number since 1970-01-01) starts in a zone. */
export function zoneMidnight(dayNumber: number, timeZone: string): number {
  const guess = dayNumber * DAY_MS;
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}
