/**
 * Rule sets and their evaluation, per kind, as pure functions: which rule versions are in force at a
 * moment, how their results combine (first / sum / max / union), and what each kind's result must look
 * like. Isomorphic (no Node APIs): the engine uses it for real, what-if and a browser preview can use it
 * too. The data contract of every kind is documented in workflows/README.md.
 */
import { compileRule, DEFAULT_CONTEXT, type CompiledRule, type OperationContext } from "../core/rules/index";
import { civilFromDay, dayFromCivil } from "../core/rules/dates";

export type RuleKind = "earning" | "expiry" | "tier" | "tagging" | "reminder";
export type Combination = "first" | "sum" | "max" | "union";
export const RULE_KINDS: readonly RuleKind[] = ["earning", "expiry", "tier", "tagging", "reminder"];

/** A row of public.rules as the engine reads it (timestamps as ISO strings or Dates). */
export interface RuleRecord {
  id: string;
  key: string;
  version: number;
  kind: RuleKind;
  business_unit_id: string | null;
  priority: number;
  logic: unknown;
  lot_kind: string | null;
  active_from: string | Date | null;
  active_to: string | Date | null;
  published_at: string | Date | null;
  superseded_at: string | Date | null;
  status?: string;
  updated_at?: string | Date | null;
  /** Set when the logic was too large to be read at all. */
  load_error?: string;
}

export interface RuleSetRecord {
  kind: RuleKind;
  business_unit_id: string | null;
  combination: Combination;
}

/** A rule version ready to run (or not: `run` is null and `loadError` says why). */
export interface LoadedRule {
  id: string;
  key: string;
  version: number;
  kind: RuleKind;
  businessUnitId: string | null;
  priority: number;
  lotKind: string;
  activeFrom: number;
  activeTo: number;
  publishedAt: number;
  supersededAt: number;
  run: CompiledRule | null;
  loadError?: string;
}

/** A problem of one rule, as the engine records it in public.rule_errors. */
export interface RuleProblem {
  rule_id: string;
  rule_key: string;
  rule_version: number;
  stage: "load" | "evaluate" | "result";
  message: string;
}

/** A rule that contributed to a result. */
export interface AppliedRule {
  rule_id: string;
  key: string;
  version: number;
  kind: RuleKind;
  points?: number;
  lot_kind?: string;
  expires_at?: string;
}

const DAY_MS = 86_400_000;

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/**
 * `new Date(ms).toISOString()` for years 0000-9999, several times faster (it runs for every transaction a
 * what-if simulates).
 */
