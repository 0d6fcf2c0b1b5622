import { describe, expect, it } from "vitest";
import { memberContextData, type MemberContextRow } from "./member-data.ts";

const row: MemberContextRow = {
  member: { tier: "gold", tags: ["酒店常客"], birthday: "1990-03-25", growth_value: 1234, joined_at: "2024-05-01T16:00:00+08:00",
    status: "active", home_business_unit: "mall" },
  stats: { transactions_90d: 2, amount_90d: 530.5, transactions_365d: 9, amount_365d: 12800, hotel_transactions_365d: 3,
    units_365d: ["hotel"], last_transaction_at: "2026-02-01T16:00:00+08:00", balance: 4200 },
  now: "2026-03-10T18:00:00+00:00",
};

describe("a real member as a member-context rule's sample", () => {
  it("gives a tier rule the member and now, in the engine's shapes", () => {
    expect(memberContextData("tier", row)).toEqual({
      member: { tier: "gold", tags: ["酒店常客"], birthday: "1990-03-25", growth_value: 1234, joined_at: "2024-05-01T08:00:00.000Z",
        status: "active", home_business_unit: "mall" },
      now: "2026-03-10T18:00:00.000Z",
    });
  });

  it("gives a tagging rule the statistics too, without the fields its context lacks", () => {
    const data = memberContextData("tagging", row) as { member: Record<string, unknown>; stats: Record<string, unknown> };
    expect(data.member).not.toHaveProperty("status");
    expect(data.stats).toMatchObject({ hotel_transactions_365d: 3, last_transaction_at: "2026-02-01T08:00:00.000Z", balance: 4200 });
  });

  it("gives a reminder rule only the member's part its context has", () => {
    const data = memberContextData("reminder", row);
    expect(Object.keys(data.member as object).sort()).toEqual(["birthday", "tags", "tier"]);
    expect(data).not.toHaveProperty("stats");
  });
});
