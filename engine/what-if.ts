/**
 * What-if: a draft rule set applied to the last N days of real transactions, reported per business
 * unit and tier as points that would have been issued versus points that were issued, and the change in
 * outstanding liability (points of lots not yet expired, gross of redemptions), writing nothing.
 *
 * `WhatIfSimulation` is the computation over a stream of rows (no Node APIs: it can run in a browser);
 * `simulatePartition` / `simulateWhatIf` read the rows from Postgres in batches through a server-side cursor
 * (only through the client they are given). The engine job behind public.what_if_runs, which splits the work
 * over worker threads, is in what-if-job.ts.
 */
import type pg from "pg";
import { defaultExpiry, evaluateEarning, isoInstant, RuleBook, type EarningData, type RuleProblem, type RuleRecord, type RuleSetRecord } from "./evaluate.ts";

/** One transaction of the simulated period. */
export interface WhatIfRow {
  member_id: string;
  business_unit_id: string;
  amount: number;
  channel: string;
  occurred_ms: number;
  order_no?: string;
  items?: unknown[];
  /** Points the transaction actually earned (0 if not evaluated yet). */
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

export interface WhatIfCell {
  business_unit: string;
  tier: string;
  transactions: number;
  issued: number;
  simulated: number;
  delta: number;
  issued_outstanding: number;
  simulated_outstanding: number;
  liability_delta: number;
}

export interface WhatIfReport {
  as_of: string;
  transactions: number;
  totals: Omit<WhatIfCell, "business_unit" | "tier">;
  by_unit_tier: WhatIfCell[];
  errors: { rule_key: string; rule_version: number; stage: string; message: string; count: number }[];
}

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

const emptyCell = (business_unit: string, tier: string): WhatIfCell => ({
  business_unit, tier, transactions: 0, issued: 0, simulated: 0, delta: 0,
  issued_outstanding: 0, simulated_outstanding: 0, liability_delta: 0,
});

/** Accumulates the simulation over rows given in any number of batches. */
export class WhatIfSimulation {
  private readonly cells = new Map<string, Map<string, WhatIfCell>>();
  private readonly errors = new Map<string, WhatIfReport["errors"][number]>();
  private readonly unknownMember: WhatIfMember = { tier: "unknown", tags: [], birthday: null, growth_value: 0, joined_at: "1970-01-01T00:00:00.000Z" };
  private count = 0;

  constructor(
    private readonly book: RuleBook,
    private readonly units: ReadonlyMap<string, WhatIfUnit>,
    private readonly members: ReadonlyMap<string, WhatIfMember>,
    private readonly asOfMs: number,
  ) {}