export function isoInstant(instant: number): string {
  const ms = Math.floor(instant);
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const [y, mo, d] = civilFromDay(day);
  if (y < 0 || y > 9999 || !Number.isFinite(ms)) return new Date(ms).toISOString();
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${y < 1000 ? String(y).padStart(4, "0") : y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

const ms = (value: string | Date | null | undefined, missing: number) =>
  value === null || value === undefined ? missing : value instanceof Date ? value.getTime() : Date.parse(value);

// ── Compilation, once per rule version ─────────────────────────────────────────────────────
interface CompiledEntry {
  run: CompiledRule | null;
  error?: string;
}
const MAX_COMPILED = 5000;
const compiled = new Map<string, CompiledEntry>();

/**
 * Compiles a rule once per (id, version): a published version never changes. Drafts (what-if) are
 * keyed by their updated_at as well, since a draft is edited in place.
 */
function compileOnce(record: RuleRecord): CompiledEntry {
  const draft = record.published_at === null || record.published_at === undefined;
  const key = draft ? `${record.id}@${record.version}@${ms(record.updated_at, 0)}` : `${record.id}@${record.version}`;
  let entry = compiled.get(key);
  if (!entry) {
    if (record.load_error) entry = { run: null, error: record.load_error };
    else {
      try {
        entry = { run: compileRule(record.logic) };
      } catch (error) {
        entry = { run: null, error: (error as Error).message };
      }
    }
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, entry);
  }
  return entry;
}

/** Forgets compiled rules (tests). */
export function clearCompiledRules(): void {
  compiled.clear();
}

// ── Rule book: every version of every rule, by kind and scope ───────────────────────────────
export interface RuleBookOptions {
  tierLadder?: readonly string[];
  timeZone?: string;
}

const scopeKey = (kind: RuleKind, unit: string | null) => `${kind}|${unit ?? ""}`;

/** Evaluation order inside a set: higher priority first, then key, then newer version. */
function byPriority(a: LoadedRule, b: LoadedRule): number {
  return b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || b.version - a.version;
}

export class RuleBook {
  readonly context: OperationContext;
  /** Rules that cannot run (invalid logic): skipped everywhere, reported once. */
  readonly loadErrors: RuleProblem[] = [];
  private readonly sets = new Map<string, Combination>();
  private readonly rules = new Map<string, LoadedRule[]>();

  constructor(records: readonly RuleRecord[], sets: readonly RuleSetRecord[], options: RuleBookOptions = {}) {
    this.context = {
      timeZone: options.timeZone ?? DEFAULT_CONTEXT.timeZone,
      tierLadder: options.tierLadder?.length ? [...options.tierLadder] : DEFAULT_CONTEXT.tierLadder,
    };
    for (const s of sets) this.sets.set(scopeKey(s.kind, s.business_unit_id), s.combination);
    for (const r of records) {
      const entry = compileOnce(r);
      const rule: LoadedRule = {
        id: r.id,
        key: r.key,
        version: r.version,
        kind: r.kind,
        businessUnitId: r.business_unit_id,
        priority: r.priority,
        lotKind: r.lot_kind ?? "shopping",
        activeFrom: ms(r.active_from, -Infinity),
        activeTo: ms(r.active_to, Infinity),
        publishedAt: ms(r.published_at, Infinity),
        supersededAt: ms(r.superseded_at, Infinity),
        run: entry.run,
        loadError: entry.error,
      };
      if (entry.error) {
        this.loadErrors.push({ rule_id: r.id, rule_key: r.key, rule_version: r.version, stage: "load", message: entry.error.slice(0, 2000) });
      }
      const k = scopeKey(r.kind, r.business_unit_id);
      const list = this.rules.get(k);
      if (list) list.push(rule);
      else this.rules.set(k, [rule]);
    }
    for (const list of this.rules.values()) list.sort(byPriority);
  }

  private readonly scopes = new Map<RuleKind, Map<string | null, Scope | null>>();

  /** The rule set a unit uses for a kind: its own when it has one, else the group's. */
  scope(kind: RuleKind, businessUnitId: string | null): Scope | null {
    let byUnit = this.scopes.get(kind);
    if (!byUnit) this.scopes.set(kind, (byUnit = new Map()));
    let found = byUnit.get(businessUnitId);
    if (found === undefined) {
      found = null;
      const own = businessUnitId === null ? undefined : this.sets.get(scopeKey(kind, businessUnitId));
      const key = own ? scopeKey(kind, businessUnitId) : scopeKey(kind, null);
      const combination = own ?? this.sets.get(scopeKey(kind, null));
      if (combination) {
        const rules = this.rules.get(key) ?? [];
        const runnable = rules.filter((r) => r.run);
        found = {
          combination, rules, runnable,
          timeless: runnable.every((r) => r.activeFrom === -Infinity && r.activeTo === Infinity),
          all: { combination, rules: runnable },
        };
      }
      byUnit.set(businessUnitId, found);
    }
    return found;
  }

  /**
   * The runnable rules of a kind in force at `at` (ms): published at or before it, not yet superseded,
   * inside their active window. With `ignorePublication` (what-if: a scenario applied to the past) only
   * the active window counts.
   */
  inForce(kind: RuleKind, businessUnitId: string | null, at: number, ignorePublication = false): { combination: Combination; rules: readonly LoadedRule[] } {
    const scope = this.scope(kind, businessUnitId);
    if (!scope) return NO_RULES;
    if (ignorePublication && scope.timeless) return scope.all;
    const rules: LoadedRule[] = [];
    for (const r of scope.runnable) {
      if (!ignorePublication && !(r.publishedAt <= at && at < r.supersededAt)) continue;
      if (at < r.activeFrom || at >= r.activeTo) continue;
      rules.push(r);
    }
    return { combination: scope.combination, rules };
  }
}

interface Scope {
  combination: Combination;
  /** Every version of the scope's rules, in evaluation order. */
  rules: readonly LoadedRule[];
  /** Those that compiled. */
  runnable: readonly LoadedRule[];
  /** No runnable rule has an active window. */
  timeless: boolean;
  /** { combination, rules: runnable }, allocated once. */
  all: { combination: Combination; rules: readonly LoadedRule[] };
}

const NO_RULES: { combination: Combination; rules: readonly LoadedRule[] } = Object.freeze({ combination: "first", rules: Object.freeze([]) as readonly LoadedRule[] });

// ── Result checks per kind ──────────────────────────────────────────────────────────────────
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** Largest points one rule may give for one event, and one lot may hold. */
export const MAX_RULE_POINTS = 1_000_000_000;
const MAX_LOT_POINTS = 2_000_000_000;

/** Earning result: a number of points (floored); null/false/0 mean "does not apply". */
export function toPoints(value: unknown): number | { error: string } {
  if (value === null || value === undefined || value === false) return 0;
  if (typeof value !== "number" || !Number.isFinite(value)) return { error: `an earning rule must return a number of points, got ${describe(value)}` };
  if (value < 0) return { error: `an earning rule must not return negative points (${value})` };
  if (value > MAX_RULE_POINTS) return { error: `${value} points exceed the limit of ${MAX_RULE_POINTS} per rule and event` };
  return Math.floor(value);
}

/** Offset of a zone from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === "UTC") return 0;
  if (timeZone === "Asia/Shanghai" && utcMs >= Date.UTC(1992, 0, 1)) return 8 * 3_600_000;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(utcMs);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a calendar day (day number) starts in a zone. */
export function zoneMidnight(dayNumber: number, timeZone: string): number {
  const guess = dayNumber * DAY_MS;
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Expiry result → the instant the lot expires: a number of days of validity counted from the earn
 * time; an ISO date "YYYY-MM-DD" (valid through that date, so it expires when the next day starts in
 * the program's time zone); an ISO date-time with offset (that instant). null/false: no opinion.
 */
export function toExpiry(value: unknown, earnedMs: number, timeZone: string): number | null | { error: string } {
  if (value === null || value === undefined || value === false) return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 1 || value > 36_600) {
      return { error: `an expiry rule returning days must return 1 to 36600, got ${describe(value)}` };
    }
    return earnedMs + Math.floor(value) * DAY_MS;
  }
  if (typeof value === "string") {
    const m = ISO_DATE.exec(value);
    if (m) {
      const day = dayFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
      if (Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) return { error: `not a valid date: ${value}` };
      return zoneMidnight(day + 1, timeZone);
    }
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value)) {
      const t = Date.parse(value);
      if (Number.isFinite(t)) return t;
    }
  }
  return { error: `an expiry rule must return days (number), an ISO date or an ISO date-time with offset, got ${describe(value)}` };
}

