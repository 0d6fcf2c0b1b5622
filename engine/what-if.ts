/**
 * What-if: the effect of draft rules over the last N days of real transactions, writing nothing. Two rule
 * books are applied to the same transactions and the same (current) member data: the baseline (the rules
 * published now) and the scenario (the same rules with each draft in place of its key's published version).
 * The report gives per business unit and tier the points of both, their difference, and the difference in
 * outstanding liability (points of lots not yet expired at the as-of time, gross of redemptions); the points
 * actually issued at the time are reported beside them for reference, not compared.
 *
 * `WhatIfSimulation` is the computation over a stream of rows (no Node APIs: it can run in a browser);
 * `simulatePartition` / `simulateWhatIf` read the rows from Postgres in batches through a server-side cursor
 * (only through the client they are given). The engine job behind public.what_if_runs, which splits the work
 * over worker threads, is in what-if-job.ts.
 */
import type pg from "pg";
import type { WhatIfCell, WhatIfReport, WhatIfResult, WhatIfTierChange } from "../core/what-if/report.ts";

export type { WhatIfCell, WhatIfReport, WhatIfResult, WhatIfTierChange };
import { RULE_KIND_MODULES } from "../core/rule-kinds/index.ts";
import {
  defaultExpiry, evaluateEarning, evaluateGrowth, evaluateTier, isoInstant, RuleBook, type EarningData, type EarningOutcome, type RuleProblem,
  type RuleRecord, type RuleSetRecord, type TierData,
} from "../core/evaluation/index.ts";

/** One transaction of the simulated period. */
export interface WhatIfRow {
  member_id: string;
  business_unit_id: string;
  amount: number;
  channel: string;
  occurred_ms: number;
  order_no?: string;
  items?: unknown[];
  /** Points the transaction actually earned when it was recorded (0 if not evaluated yet). */
  issued: number;
  /** Of those, points in lots that have not expired at the simulation's as-of time. */
  issued_live: number;
}

export interface WhatIfUnit {
  id: string;
  code: string;
  kind: string;
}

export type WhatIfMember = EarningData["member"];

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

const emptyCell = (business_unit: string, tier: string): WhatIfCell => ({
  business_unit, tier, transactions: 0, issued: 0, baseline: 0, simulated: 0, delta: 0,
  issued_outstanding: 0, baseline_outstanding: 0, simulated_outstanding: 0, liability_delta: 0,
  baseline_growth: 0, simulated_growth: 0, growth_delta: 0,
});

/** A simulated member whose tier may differ (see WhatIfTierChange): ranks on the ladder, -1 for none. */
export interface WhatIfMemberTier {
  id: string;
  growth_value: number;
  /** The period's growth with the drafts minus without them. */
  growth_delta: number;
  baseline_rule: number;
  simulated_rule: number;
}

/** The rule kinds an earning outcome depends on: those the earn job runs. */
const EARNING_KINDS = RULE_KIND_MODULES.filter((m) => m.job === "earn_transaction").map((m) => m.kind);

/** Whether two books evaluate a unit's earnings with the same rules and policies (then one evaluation serves both). */
function sameEarningScope(a: RuleBook, b: RuleBook, unitId: string): boolean {
  return EARNING_KINDS.every((kind) => {
    const x = a.scope(kind, unitId);
    const y = b.scope(kind, unitId);
    if (!x || !y) return x === y;
    return x.combination === y.combination && x.runnable.length === y.runnable.length && x.runnable.every((r, i) => r.id === y.runnable[i].id);
  });
}

/** Accumulates the simulation over rows given in any number of batches. */
export class WhatIfSimulation {
  private readonly cells = new Map<string, Map<string, WhatIfCell>>();
  private readonly errors = new Map<string, WhatIfReport["errors"][number]>();
  private readonly unknownMember: WhatIfMember = { tier: "unknown", tags: [], birthday: null, growth_value: 0, joined_at: "1970-01-01T00:00:00.000Z" };
  private count = 0;

  /** Per unit id: whether baseline and scenario agree there (see sameEarningScope). */
  private readonly unchanged = new Map<string, boolean>();
  /** Per member seen: growth difference and the tier rules' tier without and with the drafts. */
  private readonly memberTiers = new Map<string, WhatIfMemberTier>();

