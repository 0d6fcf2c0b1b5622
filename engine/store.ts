/**
 * The engine's rule cache: every rule version ever published (plus the rule sets and the tier ladder; the rules
 * and sets of inactive business units are left out: such a unit cannot post points)
 * compiled once into a RuleBook, reloaded when private.engine_state.rules_generation moves (every change
 * of rules, rule sets or tiers bumps it). Rules that cannot be compiled are skipped and reported once
 * per process in public.rule_errors (stage load).
 */
import type pg from "pg";
import { RuleBook, type RuleProblem, type RuleRecord, type RuleSetRecord } from "../core/evaluation/index.ts";
import type { EngineLog } from "./log.ts";

/** Rule documents larger than this are not even read (publish_rule refuses more than 64 KB). */
export const MAX_LOGIC_BYTES = 262_144;

export interface LoadedBook {
  book: RuleBook;
  generation: string;
  /** What the book was built from, so another thread can build the same one. */
  source: BookSource;
}

/** The rows a RuleBook is built from (structured-clonable). */
export interface BookSource {
  records: RuleRecord[];
  sets: RuleSetRecord[];
  tierLadder: string[];
}

/** Reads the rule book in one round trip, in one snapshot (repeatable read). */
export async function loadRuleBook(db: pg.Pool | pg.PoolClient, options: { drafts?: boolean } = {}): Promise<LoadedBook> {
  const results = (await db.query(`
    begin isolation level repeatable read read only;
    select rules_generation::text as generation from private.engine_state;
    select r.id, r.key, r.version, r.kind, r.business_unit_id, r.priority, r.lot_kind, r.active_from, r.active_to,
           r.published_at, r.superseded_at, r.status, r.updated_at, r.suspended_at,
           case when pg_column_size(r.logic) <= ${MAX_LOGIC_BYTES} then r.logic end as logic,
           pg_column_size(r.logic) as logic_bytes
    from public.rules r
    left join public.business_units bu on bu.id = r.business_unit_id
    where (r.published_at is not null ${options.drafts ? "or r.status = 'draft'" : ""})
      and (r.business_unit_id is null or bu.active);
    select s.kind, s.business_unit_id, s.combination from public.rule_sets s
    left join public.business_units bu on bu.id = s.business_unit_id
    where s.business_unit_id is null or bu.active;
    select code from public.tiers order by rank;
    commit;`)) as unknown as pg.QueryResult[];
  const generation = results[1].rows[0]?.generation ?? "0";
  const records: RuleRecord[] = results[2].rows.map((r) => ({
    ...r,
    load_error: r.logic === null ? `logic is ${r.logic_bytes} bytes stored (at most ${MAX_LOGIC_BYTES} are read)` : undefined,
  }));
  const sets = results[3].rows as RuleSetRecord[];
  const tierLadder = results[4].rows.map((r) => r.code as string);
  return { book: new RuleBook(records, sets, { tierLadder }), generation, source: { records, sets, tierLadder } };
}

const reported = new Set<string>();

/** Records rule problems (load, evaluate, result) in public.rule_errors: one row per rule, stage and message. */
export async function recordRuleProblems(db: pg.Pool | pg.PoolClient, problems: readonly RuleProblem[], transactionId: string | null = null) {
  if (!problems.length) return;
  await db.query(
    `insert into public.rule_errors as re (rule_id, rule_key, rule_version, stage, message, transaction_id)
     select x.rule_id, x.rule_key, x.rule_version, x.stage, left(x.message, 2000), $2::uuid
     from jsonb_to_recordset($1::jsonb) as x (rule_id uuid, rule_key text, rule_version int, stage text, message text)
     where exists (select 1 from public.rules r where r.id = x.rule_id)
     on conflict (rule_id, stage, message) do update
       set occurrences = re.occurrences + 1, last_seen = now(), transaction_id = coalesce(excluded.transaction_id, re.transaction_id)`,
    [JSON.stringify(problems), transactionId],
  );
}

/** Keeps the current rule book; reloads it (once, however many callers ask) when the generation moves. */
export class RuleStore {
  private current: LoadedBook | null = null;
  private loading: Promise<LoadedBook> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: EngineLog,
  ) {}

  get generation(): string | null {
    return this.current?.generation ?? null;
  }

  /** The rule book at least as new as `generation` (or the cached one when no generation is given). */
  async get(generation?: string): Promise<RuleBook> {
    return (await this.loaded(generation)).book;
  }

  /** As get, with the generation and the rows the book was built from. */
  async loaded(generation?: string): Promise<LoadedBook> {
    if (this.current && (generation === undefined || this.current.generation === generation)) return this.current;
    if (this.current && generation !== undefined && BigInt(this.current.generation) > BigInt(generation)) return this.current;
    return this.reload();
  }

  reload(): Promise<LoadedBook> {
    this.loading ??= (async () => {
      try {
        const loaded = await loadRuleBook(this.pool);
        const fresh = loaded.book.loadErrors.filter((p) => !reported.has(`${p.rule_id}|${p.message}`));
        if (fresh.length) {
          for (const p of fresh) reported.add(`${p.rule_id}|${p.message}`);
          const shown = fresh.slice(0, 3).map((p) => `${p.rule_key}@${p.rule_version}`).join(", ");
          this.log.warn(`${fresh.length} published rule(s) skipped, they do not compile (${shown}${fresh.length > 3 ? ", ..." : ""}): see public.rule_errors`);
          await recordRuleProblems(this.pool, fresh).catch((e) => this.log.error(`recording rule errors failed: ${e.message}`));
        }
        this.current = loaded;
        return loaded;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