/** A reminder: days before expiry and the channel to use. */
export interface ReminderOffset {
  days: number;
  channel: string;
}

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;
export const MAX_REMINDER_DAYS = 30;

/** Reminder result: a list of day offsets (0-30) or {days, channel} objects; a single number is one offset. */
export function toReminders(value: unknown, defaultChannel = "sms"): ReminderOffset[] | { error: string } {
  if (value === null || value === undefined || value === false) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.length > 31) return { error: `a reminder rule may return at most 31 offsets, got ${items.length}` };
  const out: ReminderOffset[] = [];
  for (const item of items) {
    let days: unknown = item;
    let channel: unknown = defaultChannel;
    if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      days = Object.prototype.hasOwnProperty.call(item, "days") ? (item as Record<string, unknown>).days : undefined;
      if (Object.prototype.hasOwnProperty.call(item, "channel")) channel = (item as Record<string, unknown>).channel;
    }
    if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > MAX_REMINDER_DAYS) {
      return { error: `reminder offsets must be whole days from 0 to ${MAX_REMINDER_DAYS}, got ${describe(days)}` };
    }
    if (typeof channel !== "string" || !CHANNEL.test(channel)) return { error: `not a channel name: ${describe(channel)}` };
    out.push({ days, channel });
  }
  return out;
}

export const MAX_TAG_LENGTH = 20;