  constructor(
    private readonly book: RuleBook,
    private readonly baseline: RuleBook,
    private readonly units: ReadonlyMap<string, WhatIfUnit>,
    private readonly members: ReadonlyMap<string, WhatIfMember>,
    private readonly asOfMs: number,
    /** Keys of the drafts under test: only these end the run when a bound stops them. */
    private readonly draftKeys: ReadonlySet<string> = new Set(),
    /** Growth thresholds of the ladder's tiers, in rank order (tier changes; none: no tier changes reported). */
    private readonly thresholds: readonly number[] = [],
  ) {}

  /**
   * Counts rule problems (also those found outside the rows, e.g. published rules that do not compile). A draft
   * stopped by a bound of time, memory or work ends the run: it would cost that much on every transaction. A
   * published rule stopped by one fails alone, as in the engine, and is counted with the other problems.
   */
  addProblems(problems: readonly RuleProblem[]): void {
    for (const e of problems) {
      if (e.limit && this.draftKeys.has(e.rule_key)) {
        throw new Error(`rule ${e.rule_key} version ${e.rule_version} exceeds the evaluation limits (${e.limit}): ${e.message}`);
      }
      const key = `${e.rule_id}|${e.stage}|${e.message}`;
      const seen = this.errors.get(key);
      if (seen) seen.count++;
      else if (this.errors.size < 100) this.errors.set(key, { rule_key: e.rule_key, rule_version: e.rule_version, stage: e.stage, message: e.message, count: 1 });
    }
  }

  get processed(): number {
    return this.count;
  }

  add(rows: Iterable<WhatIfRow>): void {
    for (const row of rows) this.addRow(row);
  }

  // One data object reused for every row: evaluation is synchronous and rules cannot keep or change it.
  private readonly businessUnit = { code: "", kind: "" };
  private readonly transaction: EarningData["transaction"] = {
    amount: 0, channel: "", occurred_at: "", order_no: undefined, items: NO_ITEMS, business_unit: this.businessUnit,
  };
  private readonly data: EarningData = { transaction: this.transaction, member: this.unknownMember };

  /** Adds one row (the row object may be reused by the caller afterwards). */
  addRow(row: WhatIfRow): void {
    const unit = this.units.get(row.business_unit_id) ?? { id: row.business_unit_id, code: "unknown", kind: "other" };
    const member = this.members.get(row.member_id) ?? this.unknownMember;
    const t = this.transaction;
    t.amount = row.amount;
    t.channel = row.channel;
    t.occurred_at = isoInstant(row.occurred_ms);
    t.order_no = row.order_no;
    t.items = row.items ?? NO_ITEMS;
    this.businessUnit.code = unit.code;
    this.businessUnit.kind = unit.kind;
    this.data.member = member;
    const outcome = evaluateEarning(this.book, this.data, unit.id, row.occurred_ms, EVALUATE);
    if (outcome.errors.length) this.addProblems(outcome.errors);
    const live = this.outstanding(outcome, row.occurred_ms);
    let unchanged = this.unchanged.get(unit.id);
    if (unchanged === undefined) this.unchanged.set(unit.id, (unchanged = sameEarningScope(this.book, this.baseline, unit.id)));
    let basePoints = outcome.points;
    let baseLive = live;
    const growth = evaluateGrowth(this.book, this.data, unit.id, row.occurred_ms, EVALUATE);
    if (growth.errors.length) this.addProblems(growth.errors);
    let baseGrowth = growth.growth;
    if (!unchanged) {
      const base = evaluateEarning(this.baseline, this.data, unit.id, row.occurred_ms, EVALUATE);
      basePoints = base.points;
      baseLive = this.outstanding(base, row.occurred_ms);
      baseGrowth = evaluateGrowth(this.baseline, this.data, unit.id, row.occurred_ms, EVALUATE).growth;
    }
    this.trackMember(row.member_id, member, growth.growth - baseGrowth);
    let byTier = this.cells.get(unit.code);
    if (!byTier) this.cells.set(unit.code, (byTier = new Map()));
    let cell = byTier.get(member.tier);
    if (!cell) byTier.set(member.tier, (cell = emptyCell(unit.code, member.tier)));
    cell.transactions++;
    cell.issued += row.issued;
    cell.baseline += basePoints;
    cell.simulated += outcome.points;
    cell.issued_outstanding += row.issued_live;
    cell.baseline_outstanding += baseLive;
    cell.simulated_outstanding += live;
    cell.baseline_growth += baseGrowth;
    cell.simulated_growth += growth.growth;
    this.count++;
  }

