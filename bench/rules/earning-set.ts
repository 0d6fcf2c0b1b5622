/**
 * A typical earning rule set of a group membership program (10 rules, each giving points for one
 * event), with a seeded generator of varied events. Shared by the rule benches.
 */

/** One purchase event as the engine hands it to earning rules. */
export interface EarnEvent {
  txn: {
    bu: "mall" | "hotel" | "office" | "property" | "park";
    amount: number;
    channel: "pos" | "app" | "mini_program" | "web" | "kiosk";
    category: string;
    at: string;
  };
  member: {
    tier: string;
    birthday: string | null;
    tags: string[];
    joined_at: string;
    order_count: number;
  };
}

export interface EarningRule {
  id: string;
  description: string;
  rule: unknown;
}

const bu = { var: "txn.bu" };
const amount = { var: "txn.amount" };
const at = { var: "txn.at" };
const rank = { tier_rank: [{ var: "member.tier" }] };

export const earningRules: EarningRule[] = [
  {
    id: "base-by-bu",
    description: "Base points per yuan by business unit (hotel 2, park 1.5, mall 1, others 0.5), amounts under 10 yuan earn nothing",
    rule: {
      if: [
        { "<": [amount, 10] }, 0,
        { floor: [{ "*": [amount, { if: [{ "==": [bu, "hotel"] }, 2, { "==": [bu, "park"] }, 1.5, { "==": [bu, "mall"] }, 1, 0.5] }] }] },
      ],
    },
  },
  {
    id: "tier-multiplier",
    description: "Tier bonus on the amount: diamond +50%, gold +25%, silver +10%",
    rule: {
      floor: [{ "*": [amount, { if: [{ ">=": [rank, 3] }, 0.5, { ">=": [rank, 2] }, 0.25, { ">=": [rank, 1] }, 0.1, 0] }] }],
    },
  },
  {
    id: "hotel-stay-double",
    description: "Hotel room nights earn double: the base hotel points again",
    rule: { if: [{ and: [{ "==": [bu, "hotel"] }, { "==": [{ var: "txn.category" }, "room"] }] }, { floor: [{ "*": [amount, 2] }] }, 0] },
  },
  {
    id: "birthday-month-double",
    description: "Purchases in the member's birthday month earn 1 extra point per yuan",
    rule: { if: [{ is_birthday_month: [{ var: "member.birthday" }, at] }, { floor: [amount] }, 0] },
  },
  {
    id: "channel-bonus",
    description: "Orders placed in the app or mini program earn a flat 50",
    rule: { if: [{ in: [{ var: "txn.channel" }, ["app", "mini_program"]] }, 50, 0] },
  },
  {
    id: "big-basket",
    description: "Orders of 500 yuan or more earn a flat 200",
    rule: { if: [{ ">=": [amount, 500] }, 200, 0] },
  },
  {
    id: "bill-cashback-capped",
    description: "Office rent and property fees earn 20% of the amount, capped at 300",
    rule: { if: [{ in: [bu, ["office", "property"]] }, { min: [{ floor: [{ "*": [amount, 0.2] }] }, 300] }, 0] },
  },
  {
    id: "march-mall-campaign",
    description: "Mall purchases from 2025-03-01 to 2025-03-31 earn double",
    rule: {
      if: [{ and: [{ "==": [bu, "mall"] }, { "<=": [0, { days_between: ["2025-03-01", at] }, 30] }] }, { floor: [amount] }, 0],
    },
  },
  {
    id: "vip-tag-bonus",
    description: "Members tagged vip earn 5% of the amount, rounded; staff earn no bonus",
    rule: {
      if: [
        { has_tag: [{ var: "member.tags" }, "staff"] }, 0,
        { has_tag: [{ var: "member.tags" }, "vip"] }, { round: [{ "*": [amount, 0.05] }] },
        0,
      ],
    },
  },
  {
    id: "new-member-first-purchase",
    description: "A member's first purchase within 30 days of joining earns 300",
    rule: {
      if: [{ and: [{ "==": [{ var: "member.order_count" }, 0] }, { "<=": [{ days_between: [{ var: "member.joined_at" }, at] }, 30] }] }, 300, 0],
    },
  },
];

const BUS: EarnEvent["txn"]["bu"][] = ["mall", "hotel", "office", "property", "park"];
const CHANNELS: EarnEvent["txn"]["channel"][] = ["pos", "app", "mini_program", "web", "kiosk"];
const CATEGORIES = ["room", "dining", "retail", "ticket", "rent", "fee", "spa"];
const TIERS = ["standard", "standard", "silver", "gold", "diamond", "legacy"];
const TAG_SETS = [[], [], ["vip"], ["staff"], ["vip", "family"], ["student"]];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `count` varied events from a fixed seed (same events on every run). */
export function generateEvents(count: number, seed = 42): EarnEvent[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const events: EarnEvent[] = [];
  for (let i = 0; i < count; i++) {
    const month = 1 + Math.floor(random() * 6);
    const day = 1 + Math.floor(random() * 28);
    const hour = Math.floor(random() * 24);
    const joinedMonth = 1 + Math.floor(random() * month);
    events.push({
      txn: {
        bu: pick(BUS),
        amount: Math.round(random() * random() * 200_000) / 100,
        channel: pick(CHANNELS),
        category: pick(CATEGORIES),
        at: `2025-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(Math.floor(random() * 60))}:00+08:00`,
      },
      member: {
        tier: pick(TIERS),
        birthday: random() < 0.15 ? null : `${1950 + Math.floor(random() * 55)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
        tags: pick(TAG_SETS),
        joined_at: `2025-${pad(joinedMonth)}-${pad(1 + Math.floor(random() * 28))}`,
        order_count: random() < 0.2 ? 0 : Math.floor(random() * 40),
      },
    });
  }
  return events;
}
