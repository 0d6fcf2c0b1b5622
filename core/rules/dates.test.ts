import { describe, expect, it } from "vitest";
import { civilFromDay, dayFromCivil, formatDay, monthOf, monthOfDay, toDayNumber } from "./dates";
import { daysInMonth } from "./iso-date";

describe("calendar arithmetic agrees with Date over years 0001-9999", () => {
  it("every 37th day", () => {
    const wrong: string[] = [];
    for (let day = dayFromCivil(1, 1, 1); day <= dayFromCivil(9999, 12, 31); day += 37) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const [y, m, d] = iso.split("-").map(Number);
      const [cy, cm, cd] = civilFromDay(day);
      const ok = formatDay(day) === iso && cy === y && cm === m && cd === d && monthOfDay(day) === m
        && dayFromCivil(y, m, d) === day && toDayNumber(iso, "UTC") === day;
      if (!ok) wrong.push(iso);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [2024, 2, 29], [2023, 2, 28], [2000, 2, 29], [1900, 2, 28], [2025, 4, 30], [2025, 12, 31],
  ])("daysInMonth(%i, %i) = %i", (year, month, expected) => {
    expect(daysInMonth(year, month)).toBe(expected);
  });

  it("formats only years 0000-9999", () => {
    expect(formatDay(dayFromCivil(0, 1, 1))).toBe("0000-01-01");
    expect(formatDay(dayFromCivil(10000, 1, 1))).toBeUndefined();
    expect(formatDay(dayFromCivil(-1, 12, 31))).toBeUndefined();
  });
});

describe("monthOf", () => {
  const texts = [
    "2025-03-05", "2025-03-31T23:30:00", "2025-03-31T16:00:00Z", "2025-03-31T15:59:59.999Z", "2025-01-01T00:00:00+14:00",
    "2024-12-31T23:00:00-18:59", "1991-06-30T20:00:00Z", "0000-01-01T00:00+01:00", "9999-12-31T23:59Z", "2025-02-29", "2025-13-01",
  ];
  it.each(["Asia/Shanghai", "UTC", "America/New_York"])("agrees with toDayNumber in %s", (zone) => {
    for (const text of texts) {
      const day = toDayNumber(text, zone);
      expect(monthOf(text, zone), text).toBe(day === undefined ? undefined : monthOfDay(day));
    }
  });
});
