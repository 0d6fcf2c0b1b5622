import { DEFAULT_LOT_KIND } from "../enums/lot-kinds.ts";
import { MAX_RULE_MESSAGE_LENGTH } from "../enums/limits.ts";
import { DEFAULT_CONTEXT, type OperationContext } from "../rules/index.ts";
import type { RuleKind } from "../rule-kinds/index.ts";
import { compileOnce, instantOf } from "./compile-cache.ts";
import type { Combination, LoadedRule, RuleProblem, RuleRecord, RuleSetRecord } from "./types.ts";
import { resolveScope, scopeKey } from "./unit-scope.ts";

export interface RuleBookOptions {
  tierLadder?: readonly string[];
  timeZone?: string;
}

/** Evaluation order inside a set: higher priority first, then key, then newer version. */
function byPriority(a: LoadedRule, b: LoadedRule): number {
  return b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || b.version - a.version;
}

interface Scope {
  combination: Combination;
  /** Every version of the scope's rules, in evaluation order. */
  rules: readonly LoadedRule[];
  /** Those that compiled and are not suspended. */
  runnable: readonly LoadedRule[];
  /** No runnable rule has an active window. */
  timeless: boolean;
  /** { combination, rules: runnable }, allocated once. */
  all: { combination: Combination; rules: readonly LoadedRule[] };
}

export interface RulesInForce {
  combination: Combination;
  rules: readonly LoadedRule[];
}

const NO_RULES: RulesInForce = Object.freeze({ combination: "first", rules: Object.freeze([]) as readonly LoadedRule[] });

/** Every version of every rule, compiled once, by kind and scope. */
export class RuleBook {
  readonly context: OperationContext;
  /** Rules that cannot run (invalid logic): skipped everywhere, reported once. */
  readonly loadErrors: RuleProblem[] = [];
  private readonly sets = new Map<string, Combination>();
  private readonly rules = new Map<string, LoadedRule[]>();
  private readonly scopes = new Map<RuleKind, Map<string | null, Scope | null>>();

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
        lotKind: r.lot_kind ?? DEFAULT_LOT_KIND,
        activeFrom: instantOf(r.active_from, -Infinity),
        activeTo: instantOf(r.active_to, Infinity),
        publishedAt: instantOf(r.published_at, Infinity),
        supersededAt: instantOf(r.superseded_at, Infinity),
        run: entry.run,
        loadError: entry.error,
        suspended: r.suspended_at !== null && r.suspended_at !== undefined,
      };
      if (entry.error) {
        this.loadErrors.push({ rule_id: r.id, rule_key: r.key, rule_version: r.version, stage: "load", message: entry.error.slice(0, MAX_RULE_MESSAGE_LENGTH) });
      }
      const k = scopeKey(r.kind, r.business_unit_id);
      const list = this.rules.get(k);
      if (list) list.push(rule);
      else this.rules.set(k, [rule]);
    }
    for (const list of this.rules.values()) list.sort(byPriority);
  }

  /** The rule set a unit uses for a kind: its own when it has one, else the group's. */
  scope(kind: RuleKind, businessUnitId: string | null): Scope | null {
    let byUnit = this.scopes.get(kind);
    if (!byUnit) this.scopes.set(kind, (byUnit = new Map()));
    let found = byUnit.get(businessUnitId);
    if (found === undefined) {
      found = null;
      const resolved = resolveScope(this.sets, kind, businessUnitId);
      if (resolved) {
        const { combination } = resolved;
        const rules = this.rules.get(resolved.key) ?? [];
        const runnable = rules.filter((r) => r.run && !r.suspended);
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
  inForce(kind: RuleKind, businessUnitId: string | null, at: number, ignorePublication = false): RulesInForce {
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
