/**
 * The data member-context rules (tier, tagging, reminder) receive for one member, from public.rule_member_context's
 * answer (the rules test bench's "pick a real member"): only the parts and member fields the kind's context has,
 * times normalised to ISO UTC.
 */
import { ruleKind } from "../rule-kinds/index.ts";
import { isoInstant } from "../time/iso-instant.ts";

/** public.rule_member_context's answer. */
export interface MemberContextRow {
  member: Record<string, unknown> & { joined_at?: string | null };
  stats: Record<string, unknown> & { last_transaction_at?: string | null };
  now: string;
}

const iso = (value: unknown) => (typeof value === "string" && value ? isoInstant(Date.parse(value)) : null);

/** The parts of a kind's data a member gives ({member, stats?, now?}), shaped as the kind's context declares them. */
export function memberContextData(kind: string, row: MemberContextRow): Record<string, unknown> {
  const paths = ruleKind(kind).context.map((f) => f.path);
  const has = (prefix: string) => paths.some((p) => p === prefix || p.startsWith(`${prefix}.`));
  const out: Record<string, unknown> = {};
  if (has("member")) {
    const member: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row.member)) {
      if (!paths.includes(`member.${key}`)) continue;
      member[key] = key === "joined_at" ? iso(value) : key === "tags" ? (value ?? []) : key === "growth_value" ? Number(value ?? 0) : value;
    }
    out.member = member;
  }
  if (has("stats")) {
    const stats: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row.stats)) {
      if (!paths.includes(`stats.${key}`)) continue;
      stats[key] = key === "last_transaction_at" ? iso(value) : key === "units_365d" ? (value ?? []) : value;
    }
    out.stats = stats;
  }
  if (paths.includes("now")) out.now = iso(row.now);
  return out;
}