  /** A member's growth difference; on first sight, the tier rules' tier of both books (at the as-of time). */
  private trackMember(id: string, member: WhatIfMember, growthDelta: number): void {
    let seen = this.memberTiers.get(id);
    if (!seen) {
      const data = { member: { status: "active", home_business_unit: null, ...member }, now: isoInstant(this.asOfMs) } as TierData;
      const ladder = this.book.context.tierLadder;
      const sim = evaluateTier(this.book, data, this.asOfMs);
      const base = evaluateTier(this.baseline, data, this.asOfMs);
      if (sim.errors.length) this.addProblems(sim.errors);
      seen = {
        id, growth_value: member.growth_value ?? 0, growth_delta: 0,
        baseline_rule: base.tier ? ladder.indexOf(base.tier) : -1, simulated_rule: sim.tier ? ladder.indexOf(sim.tier) : -1,
      };
      this.memberTiers.set(id, seen);
    }
    seen.growth_delta += growthDelta;
  }

  /** Points of an outcome's lots still valid at the as-of time. */
  private outstanding(outcome: EarningOutcome, earnedMs: number): number {
    let live = 0;
    for (const lot of outcome.lots) {
      const expires = lot.expires_ms ?? defaultExpiry(lot.kind, earnedMs);
      if (expires > this.asOfMs) live += lot.points;
    }
    return live;
  }

  /** The accumulated state, to be merged with other partitions' (plain data: can cross threads). */
  part(): WhatIfPart {
    return {
      cells: [...this.cells.values()].flatMap((m) => [...m.values()]),
      errors: [...this.errors.values()],
      count: this.count,
      tierLadder: [...this.book.context.tierLadder],
      thresholds: [...this.thresholds],
      members: [...this.memberTiers.values()].filter((m) => m.growth_delta !== 0 || m.baseline_rule !== m.simulated_rule),
    };
  }

  /** The report of several partitions' states. */
  static fromParts(asOfMs: number, parts: readonly WhatIfPart[]): WhatIfReport {
    const cells = new Map<string, WhatIfCell>();
    const errors = new Map<string, WhatIfReport["errors"][number]>();
    let count = 0;
    const memberTiers = new Map<string, WhatIfMemberTier>();
    for (const p of parts) {
      count += p.count;
      for (const m of p.members ?? []) {
        const into = memberTiers.get(m.id);
        if (into) into.growth_delta += m.growth_delta;
        else memberTiers.set(m.id, { ...m });
      }
      for (const c of p.cells) {
        const key = `${c.business_unit}\u0000${c.tier}`;
        const into = cells.get(key);
        if (!into) cells.set(key, { ...c });
        else for (const k of CELL_SUMS) into[k] += c[k];
      }
      for (const e of p.errors) {
        const key = `${e.rule_key}|${e.rule_version}|${e.stage}|${e.message}`;
        const into = errors.get(key);
        if (into) into.count += e.count;
        else errors.set(key, { ...e });
      }
    }
    const ladder = parts[0]?.tierLadder ?? [];
    const changes = tierChanges([...memberTiers.values()], ladder, parts[0]?.thresholds ?? []);
    return { ...report(asOfMs, [...cells.values()], [...errors.values()], count, ladder), tier_changes: changes };
  }

  result(): WhatIfReport {
    return WhatIfSimulation.fromParts(this.asOfMs, [this.part()]);
  }
}

const CELL_SUMS = [
  "transactions", "issued", "baseline", "simulated", "issued_outstanding", "baseline_outstanding", "simulated_outstanding",
  "baseline_growth", "simulated_growth",
] as const;

/** Per pair of tiers, the members whose next-review tier differs between baseline and scenario (WhatIfTierChange). */
export function tierChanges(members: readonly WhatIfMemberTier[], ladder: readonly string[], thresholds: readonly number[]): WhatIfTierChange[] {
  if (!thresholds.length || thresholds.length !== ladder.length) return [];
  const byGrowth = (growth: number) => {
    let rank = 0;
    for (let i = 0; i < thresholds.length; i++) if (thresholds[i] <= growth) rank = i;
    return rank;
  };
  const counts = new Map<string, WhatIfTierChange>();
  for (const m of members) {
    const from = Math.max(byGrowth(m.growth_value), m.baseline_rule);
    const to = Math.max(byGrowth(Math.max(0, m.growth_value + m.growth_delta)), m.simulated_rule);
    if (from === to) continue;
    const key = `${from}>${to}`;
    const into = counts.get(key);
    if (into) into.members++;
    else counts.set(key, { from: ladder[from], to: ladder[to], members: 1 });
  }
  const rank = (code: string) => ladder.indexOf(code);
  return [...counts.values()].sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));
}
/** Rules applied to the past: only their active windows count, not when they were published. */
const EVALUATE = { ignorePublication: true, trace: false } as const;

