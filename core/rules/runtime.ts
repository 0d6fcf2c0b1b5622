/** Limits and the per-evaluation state shared by the compiled closures and the interpreter. */
import { RuleLimitError, type RuleLimitKind } from "./errors";
import { DEFAULT_CONTEXT, type OperationContext } from "./operations";

/** Bounds on a rule's size and on the time, memory and work one evaluation may use. */
export interface RuleLimits {
  /** Deepest nesting of operations and literal arrays (at most MAX_DEPTH_CEILING when compiling or interpreting). */
  maxDepth: number;
  /** Most nodes (operations, arrays, values) in one rule. */
  maxNodes: number;
  /** Longest literal array (or argument list) in a rule. */
  maxArrayLength: number;
  /** Most array elements one evaluation may visit (map/filter/reduce/all/none/some, merge, in, missing). */
  maxIterations: number;
  /** Most rule nodes one evaluation may run inside iterations (elements visited × nodes of the per-element logic). */
  maxWork: number;
  /** Longest string `cat` may build. */
  maxStringLength: number;
  /**
   * Most memory one evaluation may produce, in units of one array slot or one string character: every array
   * an evaluation builds (literal arrays, map, filter, merge, missing) is charged its size counted through the
   * arrays and strings it holds (so an array holding itself twice per step cannot double unnoticed, and turning
   * any array into a string or number costs at most this), and every string `cat` builds its length.
   */
  maxProduced: number;
  /** Wall-clock milliseconds one evaluation may run, checked in every loop over elements. */
  maxMillis: number;
}

/** Limits used when a caller gives none (see RuleLimits). The one place these numbers are defined. */
export const DEFAULT_LIMITS: Readonly<RuleLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 5000,
  maxArrayLength: 1000,
  maxIterations: 100_000,
  maxWork: 2_000_000,
  maxStringLength: 100_000,
  maxProduced: 1_000_000,
  maxMillis: 250,
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

/** Rule steps run inside loops between two looks at the clock. */
const CLOCK_EVERY = 4096;

const now: () => number = typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/**
 * State of the evaluation in progress. Evaluation is synchronous and operations never start
 * another evaluation, so one module-level record is enough (and costs nothing per call).
 */
export const state = {
  remaining: DEFAULT_LIMITS.maxIterations,
  work: DEFAULT_LIMITS.maxWork,
  produced: DEFAULT_LIMITS.maxProduced,
  limits: DEFAULT_LIMITS as RuleLimits,
  maxStringLength: DEFAULT_LIMITS.maxStringLength,
  /** When the evaluation must stop (ms, `now()` clock); 0 until loops have run CLOCK_EVERY steps. */
  deadline: 0,
  ticks: 0,
  ctx: DEFAULT_CONTEXT as OperationContext,
  /** Counts evaluations, so per-evaluation caches know when they are stale. */
  evaluation: 0,
};

export function beginEvaluation(limits: RuleLimits, ctx: OperationContext): void {
  state.remaining = limits.maxIterations;
  state.work = limits.maxWork;
  state.produced = limits.maxProduced;
  state.limits = limits;
  state.maxStringLength = limits.maxStringLength;
  // An evaluation without loops is bounded by the rule's size: the clock starts once loops have run CLOCK_EVERY steps.
  state.deadline = 0;
  state.ticks = 0;
  state.ctx = ctx;
  state.evaluation++;
}

function limitReached(op: string, limit: RuleLimitKind, message: string): never {
  throw new RuleLimitError(op, `evaluation limit reached: ${message}`, limit);
}

/** Throws when the evaluation has run past its deadline (starting the clock on first use). */
export function checkClock(op: string): void {
  const t = now();
  if (state.deadline === 0) state.deadline = t + state.limits.maxMillis;
  else if (t > state.deadline) limitReached(op, "time", `ran longer than ${state.limits.maxMillis} ms`);
}

/** Called once per element inside loops with the nodes of its logic: looks at the clock every CLOCK_EVERY steps. */
export function tick(op: string, nodes: number): void {
  if ((state.ticks += nodes) >= CLOCK_EVERY) {
    state.ticks = 0;
    checkClock(op);
  }
}

/** Spends `count` element visits of the evaluation's budget; throws when it runs out. */
export function charge(op: string, count: number): void {
  if ((state.remaining -= count) < 0) {
    limitReached(op, "iterations", `more than ${state.limits.maxIterations} array elements visited in one evaluation (this step: ${count})`);
  }
}

/** An iteration over `count` elements running logic of `nodes` nodes per element: elements and work. */
export function chargeLoop(op: string, count: number, nodes: number): void {
  charge(op, count);
  if ((state.work -= count * nodes) < 0) {
    limitReached(op, "work", `more than ${state.limits.maxWork} rule steps run in one evaluation`);
  }
}

/** Size of arrays built in this evaluation (see RuleLimits.maxProduced); other arrays count their length. */
const sizes = new WeakMap<unknown[], number>();

export function sizeOf(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return sizes.get(value) ?? value.length;
  return 0;
}

/** Charges an array the evaluation built (counted through the arrays and strings it holds); returns it. */
export function produced<T extends unknown[]>(op: string, array: T): T {
  let size = array.length;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    if (typeof item === "object" || typeof item === "string") size += sizeOf(item);
  }
  return producedSized(op, array, size);
}

/** As produced, for a caller that summed the size already (length plus sizeOf of each element). */
export function producedSized<T extends unknown[]>(op: string, array: T, size: number): T {
  spendMemory(op, size);
  if (size > array.length) sizes.set(array, size);
  return array;
}

/** Charges `size` units (array slots or characters) to the evaluation's memory budget. */
export function spendMemory(op: string, size: number): void {
  if ((state.produced -= size) < 0) {
    limitReached(op, "memory", `more than ${state.limits.maxProduced} array elements and characters produced in one evaluation`);
  }
}

/** Nodes of a rule subtree (operations, arrays and values), counted without recursion; at least 1. */
export function nodeCount(node: unknown): number {
  let count = 0;
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    count++;
    if (n !== null && typeof n === "object") {
      for (const child of Array.isArray(n) ? n : Object.values(n)) stack.push(child);
    }
  }
  return count;
}
