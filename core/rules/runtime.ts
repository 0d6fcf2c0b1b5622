/** Limits and the per-evaluation state shared by the compiled closures and the interpreter. */
import { RuleEvaluationError } from "./errors";
import { DEFAULT_CONTEXT, type OperationContext } from "./operations";

/** Bounds on a rule's size and on the work one evaluation may do. */
export interface RuleLimits {
  /** Deepest nesting of operations and literal arrays (at most MAX_DEPTH_CEILING when compiling or interpreting). */
  maxDepth: number;
  /** Most nodes (operations, arrays, values) in one rule. */
  maxNodes: number;
  /** Longest literal array (or argument list) in a rule. */
  maxArrayLength: number;
  /** Most array elements one evaluation may visit (map/filter/reduce/all/none/some, merge, in, missing). */
  maxIterations: number;
  /** Longest string `cat` may build. */
  maxStringLength: number;
}

/** Limits used when a caller gives none (see RuleLimits). */
export const DEFAULT_LIMITS: Readonly<RuleLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 5000,
  maxArrayLength: 1000,
  maxIterations: 100_000,
  maxStringLength: 100_000,
});

/** Compiling and interpreting recurse once per level; this keeps them far from the stack limit. */
export const MAX_DEPTH_CEILING = 1000;

/** The defaults with the caller's overrides, depth capped at MAX_DEPTH_CEILING. */
export function resolveLimits(limits?: Partial<RuleLimits>): RuleLimits {
  if (!limits) return DEFAULT_LIMITS;
  const merged = { ...DEFAULT_LIMITS, ...limits };
  merged.maxDepth = Math.min(merged.maxDepth, MAX_DEPTH_CEILING);
  return merged;
}

/**
 * State of the evaluation in progress. Evaluation is synchronous and operations never start
 * another evaluation, so one module-level record is enough (and costs nothing per call).
 */
export const state = {
  remaining: DEFAULT_LIMITS.maxIterations,
  maxIterations: DEFAULT_LIMITS.maxIterations,
  maxStringLength: DEFAULT_LIMITS.maxStringLength,
  ctx: DEFAULT_CONTEXT as OperationContext,
  /** Counts evaluations, so per-evaluation caches know when they are stale. */
  evaluation: 0,
};

export function beginEvaluation(limits: RuleLimits, ctx: OperationContext): void {
  state.remaining = limits.maxIterations;
  state.maxIterations = limits.maxIterations;
  state.maxStringLength = limits.maxStringLength;
  state.ctx = ctx;
  state.evaluation++;
}

/** Spends `count` element visits of the evaluation's budget; throws when it runs out. */
export function charge(op: string, count: number): void {
  if ((state.remaining -= count) < 0) {
    throw new RuleEvaluationError(
      op,
      `evaluation limit reached: more than ${state.maxIterations} array elements visited in one evaluation (this step: ${count})`,
    );
  }
}
