/**
 * The data the earning rules receive (workflows/README.md) from a transaction's context row, as
 * private.earn_contexts (the engine) and public.rule_sample_context (the rules test bench) return it.
 */
import type { EarningData } from "../rule-kinds/kinds/earning.ts";
import { isoInstant } from "../time/iso-instant.ts";

/** A transaction as private.earn_contexts returns it (rule_sample_context: transaction and member only). */
export interface ContextItem {
  transaction_id: string;
  member_id: string;
  business_unit_id: string;
  evaluated: boolean;
  transaction: {
    amount: number;
    channel: string;
    occurred_at: string;
    order_no: string;
    items: unknown[];
    business_unit: { code: string; kind: string };
  };
  member: {
    tier: string;
    tags: string[] | null;
    birthday: string | null;
    growth_value: number;
    joined_at: string;
    status: string;
    home_business_unit: string | null;
  };
}

const iso = (value: string) => isoInstant(Date.parse(value));

/** The earning rules' data (workflows/README.md) from a context row; times normalised to ISO UTC. */
export function earningData(item: Pick<ContextItem, "transaction" | "member">): { data: EarningData; occurredMs: number } {
  const occurredMs = Date.parse(item.transaction.occurred_at);
  const t = item.transaction;
  const m = item.member;
  return {
    occurredMs,
    data: {
      transaction: {
        amount: Number(t.amount),
        channel: t.channel,
        occurred_at: isoInstant(occurredMs),
        order_no: t.order_no,
        items: t.items ?? [],
        business_unit: { code: t.business_unit.code, kind: t.business_unit.kind },
      },
      member: {
        tier: m.tier,
        tags: m.tags ?? [],
        birthday: m.birthday,
        growth_value: m.growth_value,
        joined_at: iso(m.joined_at),
        status: m.status,
        home_business_unit: m.home_business_unit,
      },
    },
  };
}
