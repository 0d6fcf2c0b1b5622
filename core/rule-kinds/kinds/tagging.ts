import type { RuleBook } from "../../evaluation/rule-book.ts";
import { listResults } from "../../evaluation/list-results.ts";
import { describeValue } from "../../evaluation/run-rule.ts";
import type { ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { contextField, MEMBER_FIELDS, NOW_FIELD, SAMPLE_MEMBER } from "../shared-context.ts";

/** The data a tagging rule receives. */
export interface TaggingData {
  member: { tier: string; tags: string[]; birthday: string | null; growth_value: number; joined_at: string; home_business_unit: string | null };
  stats: {
    transactions_90d: number;
    amount_90d: number;
    transactions_365d: number;
    amount_365d: number;
    hotel_transactions_365d: number;
    units_365d: string[];
    last_transaction_at: string | null;
    balance: number;
  };
  now: string;
}

/** Longest tag (members.tags items); the same as the member schema's tag maxLength. */
export const MAX_TAG_LENGTH = 20;
/** Most tags one tagging rule may give. */
export const MAX_TAGS_PER_RULE = 20;

/** Tagging result: a tag or a list of tags (1-20 characters each, at most 20). */
export function toTags(value: unknown): string[] | ResultError {
  if (value === null || value === undefined || value === false) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_TAGS_PER_RULE) return { error: `a tagging rule may return at most ${MAX_TAGS_PER_RULE} tags, got ${items.length}` };
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== "string" || item.trim() === "" || item.trim().length > MAX_TAG_LENGTH) {
      return { error: `tags must be strings of 1 to ${MAX_TAG_LENGTH} characters, got ${describeValue(item)}` };
    }
    out.push(item.trim());
  }
  return out;
}

/** A member's automatic tags from the group-wide tagging rules in force now. */
export function evaluateTags(book: RuleBook, data: TaggingData, nowMs: number): { tags: string[]; errors: RuleProblem[] } {
  const { lists, errors } = listResults(book, "tagging", data, nowMs, toTags);
  const tags: string[] = [];
  for (const t of lists.flat()) if (!tags.includes(t)) tags.push(t);
  return { tags, errors };
}

export const taggingKind = {
  kind: "tagging",
  position: 40,
  label: ruleKindLabel("tagging"),
  combinations: ["first", "union"],
  unitScoped: false,
  usesLotKind: false,
  job: "auto_tag",
  context: [
    ...MEMBER_FIELDS.filter((f) => f.path !== "member.status"),
    contextField("stats.transactions_90d", "integer"),
    contextField("stats.amount_90d", "number"),
    contextField("stats.transactions_365d", "integer"),
    contextField("stats.amount_365d", "number"),
    contextField("stats.hotel_transactions_365d", "integer"),
    contextField("stats.units_365d", "string[]"),
    contextField("stats.last_transaction_at", "date-time"),
    contextField("stats.balance", "integer"),
    NOW_FIELD,
  ],
  sample: {
    member: SAMPLE_MEMBER,
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
  outcomeBlocks: ["text", "texts", "none"],
  startingLogic: [],
  checkResult: (value: unknown) => {
    const list = toTags(value);
    return Array.isArray(list) ? null : list.error;
  },
} as const satisfies RuleKindModule<"tagging">;