/** A partition's accumulated state. */
export interface WhatIfPart {
  cells: WhatIfCell[];
  errors: WhatIfReport["errors"];
  count: number;
  tierLadder: string[];
  thresholds?: number[];
  members?: WhatIfMemberTier[];
}

function report(asOfMs: number, cells: WhatIfCell[], errors: WhatIfReport["errors"], count: number, ladder: readonly string[]): Omit<WhatIfReport, "tier_changes"> {
  const totals = emptyCell("", "");
  for (const c of cells) {
    c.delta = c.simulated - c.baseline;
    c.liability_delta = c.simulated_outstanding - c.baseline_outstanding;
    c.growth_delta = c.simulated_growth - c.baseline_growth;
    for (const k of [...CELL_SUMS, "delta", "liability_delta", "growth_delta"] as const) totals[k] += c[k];
  }
  const order = (tier: string) => {
    const i = ladder.indexOf(tier);
    return i < 0 ? 1000 : i;
  };
  cells.sort((a, b) => (a.business_unit < b.business_unit ? -1 : a.business_unit > b.business_unit ? 1 : order(a.tier) - order(b.tier)));
  const { business_unit: _u, tier: _t, ...rest } = totals;
  return {
    as_of: new Date(asOfMs).toISOString(),
    transactions: count,
    totals: rest,
    by_unit_tier: cells,
    errors: errors.sort((a, b) => b.count - a.count),
  };
}

// ── Reading the scenario and the rows from Postgres ─────────────────────────────────────────
export interface Scenario {
  /** The rules published now, with each key in `ruleKeys` replaced by its newest draft (or added, for a new key). */
  book: RuleBook;
  /** The rules published now. */
  baseline: RuleBook;
  rules: { key: string; version: number; source: string }[];
  /** Growth thresholds of the ladder, in rank order. */
  thresholds: number[];
}

/**
 * The rule sets a scenario runs with: those that exist, plus the one publish_rule would create for a draft
 * scoped to a business unit that has no set of its kind yet (with the group's combination policy).
 */
export function scenarioRuleSets(sets: readonly RuleSetRecord[], drafts: readonly Pick<RuleRecord, "kind" | "business_unit_id">[]): RuleSetRecord[] {
  const out = [...sets];
  for (const d of drafts) {
    if (d.business_unit_id === null || out.some((s) => s.kind === d.kind && s.business_unit_id === d.business_unit_id)) continue;
    const group = out.find((s) => s.kind === d.kind && s.business_unit_id === null);
    if (group) out.push({ kind: d.kind, business_unit_id: d.business_unit_id, combination: group.combination });
  }
  return out;
}

/** The baseline and the scenario of a what-if (see Scenario); both applied to the past with ignorePublication. */
export async function loadScenario(db: pg.Pool | pg.PoolClient, ruleKeys: readonly string[]): Promise<Scenario> {
  const { rows } = await db.query(
    `with drafts as (
       select distinct on (r.key) r.* from public.rules r
       where r.key = any($1::text[]) and r.status = 'draft' order by r.key, r.version desc)
     select r.*, 'published' as source from public.rules r where r.status = 'published'
     union all
     select d.*, 'draft' from drafts d`,
    [ruleKeys],
  );
  const drafts = rows.filter((r) => r.source === "draft");
  const missing = ruleKeys.filter((k) => !drafts.some((r) => r.key === k));
  if (missing.length) throw new Error(`no draft version of rule(s) ${missing.join(", ")}`);
  const published = rows.filter((r) => r.source === "published");
  const scenarioRows = [...published.filter((r) => !ruleKeys.includes(r.key)), ...drafts];
  const sets = (await db.query("select kind, business_unit_id, combination from public.rule_sets")).rows as RuleSetRecord[];
  const ladder = (await db.query("select code, growth_threshold from public.tiers order by rank")).rows;
  const tiers = ladder.map((r) => r.code as string);
  const book = new RuleBook(scenarioRows as RuleRecord[], scenarioRuleSets(sets, drafts), { tierLadder: tiers });
  const baseline = new RuleBook(published as RuleRecord[], sets, { tierLadder: tiers });
  // A draft that does not compile fails the run; a published rule that does not is skipped, as the engine skips it.
  const badDrafts = book.loadErrors.filter((e) => drafts.some((r) => r.id === e.rule_id));
  if (badDrafts.length) {
    throw new Error(`invalid draft rule(s): ${badDrafts.map((e) => `${e.rule_key}@${e.rule_version}: ${e.message}`).join("; ")}`);
  }
  return {
    book, baseline, rules: scenarioRows.map((r) => ({ key: r.key, version: r.version, source: r.source })),
    thresholds: ladder.map((r) => Number(r.growth_threshold)),
  };
}

