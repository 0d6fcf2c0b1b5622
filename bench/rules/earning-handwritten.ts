/**
 * The earning set of earning-set.ts written by hand in plain TypeScript: the physical reference
 * an evaluator is measured against. Uses the same custom-operation implementations.
 */
import { customOperations, DEFAULT_CONTEXT } from "../../core/rules/index";
import type { EarnEvent } from "./earning-set";

const ctx = DEFAULT_CONTEXT;
const { tier_rank, is_birthday_month, days_between, has_tag, round } = customOperations;
const rankOf = (e: EarnEvent) => tier_rank.fn(ctx, e.member.tier) as number;

/** One function per rule, in the order of `earningRules`. */
export const handWrittenEarning: ((e: EarnEvent) => number)[] = [
  (e) => {
    const { amount, bu } = e.txn;
    if (amount < 10) return 0;
    return Math.floor(amount * (bu === "hotel" ? 2 : bu === "park" ? 1.5 : bu === "mall" ? 1 : 0.5));
  },
  (e) => {
    const r = rankOf(e);
    return Math.floor(e.txn.amount * (r >= 3 ? 0.5 : r >= 2 ? 0.25 : r >= 1 ? 0.1 : 0));
  },
  (e) => (e.txn.bu === "hotel" && e.txn.category === "room" ? Math.floor(e.txn.amount * 2) : 0),
  (e) => (is_birthday_month.fn(ctx, e.member.birthday, e.txn.at) ? Math.floor(e.txn.amount) : 0),
  (e) => (e.txn.channel === "app" || e.txn.channel === "mini_program" ? 50 : 0),
  (e) => (e.txn.amount >= 500 ? 200 : 0),
  (e) => (e.txn.bu === "office" || e.txn.bu === "property" ? Math.min(Math.floor(e.txn.amount * 0.2), 300) : 0),
  (e) => {
    if (e.txn.bu !== "mall") return 0;
    const d = days_between.fn(ctx, "2025-03-01", e.txn.at) as number;
    return d >= 0 && d <= 30 ? Math.floor(e.txn.amount) : 0;
  },
  (e) => {
    if (has_tag.fn(ctx, e.member.tags, "staff")) return 0;
    return has_tag.fn(ctx, e.member.tags, "vip") ? (round.fn(ctx, e.txn.amount * 0.05) as number) : 0;
  },
  (e) => (e.member.order_count === 0 && (days_between.fn(ctx, e.member.joined_at, e.txn.at) as number) <= 30 ? 300 : 0),
];
