import { CHANNEL_PATTERN } from "../../enums/patterns.ts";
import type { RuleBook } from "../../evaluation/rule-book.ts";
import { listResults } from "../../evaluation/list-results.ts";
import { describeValue } from "../../evaluation/run-rule.ts";
import type { ResultError, RuleProblem } from "../../evaluation/types.ts";
import type { RuleKindModule } from "../module.ts";
import { ruleKindLabel } from "../label.ts";
import { contextField, NOW_FIELD } from "../shared-context.ts";

/** The data a reminder rule receives. */
export interface ReminderData {
  lot: { id: number; kind: string; points: number; earned_at: string; expires_at: string; business_unit: { code: string; kind: string } };
  member: { tier: string; tags: string[]; birthday: string | null };
  days_left: number;
  now: string;
}

/** A reminder: days before expiry and the channel to use. */
export interface ReminderOffset {
  days: number;
  channel: string;
}

const CHANNEL = new RegExp(CHANNEL_PATTERN);
export const MAX_REMINDER_DAYS = 30;
/** The channel of a reminder offset that names none. */
export const DEFAULT_REMINDER_CHANNEL = "sms";

/** Reminder result: a list of day offsets (0-30) or {days, channel} objects; a single number is one offset. */
export function toReminders(value: unknown, defaultChannel = DEFAULT_REMINDER_CHANNEL): ReminderOffset[] | ResultError {
  if (value === null || value === undefined || value === false) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.length > MAX_REMINDER_DAYS + 1) return { error: `a reminder rule may return at most ${MAX_REMINDER_DAYS + 1} offsets, got ${items.length}` };
  const out: ReminderOffset[] = [];
  for (const item of items) {
    let days: unknown = item;
    let channel: unknown = defaultChannel;
    if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      days = Object.prototype.hasOwnProperty.call(item, "days") ? (item as Record<string, unknown>).days : undefined;
      if (Object.prototype.hasOwnProperty.call(item, "channel")) channel = (item as Record<string, unknown>).channel;
    }
    if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > MAX_REMINDER_DAYS) {
      return { error: `reminder offsets must be whole days from 0 to ${MAX_REMINDER_DAYS}, got ${describeValue(days)}` };
    }
    if (typeof channel !== "string" || !CHANNEL.test(channel)) return { error: `not a channel name: ${describeValue(channel)}` };
    out.push({ days, channel });
  }
  return out;
}

/** The reminder offsets of one lot (group-wide rules in force now), merged and sorted by days. */
export function evaluateReminders(book: RuleBook, data: ReminderData, nowMs: number): { offsets: ReminderOffset[]; errors: RuleProblem[] } {
  const { lists, errors } = listResults(book, "reminder", data, nowMs, (value) => toReminders(value));
  const offsets = new Map<number, ReminderOffset>();
  for (const o of lists.flat()) if (!offsets.has(o.days)) offsets.set(o.days, o);
  return { offsets: [...offsets.values()].sort((a, b) => a.days - b.days), errors };
}

export const reminderKind = {
  kind: "reminder",
  position: 30,
  label: ruleKindLabel("reminder"),
  combinations: ["first", "union"],
  unitScoped: false,
  usesLotKind: false,
  job: "send_reminders",
  context: [
    contextField("lot.id", "integer"),
    contextField("lot.kind", "string", "lotKinds"),
    contextField("lot.points", "integer"),
    contextField("lot.earned_at", "date-time"),
    contextField("lot.expires_at", "date-time"),
    contextField("lot.business_unit.code", "string", "businessUnits"),
    contextField("lot.business_unit.kind", "string", "unitKinds"),
    contextField("member.tier", "string", "tiers"),
    contextField("member.tags", "string[]"),
    contextField("member.birthday", "date"),
    contextField("days_left", "integer"),
    NOW_FIELD,
  ],
  sample: {
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
  outcomeBlocks: ["numbers"],
  startingLogic: [7, 3, 1],
  checkResult: (value: unknown) => {
    const list = toReminders(value);
    return Array.isArray(list) ? null : list.error;
  },
} as const satisfies RuleKindModule<"reminder">;