/** Every var path a rule document reads (to fetch only the columns a scenario needs). */
function varPaths(node: unknown, out: Set<string>, depth = 0) {
  if (depth > 64 || node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) varPaths(n, out, depth + 1);
    return;
  }
  for (const [op, args] of Object.entries(node)) {
    if (op === "var") {
      const first = Array.isArray(args) ? args[0] : args;
      out.add(typeof first === "string" || typeof first === "number" ? String(first) : "*");
    }
    varPaths(args, out, depth + 1);
  }
}

const raw = { getTypeParser: () => (value: string) => value };

export interface SimulateOptions {
  ruleKeys: readonly string[];
  days: number;
  asOf?: Date;
  batchSize?: number;
  onProgress?: (processed: number, total: number) => void | Promise<void>;
}

/** A slice of the transactions by id ([from, to) in uuid order; null: open). */
export interface IdRange {
  from: string | null;
  to: string | null;
}

/** `n` id ranges splitting random (v4) uuids evenly. */
export function idRanges(n: number): IdRange[] {
  const bound = (k: number) => `${Math.floor((k * 2 ** 32) / n).toString(16).padStart(8, "0")}-0000-0000-0000-000000000000`;
  return Array.from({ length: n }, (_, k) => ({ from: k === 0 ? null : bound(k), to: k === n - 1 ? null : bound(k + 1) }));
}

export interface PartitionResult {
  part: WhatIfPart;
  rules: { key: string; version: number; source: string }[];
  timing: { prepare_ms: number; wait_ms: number; compute_ms: number };
}

/**
 * Simulates one id range of the period inside the caller's open read-only transaction (repeatable read,
 * possibly on an imported snapshot): loads the scenario, the members and units, and reads the rows through a
 * server-side cursor in batches, fetching the next batch while computing this one. `onRows` reports progress.
 */
