/**
 * The earn job: evaluates a transaction's earning and expiry rules and posts its points.
 *
 * Concurrent jobs are gathered into batches (up to `maxBatch`, `maxInFlight` batches at a time), and each
 * batch costs two round trips: private.earn_contexts (transactions + members, the tier at occurred_at, the
 * rules generation) and private.post_earnings (earn_points per lot + the transaction_earnings row, one
 * database transaction, members locked in member order). A batch that fails as a whole is retried one
 * transaction at a time, so one bad transaction fails only its own job (graphile-worker retries it).
 */
import type pg from "pg";
import { earningData, type ContextItem } from "../core/evaluation/earning-data.ts";
import { isoInstant } from "../core/evaluation/index.ts";
import type { EvaluationSandbox } from "./evaluation-sandbox.ts";
import { evaluateInline, type EarnItem } from "./evaluation-tasks.ts";
import type { EngineLog } from "./log.ts";
import type { RuleStore } from "./store.ts";

export { earningData };

export type EarnOutcome = "earned" | "held" | "none" | "expired" | "refused" | "duplicate" | "missing";

export interface EarnResult {
  transaction_id: string;
  outcome: EarnOutcome;
  points?: number;
  /** Growth value added (null: it had been added before, e.g. a transaction recorded before growth became rules). */
  growth?: number | null;
}


interface Pending {
  id: string;
  resolve: (r: EarnResult) => void;
  reject: (e: Error) => void;
}

export interface EarnerOptions {
  maxBatch?: number;
  maxInFlight?: number;
  /** Where rules are evaluated (default: in this thread, bounded by core/rules alone). */
  sandbox?: EvaluationSandbox;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Counters of one earner, for benchmarks and diagnostics. */
export interface EarnerStats {
  batches: number;
  transactions: number;
  contextMs: number;
  evaluateMs: number;
  postMs: number;
}

export class Earner {
  readonly stats: EarnerStats = { batches: 0, transactions: 0, contextMs: 0, evaluateMs: 0, postMs: 0 };
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly sandbox?: EvaluationSandbox;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: RuleStore,
    private readonly log: EngineLog,
    options: EarnerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.sandbox = options.sandbox;
  }

  /** Evaluates and posts one transaction (batched with whatever else is waiting). */
  earn(transactionId: unknown): Promise<EarnResult> {
    if (typeof transactionId !== "string" || !UUID.test(transactionId)) {
      this.log.warn(`earn job with a bad transaction id ${JSON.stringify(transactionId)} dropped`);
      return Promise.resolve({ transaction_id: String(transactionId), outcome: "missing" });
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: transactionId.toLowerCase(), resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate: let every job started in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.inFlight++;
        this.process(batch).finally(() => {
          this.inFlight--;
          this.schedule();
        });
      }
    });
  }

  private async process(batch: Pending[]) {
    try {
      const results = await this.runBatch(batch.map((p) => p.id));
      for (const p of batch) settle(p, results.get(p.id));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error as Error);
        return;
      }
      this.log.warn(`earn batch of ${batch.length} failed (${(error as Error).message}); retrying one by one`);
      for (const p of batch) {
        try {
          settle(p, (await this.runBatch([p.id])).get(p.id));
        } catch (e) {
          p.reject(e as Error);
        }
      }
    }
  }

  /** Two round trips for the whole batch: contexts, then postings. */
  async runBatch(ids: string[]): Promise<Map<string, EarnResult | Error>> {
    const results = new Map<string, EarnResult | Error>();
    let mark = performance.now();
    const { rows } = await this.pool.query("select private.earn_contexts($1::uuid[]) as c", [ids]);
    this.stats.contextMs += performance.now() - mark;
    mark = performance.now();
    this.stats.batches++;
    this.stats.transactions += ids.length;
    const context = rows[0].c as { generation: string; items: ContextItem[] };
    const loaded = await this.store.loaded(String(context.generation));
    const todo: ContextItem[] = [];
    for (const item of context.items) {
      if (item.evaluated) results.set(item.transaction_id, { transaction_id: item.transaction_id, outcome: "duplicate" });
      else todo.push(item);
    }
    const inputs: EarnItem[] = todo.map((item) => ({ ...earningData(item), businessUnitId: item.business_unit_id }));
    const outcomes = this.sandbox ? await this.sandbox.evaluate(loaded, "earn", inputs) : evaluateInline(loaded.book, "earn", inputs);
    const posts: unknown[] = [];
    for (const [n, item] of todo.entries()) {
      const outcome = outcomes[n];
      posts.push({
        transaction_id: item.transaction_id,
        member_id: item.member_id,
        business_unit_id: item.business_unit_id,
        lots: outcome.lots.map((l) => ({ kind: l.kind, points: l.points, expires_at: l.expires_ms === null ? null : isoInstant(l.expires_ms) })),
        rule_versions: outcome.hold.days > 0 ? [...outcome.applied, ...outcome.hold.applied] : outcome.applied,
        errors: [...outcome.errors, ...outcome.growth.errors, ...outcome.hold.errors],
        // days the lots stay pending (待入账) before private.release_pending_points posts them (0: at once)
        hold_days: outcome.hold.days,
        // growth value of the transaction (growth rules), added once by private.add_transaction_growth
        growth: outcome.growth.growth,
        growth_rules: outcome.growth.applied,
        // the entry links its transaction, whose earning row lists the rule versions: no prose to store
        reason: null,
      });
    }
    for (const id of ids) {
      if (!results.has(id) && !context.items.some((i) => i.transaction_id === id)) {
        results.set(id, { transaction_id: id, outcome: "missing" });
      }
    }
    this.stats.evaluateMs += performance.now() - mark;
    if (posts.length) {
      mark = performance.now();
      const posted = await this.pool.query("select private.post_earnings($1::jsonb) as r", [JSON.stringify(posts)]);
      this.stats.postMs += performance.now() - mark;
      for (const r of posted.rows[0].r as { transaction_id: string; outcome: string; points?: number; growth?: number | null }[]) {
        results.set(
          r.transaction_id,
          r.outcome === "stale"
            ? new Error(`transaction ${r.transaction_id} changed member or business unit while it was evaluated; retrying`)
            : { transaction_id: r.transaction_id, outcome: r.outcome as EarnOutcome, points: r.points, growth: r.growth },
        );
      }
    }
    // Benefits the batch's transactions grant (grant_on_transaction) and tier benefits of members a purchase lifted
    // into a tier. Idempotent: a batch retried after its postings committed (outcome duplicate) grants here again,
    // and nothing twice.
    if (context.items.length) {
      await this.pool.query("select private.grant_benefits_after_earn($1::uuid[])", [context.items.map((item) => item.transaction_id)]);
    }
    return results;
  }
}

function settle(p: Pending, result: EarnResult | Error | undefined) {
  if (result instanceof Error) p.reject(result);
  else p.resolve(result ?? { transaction_id: p.id, outcome: "missing" });
}