  /** Counts rule problems (also those found outside the rows, e.g. published rules that do not compile). */
  addProblems(problems: readonly RuleProblem[]): void {
    for (const e of problems) {
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
    const outcome = evaluateEarning(this.book, this.data, unit.id, row.occurred_ms, { ignorePublication: true, trace: false });
    let live = 0;
    for (const lot of outcome.lots) {
      const expires = lot.expires_ms ?? defaultExpiry(lot.kind, row.occurred_ms);
      if (expires > this.asOfMs) live += lot.points;
    }
    if (outcome.errors.length) this.addProblems(outcome.errors);
    let byTier = this.cells.get(unit.code);
    if (!byTier) this.cells.set(unit.code, (byTier = new Map()));
    let cell = byTier.get(member.tier);
    if (!cell) byTier.set(member.tier, (cell = emptyCell(unit.code, member.tier)));
    cell.transactions++;
    cell.issued += row.issued;
    cell.simulated += outcome.points;
    cell.issued_outstanding += row.issued_live;
    cell.simulated_outstanding += live;
    this.count++;
  }

  /** The accumulated state, to be merged with other partitions' (plain data: can cross threads). */
  part(): WhatIfPart {
    return {
      cells: [...this.cells.values()].flatMap((m) => [...m.values()]),
      errors: [...this.errors.values()],
      count: this.count,
      tierLadder: [...this.book.context.tierLadder],
    };
  }

  /** The report of several partitions' states. */
  static fromParts(asOfMs: number, parts: readonly WhatIfPart[]): WhatIfReport {
    const cells = new Map<string, WhatIfCell>();
    const errors = new Map<string, WhatIfReport["errors"][number]>();
    let count = 0;
    for (const p of parts) {
      count += p.count;
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
    return report(asOfMs, [...cells.values()], [...errors.values()], count, parts[0]?.tierLadder ?? []);
  }

  result(): WhatIfReport {
    return WhatIfSimulation.fromParts(this.asOfMs, [this.part()]);
  }
}

const CELL_SUMS = ["transactions", "issued", "simulated", "issued_outstanding", "simulated_outstanding"] as const;

/** A partition's accumulated state. */
export interface WhatIfPart {
  cells: WhatIfCell[];
  errors: WhatIfReport["errors"];
  count: number;
  tierLadder: string[];
}

function report(asOfMs: number, cells: WhatIfCell[], errors: WhatIfReport["errors"], count: number, ladder: readonly string[]): WhatIfReport {
  const totals = emptyCell("", "");
  for (const c of cells) {
    c.delta = c.simulated - c.issued;
    c.liability_delta = c.simulated_outstanding - c.issued_outstanding;
    for (const k of ["transactions", "issued", "simulated", "delta", "issued_outstanding", "simulated_outstanding", "liability_delta"] as const) {
      totals[k] += c[k];
    }
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
/**
 * The scenario: every rule published now (all kinds), where each key in `ruleKeys` is replaced by its
 * newest draft (or added, for a key never published). Applied to the past with ignorePublication.
 */
export async function loadScenario(db: pg.Pool | pg.PoolClient, ruleKeys: readonly string[]): Promise<{ book: RuleBook; rules: { key: string; version: number; source: string }[] }> {
  const { rows } = await db.query(
    `with drafts as (
       select distinct on (r.key) r.* from public.rules r
       where r.key = any($1::text[]) and r.status = 'draft' order by r.key, r.version desc)
     select r.*, 'published' as source from public.rules r
     where r.status = 'published' and not exists (select 1 from drafts d where d.key = r.key)
     union all
     select d.*, 'draft' from drafts d`,
    [ruleKeys],
  );
  const missing = ruleKeys.filter((k) => !rows.some((r) => r.key === k && r.source === "draft"));
  if (missing.length) throw new Error(`no draft version of rule(s) ${missing.join(", ")}`);
  const sets = (await db.query("select kind, business_unit_id, combination from public.rule_sets")).rows as RuleSetRecord[];
  const tiers = (await db.query("select code from public.tiers order by rank")).rows.map((r) => r.code as string);
  const book = new RuleBook(rows as RuleRecord[], sets, { tierLadder: tiers });
  // A draft that does not compile fails the run; a published rule that does not is skipped, as the engine skips it.
  const badDrafts = book.loadErrors.filter((e) => rows.some((r) => r.id === e.rule_id && r.source === "draft"));
  if (badDrafts.length) {
    throw new Error(`invalid draft rule(s): ${badDrafts.map((e) => `${e.rule_key}@${e.rule_version}: ${e.message}`).join("; ")}`);
  }
  return { book, rules: rows.map((r) => ({ key: r.key, version: r.version, source: r.source })) };
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
  const { book, rules } = await loadScenario(client as pg.PoolClient, options.ruleKeys);
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
  const sim = new WhatIfSimulation(book, units, members, asOf.getTime());
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
  if (options.onRows && unreported) await options.onRows(unreported);
  await client.query("close what_if");
  timing.wait_ms = Math.round(timing.wait_ms);
  timing.compute_ms = Math.round(timing.compute_ms);
  return { part: sim.part(), rules, timing };
}

export type WhatIfResult = WhatIfReport & {
  rules: { key: string; version: number; source: string }[];
  days: number;
  /** Where the time went (summed over partitions): before the first row, waiting for rows, computing. */
  timing: { threads: number; prepare_ms: number; wait_ms: number; compute_ms: number };
};

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