export async function simulatePartition(
  client: pg.ClientBase,
  options: SimulateOptions & { asOf: Date; range?: IdRange; onRows?: (count: number) => void | Promise<void> },
): Promise<PartitionResult> {
  const started = performance.now();
  const asOf = options.asOf;
  const from = new Date(asOf.getTime() - options.days * 86_400_000);
  const batchSize = options.batchSize ?? 10_000;
  // The whole result is read: plan for it (hash joins), not for the first rows as cursors do by default.
  await client.query("set local cursor_tuple_fraction = 1.0");
  const { book, baseline, rules, thresholds } = await loadScenario(client as pg.PoolClient, options.ruleKeys);
  const paths = new Set<string>();
  const { rows: logic } = await client.query(
    "select logic from public.rules where status = 'published' or (key = any($1::text[]) and status = 'draft')", [options.ruleKeys]);
  for (const r of logic) varPaths(r.logic, paths);
  const needs = (prefix: string) => [...paths].some((p) => p === "*" || p === "" || p === "transaction" || p.startsWith(prefix));
  const wantItems = needs("transaction.items");
  const wantOrderNo = needs("transaction.order_no");

  const units = new Map<string, WhatIfUnit>(
    (await client.query("select id, code, kind from public.business_units")).rows.map((u) => [u.id, u as WhatIfUnit]));
  const lit = (value: string) => client.escapeLiteral(value);
  const inRange = [
    `t.occurred_at >= ${lit(from.toISOString())}`, `t.occurred_at < ${lit(asOf.toISOString())}`,
    ...(options.range?.from ? [`t.id >= ${lit(options.range.from)}`] : []),
    ...(options.range?.to ? [`t.id < ${lit(options.range.to)}`] : []),
  ].join(" and ");
  const memberRows = await client.query({
    text: `select m.id, t.code as tier, m.tags, m.birthday::text, m.growth_value, m.created_at, m.status, h.code as home
           from public.members m join public.tiers t on t.id = m.tier_id
           left join public.business_units h on h.id = m.home_business_unit_id
           where m.id in (select t.member_id from public.transactions t where ${inRange})`,
    rowMode: "array",
  });
  const members = new Map<string, WhatIfMember>();
  for (const [id, tier, tags, birthday, growth, created, status, home] of memberRows.rows) {
    members.set(id, { tier, tags: tags ?? [], birthday, growth_value: growth, joined_at: isoInstant((created as Date).getTime()), status, home_business_unit: home });
  }
  const sim = new WhatIfSimulation(book, baseline, units, members, asOf.getTime(), new Set(options.ruleKeys), thresholds);
  sim.addProblems(book.loadErrors);
  await client.query(`declare what_if no scroll cursor for
    select t.member_id, t.business_unit_id, t.amount, t.channel, floor(extract(epoch from t.occurred_at) * 1000)::int8,
           ${wantOrderNo ? "t.order_no" : "null"}, ${wantItems ? "t.items" : "null"},
           coalesce(e.points, 0),
           case when e.transaction_id is null then 0
                when e.expires_at is null or e.expires_at > ${lit(asOf.toISOString())} then e.points
                else coalesce((select sum((l ->> 'points')::int) from jsonb_array_elements(e.lots) l
                               where (l ->> 'expires_at')::timestamptz > ${lit(asOf.toISOString())}), 0) end
    from public.transactions t left join public.transaction_earnings e on e.transaction_id = t.id
    where ${inRange}`);
  const timing = { prepare_ms: Math.round(performance.now() - started), wait_ms: 0, compute_ms: 0 };
  const fetch = () => client.query({ text: `fetch forward ${batchSize} from what_if`, rowMode: "array", types: raw });
  // Ask for the next batch before working through this one: Postgres reads it while this thread computes.
  let pending = fetch();
  const row: WhatIfRow = { member_id: "", business_unit_id: "", amount: 0, channel: "", occurred_ms: 0, issued: 0, issued_live: 0 };
  let lastReport = Date.now();
  let unreported = 0;
  try {
    await simulateRows();
  } catch (error) {
    pending.catch(() => undefined); // the batch asked for ahead is not wanted any more
    throw error;
  }
  if (options.onRows && unreported) await options.onRows(unreported);
  await client.query("close what_if");
  timing.wait_ms = Math.round(timing.wait_ms);
  timing.compute_ms = Math.round(timing.compute_ms);
  return { part: sim.part(), rules, timing };

  async function simulateRows() {
    for (;;) {
      let mark = performance.now();
      const { rows } = await pending;
      timing.wait_ms += performance.now() - mark;
      if (rows.length === 0) break;
      pending = fetch();
      mark = performance.now();
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        row.member_id = r[0];
        row.business_unit_id = r[1];
        row.amount = Number(r[2]);
        row.channel = r[3];
        row.occurred_ms = Number(r[4]);
        row.order_no = r[5] ?? undefined;
        row.items = r[6] ? JSON.parse(r[6]) : undefined;
        row.issued = Number(r[7]);
        row.issued_live = Number(r[8]);
        sim.addRow(row);
      }
      timing.compute_ms += performance.now() - mark;
      unreported += rows.length;
      if (options.onRows && Date.now() - lastReport > 500) {
        lastReport = Date.now();
        await options.onRows(unreported);
        unreported = 0;
      }
    }
  }
}


/** Counts the period's transactions (the denominator of progress). */
export async function countPeriod(client: pg.ClientBase, days: number, asOf: Date): Promise<number> {
  const from = new Date(asOf.getTime() - days * 86_400_000);
  const { rows } = await client.query("select count(*) as n from public.transactions t where t.occurred_at >= $1 and t.occurred_at < $2", [from, asOf]);
  return Number(rows[0].n);
}

/** Runs the simulation over the transactions of the last `days` days in this thread, one cursor. */
export async function simulateWhatIf(pool: pg.Pool, options: SimulateOptions): Promise<WhatIfResult> {
  const asOf = options.asOf ?? new Date();
  const client = await pool.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    const total = await countPeriod(client, options.days, asOf);
    let processed = 0;
    const result = await simulatePartition(client, {
      ...options, asOf,
      onRows: async (n) => {
        processed += n;
        await options.onProgress?.(processed, total);
      },
    });
    await client.query("commit");
    const sim = WhatIfSimulation.fromParts(asOf.getTime(), [result.part]);
    return { ...sim, rules: result.rules, days: options.days, timing: { threads: 1, ...result.timing } };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