/** Tagging result: a tag or a list of tags (1-20 characters each, at most 20). */
export function toTags(value: unknown): string[] | { error: string } {
  if (value === null || value === undefined || value === false) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.length > 20) return { error: `a tagging rule may return at most 20 tags, got ${items.length}` };
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== "string" || item.trim() === "" || item.trim().length > MAX_TAG_LENGTH) {
      return { error: `tags must be strings of 1 to ${MAX_TAG_LENGTH} characters, got ${describe(item)}` };
    }
    out.push(item.trim());
  }
  return out;
}

// ── Running one rule ────────────────────────────────────────────────────────────────────────
function problem(rule: LoadedRule, stage: RuleProblem["stage"], message: string): RuleProblem {
  return { rule_id: rule.id, rule_key: rule.key, rule_version: rule.version, stage, message: message.slice(0, 2000) };
}

function runRule(rule: LoadedRule, data: unknown, context: OperationContext, errors: RuleProblem[]): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: rule.run!(data, context) };
  } catch (error) {
    errors.push(problem(rule, "evaluate", (error as Error)?.message ?? String(error)));
    return { ok: false };
  }
}

// ── Earning ─────────────────────────────────────────────────────────────────────────────────
/** The data an earning rule receives (see workflows/README.md). */
export interface EarningData {
  transaction: {
    amount: number;
    channel: string;
    occurred_at: string;
    order_no?: string;
    items?: readonly unknown[];
    business_unit: { code: string; kind: string };
  };
  member: {
    tier: string;
    tags: string[];
    birthday: string | null;
    growth_value: number;
    joined_at: string;
    status?: string;
    home_business_unit?: string | null;
  };
}

export interface EvaluatedLot {
  kind: string;
  points: number;
  /** Expiry instant (ms); null: the ledger's default validity for the kind (private.default_expiry). */
  expires_ms: number | null;
}

export interface EarningOutcome {
  points: number;
  /** Lots to post, the main (largest) one first. */
  lots: EvaluatedLot[];
  applied: AppliedRule[];
  errors: RuleProblem[];
}

interface Contribution {
  rule: LoadedRule;
  points: number;
}

function combinePoints(combination: Combination, contributions: Contribution[]): Contribution[] {
  const positive = contributions.filter((c) => c.points > 0);
  if (positive.length === 0) return [];
  if (combination === "first") return [positive[0]];
  if (combination === "max") return [positive.reduce((best, c) => (c.points > best.points ? c : best))];
  return positive;
}

/**
 * Evaluates the earning rules in force at the transaction's time for its business unit, combines them
 * per the rule set's policy, groups the points into lots by the rules' lot kinds, and gives each lot its
 * expiry from the expiry rules in force (null when no expiry rule has an opinion).
 */
export function evaluateEarning(
  book: RuleBook,
  data: EarningData,
  businessUnitId: string | null,
  occurredMs: number,
  options: { ignorePublication?: boolean; trace?: boolean } = {},
): EarningOutcome {
  const errors: RuleProblem[] = [];
  const applied: AppliedRule[] = [];
  const trace = options.trace !== false;
  const { combination, rules } = book.inForce("earning", businessUnitId, occurredMs, options.ignorePublication);
  const contributions: Contribution[] = [];
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const points = toPoints(result.value);
    if (typeof points !== "number") {
      errors.push(problem(rule, "result", points.error));
      continue;
    }
    contributions.push({ rule, points });
    if (combination === "first" && points > 0) break;
  }
  const lots: EvaluatedLot[] = [];
  for (const c of combinePoints(combination, contributions)) {
    const lot = lots.find((l) => l.kind === c.rule.lotKind);
    if (lot) lot.points += c.points;
    else lots.push({ kind: c.rule.lotKind, points: c.points, expires_ms: null });
    if (trace) applied.push({ rule_id: c.rule.id, key: c.rule.key, version: c.rule.version, kind: "earning", points: c.points, lot_kind: c.rule.lotKind });
  }
  let total = 0;
  for (const lot of lots) {
    lot.points = Math.min(lot.points, MAX_LOT_POINTS);
    total += lot.points;
  }
  if (lots.length > 1) lots.sort((a, b) => b.points - a.points || (a.kind === "shopping" ? -1 : b.kind === "shopping" ? 1 : a.kind < b.kind ? -1 : 1));
  if (lots.length) {
    const expiry = book.inForce("expiry", businessUnitId, occurredMs, options.ignorePublication);
    if (expiry.rules.length) {
      for (const lot of lots) {
        lot.expires_ms = evaluateExpiry(expiry.combination, expiry.rules, book.context, {
          lot: { kind: lot.kind, points: lot.points, earned_at: data.transaction.occurred_at },
          transaction: data.transaction,
          member: data.member,
        }, occurredMs, errors, trace ? applied : null);
      }
    }
  }
  return { points: total, lots, applied, errors };
}

