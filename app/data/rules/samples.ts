import type { RuleKind } from "./types";

/** Example data each kind's rules receive (workflows/README.md, "What each kind receives and returns"). */
const transaction = {
  amount: 188.8,
  channel: "pos",
  occurred_at: "2026-03-10T02:00:00.000Z",
  order_no: "T-1",
  items: [],
  business_unit: { code: "hotel", kind: "hotel" },
};
const member = {
  tier: "gold",
  tags: ["高价值"],
  birthday: "1990-03-25",
  growth_value: 1234,
  joined_at: "2024-05-01T08:00:00.000Z",
  status: "active",
  home_business_unit: "mall",
};

export const SAMPLE_INPUT: Record<RuleKind, unknown> = {
  earning: { transaction, member },
  expiry: { lot: { kind: "shopping", points: 150, earned_at: "2026-03-10T02:00:00.000Z" }, transaction, member },
  reminder: {
    lot: {
      id: 42,
      kind: "shopping",
      points: 80,
      earned_at: "2025-03-10T02:00:00.000Z",
      expires_at: "2026-03-13T16:00:00.000Z",
      business_unit: { code: "mall", kind: "mall" },
    },
    member: { tier: "gold", tags: [], birthday: null },
    days_left: 3,
    now: "2026-03-10T01:00:00.000Z",
  },
  tagging: {
    member,
    stats: {
      transactions_90d: 2,
      amount_90d: 530.5,
      transactions_365d: 9,
      amount_365d: 12800,
      hotel_transactions_365d: 3,
      units_365d: ["hotel", "mall"],
      last_transaction_at: "2026-02-01T08:00:00.000Z",
      balance: 4200,
    },
    now: "2026-03-10T18:00:00.000Z",
  },
  tier: { member, now: "2026-03-10T18:00:00.000Z" },
};
