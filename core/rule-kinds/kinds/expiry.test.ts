import { describe, expect, it } from "vitest";
import { toExpiry } from "./expiry.ts";

const EARNED = Date.UTC(2026, 0, 10);

describe("toExpiry", () => {
  it("takes an ISO date as valid through that day in the programme's zone", () => {
    expect(toExpiry("2026-02-28", EARNED, "Asia/Shanghai")).toBe(Date.UTC(2026, 2, 1) - 8 * 3_600_000);
    expect(toExpiry("2028-02-29", EARNED, "UTC")).toBe(Date.UTC(2028, 2, 1));
  });

  it("refuses a calendar day that does not exist instead of rolling it into the next month", () => {
    for (const day of ["2026-02-29", "2026-02-31", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00"]) {
      expect(toExpiry(day, EARNED, "Asia/Shanghai")).toEqual({ error: `not a valid date: ${day}` });
    }
  });

  it("gives the same instant in a zone without a shortcut, computed through one cached formatter", () => {
    const tokyo = toExpiry("2026-06-30", EARNED, "Asia/Tokyo");
    expect(tokyo).toBe(Date.UTC(2026, 6, 1) - 9 * 3_600_000);
    expect(toExpiry("2026-06-30", EARNED, "Asia/Tokyo")).toBe(tokyo);
  });
});