/** The data an expiry rule receives. */
export interface ExpiryData {
  lot: { kind: string; points: number; earned_at: string };
  transaction?: EarningData["transaction"];
  member: Partial<EarningData["member"]> & { tier: string };
}

function evaluateExpiry(
  combination: Combination,
  rules: readonly LoadedRule[],
  context: OperationContext,
  data: ExpiryData,
  earnedMs: number,
  errors: RuleProblem[],
  applied: AppliedRule[] | null,
): number | null {
  const found: { rule: LoadedRule; at: number }[] = [];
  for (const rule of rules) {
    const result = runRule(rule, data, context, errors);
    if (!result.ok) continue;
    const at = toExpiry(result.value, earnedMs, context.timeZone);
    if (at === null) continue;
    if (typeof at !== "number") {
      errors.push(problem(rule, "result", at.error));
      continue;
    }
    if (at <= earnedMs) {
      errors.push(problem(rule, "result", `expiry ${isoInstant(at)} is not after the earn time`));
      continue;
    }
    found.push({ rule, at });
    if (combination === "first") break;
  }
  if (found.length === 0) return null;
  let chosen: { rule: LoadedRule; at: number }[];
  let at: number;
  if (combination === "max") {
    const best = found.reduce((b, f) => (f.at > b.at ? f : b));
    chosen = [best];
    at = best.at;
  } else if (combination === "sum") {
    chosen = found;
    at = earnedMs + found.reduce((sum, f) => sum + (f.at - earnedMs), 0);
  } else {
    chosen = [found[0]];
    at = found[0].at;
  }
  if (applied) {
    for (const f of chosen) {
      applied.push({ rule_id: f.rule.id, key: f.rule.key, version: f.rule.version, kind: "expiry", lot_kind: data.lot.kind, expires_at: isoInstant(f.at) });
    }
  }
  return at;
}

/** Default validity of a lot kind when no expiry rule says otherwise (mirrors private.default_expiry). */
export function defaultExpiry(kind: string, earnedMs: number): number {
  return earnedMs + (kind === "campaign" || kind === "birthday" ? 90 : 365) * DAY_MS;
}

// ── Reminders and tags ─────────────────────────────────────────────────────────────────────
/** The data a reminder rule receives. */
export interface ReminderData {
  lot: { id: number; kind: string; points: number; earned_at: string; expires_at: string; business_unit: { code: string; kind: string } };
  member: { tier: string; tags: string[]; birthday: string | null };
  days_left: number;
  now: string;
}

export function evaluateReminders(book: RuleBook, data: ReminderData, nowMs: number): { offsets: ReminderOffset[]; errors: RuleProblem[] } {
  const errors: RuleProblem[] = [];
  const { combination, rules } = book.inForce("reminder", null, nowMs);
  const offsets = new Map<number, ReminderOffset>();
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const list = toReminders(result.value);
    if (!Array.isArray(list)) {
      errors.push(problem(rule, "result", list.error));
      continue;
    }
    for (const o of list) if (!offsets.has(o.days)) offsets.set(o.days, o);
    if (combination === "first" && list.length) break;
  }
  return { offsets: [...offsets.values()].sort((a, b) => a.days - b.days), errors };
}

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

export function evaluateTags(book: RuleBook, data: TaggingData, nowMs: number): { tags: string[]; errors: RuleProblem[] } {
  const errors: RuleProblem[] = [];
  const { combination, rules } = book.inForce("tagging", null, nowMs);
  const tags: string[] = [];
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const list = toTags(result.value);
    if (!Array.isArray(list)) {
      errors.push(problem(rule, "result", list.error));
      continue;
    }
    for (const t of list) if (!tags.includes(t)) tags.push(t);
    if (combination === "first" && list.length) break;
  }
  return { tags, errors };
}
