/**
 * Compiles a JsonLogic rule once: into one generated function where the platform allows it
 * (compile-source.ts), calling nested closures for the subtrees it does not cover; into nested
 * closures alone under a CSP without 'unsafe-eval'. Semantics: json-logic-js 2.0.5 (see standard.ts).
 */
import { RuleEvaluationError, RuleValidationError } from "./errors";
import { getCustomOperation, resolveContext, type OperationContext } from "./operations";
import { beginEvaluation, chargeLoop, nodeCount, produced, resolveLimits, tick, type RuleLimits } from "./runtime";
import { LAZY_OPERATIONS, eagerOperations, lessOrEqual, lessThan, toNumber, truthy } from "./standard";
import { validateRule } from "./validate";
import { BINARY_OPERATIONS, buildBinary } from "./compile-binary";
import { buildCustom } from "./compile-custom";
import { buildSwitch, matchSwitch, type Branch } from "./compile-switch";
import { buildVar, ITERATIONS, sharedReads, type SharedReads } from "./compile-var";
import { sourceCompiler } from "./compile-source";

/** A compiled rule: evaluates the rule against data, optionally with installation settings. */
export type CompiledRule = (data: unknown, context?: Partial<OperationContext>) => unknown;

export interface CompileOptions {
  limits?: Partial<RuleLimits>;
  /** false: closures only, as under a CSP without 'unsafe-eval' (default: generated code where allowed). */
  generate?: boolean;
}

type Fn = (data: unknown) => unknown;
type N = number;

const constants = new WeakMap<Fn, unknown>();

function constant(value: unknown): Fn {
  const fn: Fn = () => value;
  constants.set(fn, value);
  return fn;
}

const UNDEFINED = constant(undefined);

/** The value of a constant closure (shared: only for uses that neither return nor change it). */
function constantOf(f: Fn): { value: unknown } | undefined {
  return constants.has(f) ? { value: constants.get(f) } : undefined;
}

/** Like constantOf, but only for values safe to hand out as results (arrays are copied per call). */
function primitiveOf(f: Fn): { value: unknown } | undefined {
  const c = constantOf(f);
  return c && !Array.isArray(c.value) ? c : undefined;
}

/**
 * Validates the rule (throws RuleValidationError listing every fault) and builds its closure.
 * Unknown operations, forbidden keys and excessive nesting are refused here, never at run time.
 */
export function compileRule(rule: unknown, options: CompileOptions = {}): CompiledRule {
  const limits = resolveLimits(options.limits);
  const result = validateRule(rule, limits);
  if (!result.ok) throw new RuleValidationError(result.errors);
  const shared = sharedReads(rule);
  const closure = (node: unknown) => build(node, shared);
  const generated = options.generate === false ? undefined : sourceCompiler()?.(rule, closure);
  const root = generated ?? closure(rule);
  return (data, context) => {
    beginEvaluation(limits, resolveContext(context));
    return root(data);
  };
}

/** `shared` is the rule's table of shared reads while building top-level nodes (see compile-var.ts). */
function build(node: unknown, shared: SharedReads | undefined): Fn {
  if (Array.isArray(node)) return buildArray(node, shared);
  if (node === null || typeof node !== "object") return constant(node);
  const op = Object.keys(node)[0];
  const raw = (node as Record<string, unknown>)[op];
  const nested = ITERATIONS.has(op);
  const args = (Array.isArray(raw) ? raw : [raw]).map((arg, i) => build(arg, nested && i > 0 ? undefined : shared));
  if (LAZY_OPERATIONS.has(op)) return buildLazy(op, args, raw, shared);
  if (op === "var") return buildVar(args, constantOf, shared);
  const custom = getCustomOperation(op);
  if (custom) return buildCustom(op, custom.fn, args, constantOf);
  return buildEager(op, args);
}

/**
 * Literal arrays are copied per evaluation, as json-logic-js does, so callers may mutate results.
 * The shared value stays in `constants` for uses that cannot leak it (an `in` haystack, a `var` path).
 */
function buildArray(items: unknown[], shared: SharedReads | undefined): Fn {
  const fns = items.map((item) => build(item, shared));
  if (fns.every((f) => constants.has(f))) {
    const values = fns.map((f) => constants.get(f));
    const fn: Fn = () => deepCopy(values);
    constants.set(fn, values);
    return fn;
  }
  return (d) => {
    const out = new Array(fns.length);
    for (let i = 0; i < fns.length; i++) out[i] = fns[i](d);
    return produced("array", out);
  };
}

function deepCopy(values: unknown[]): unknown[] {
  return produced("array", values.map((v) => (Array.isArray(v) ? deepCopy(v) : v)));
}

/** Hot operations get closures specialised by arity; the rest apply the shared implementation. */
function buildEager(op: string, args: Fn[]): Fn {
  const [a, b, c] = args;
  if (args.length === 2 && BINARY_OPERATIONS.has(op)) return buildBinary(op, a, b, constantOf);
  if (args.length === 1) {
    switch (op) {
      case "!": return (d) => !truthy(a(d));
      case "!!": return (d) => truthy(a(d));
      case "-": return (d) => -(a(d) as N);
      case "+": return (d) => 0 + toNumber(a(d));
      case "*": return a;
    }
  } else if (args.length === 3 && (op === "<" || op === "<=")) {
    const between = op === "<" ? lessThan : lessOrEqual;
    return (d) => between(a(d) as N, b(d) as N, c(d) as N);
  }
  const impl = eagerOperations.get(op);
  if (!impl) throw new RuleEvaluationError(op, "unknown operation"); // unreachable after validation
  return (d) => {
    const values = new Array(args.length);
    for (let i = 0; i < args.length; i++) values[i] = args[i](d);
    return impl(values, d);
  };
}

function buildLazy(op: string, args: Fn[], raw: unknown, shared: SharedReads | undefined): Fn {
  switch (op) {
    case "if":
    case "?:":
      return buildIf(args, Array.isArray(raw) ? raw : [raw], shared);
    case "and":
      return buildAndOr(args, false);
    case "or":
      return buildAndOr(args, true);
    case "reduce": {
      const hasInitial = Array.isArray(raw) ? raw[2] !== undefined : false;
      return buildReduce(args[0] ?? UNDEFINED, args[1] ?? UNDEFINED, hasInitial ? args[2] : constant(null), bodyNodes(raw));
    }
    default:
      return buildIteration(op, args[0] ?? UNDEFINED, args[1] ?? UNDEFINED, bodyNodes(raw));
  }
}

/** Nodes of an iteration's per-element logic (its second argument), the work of one element. */
function bodyNodes(raw: unknown): number {
  return Array.isArray(raw) && raw.length > 1 ? nodeCount(raw[1]) : 1;
}

function buildIf(args: Fn[], raw: unknown[], shared: SharedReads | undefined): Fn {
  if (args.length === 0) return constant(null);
  if (args.length === 1) return args[0];
  if (args.length === 3) {
    const [test, then, otherwise] = args;
    const x = primitiveOf(then), y = primitiveOf(otherwise);
    if (x && y) {
      const [thenValue, otherValue] = [x.value, y.value];
      return (d) => (truthy(test(d)) ? thenValue : otherValue);
    }
    if (y) {
      const otherValue = y.value;
      return (d) => (truthy(test(d)) ? then(d) : otherValue);
    }
    if (x) {
      const thenValue = x.value;
      return (d) => (truthy(test(d)) ? thenValue : otherwise(d));
    }
    return (d) => (truthy(test(d)) ? then(d) : otherwise(d));
  }
  const otherwiseFn = args.length % 2 === 1 ? args[args.length - 1] : constant(null);
  const shape = matchSwitch(raw);
  if (shape) {
    const branch = (f: Fn): Branch => ({ literal: primitiveOf(f) !== undefined, value: primitiveOf(f)?.value, fn: f });
    const results = shape.tests.map((_, i) => branch(args[2 * i + 1]));
    return buildSwitch(build(shape.subject, shared), shape, results, branch(otherwiseFn));
  }
  // if / else-if chains: literal results are returned without a call.
  const pairs = Math.floor(args.length / 2);
  const tests = Array.from({ length: pairs }, (_, i) => args[2 * i]);
  const results = Array.from({ length: pairs }, (_, i) => args[2 * i + 1]);
  const literal = results.map((f) => primitiveOf(f) !== undefined);
  const values = results.map((f) => primitiveOf(f)?.value);
  const last = primitiveOf(otherwiseFn);
  const hasLast = last !== undefined, lastValue = last?.value;
  return (d) => {
    for (let i = 0; i < pairs; i++) {
      if (truthy(tests[i](d))) return literal[i] ? values[i] : results[i](d);
    }
    return hasLast ? lastValue : otherwiseFn(d);
  };
}

/** `and` returns the first falsy value or the last; `or` the first truthy value or the last. */
function buildAndOr(args: Fn[], stopWhen: boolean): Fn {
  if (args.length === 0) return UNDEFINED;
  if (args.length === 1) return args[0];
  if (args.length === 2) {
    const [a, b] = args;
    return (d) => {
      const v = a(d);
      return truthy(v) === stopWhen ? v : b(d);
    };
  }
  return (d) => {
    let v: unknown;
    for (let i = 0; i < args.length; i++) {
      v = args[i](d);
      if (truthy(v) === stopWhen) return v;
    }
    return v;
  };
}

/**
 * map/filter/all/none/some: `fallback` is the result when the source is not an array. Each element
 * costs `nodes` steps of work, and the clock is looked at as the loop goes.
 */
function buildIteration(op: string, source: Fn, logic: Fn, nodes: number): Fn {
  const over = (fallback: () => unknown, run: (items: unknown[]) => unknown): Fn => (d) => {
    const items = source(d);
    if (!Array.isArray(items)) return fallback();
    chargeLoop(op, items.length, nodes);
    return run(items);
  };
  const apply = (item: unknown) => {
    tick(op, nodes);
    return logic(item);
  };
  const test = (item: unknown) => truthy(apply(item));
  switch (op) {
    case "map": return over(() => [], (items) => produced(op, items.map(apply)));
    case "filter": return over(() => [], (items) => produced(op, items.filter(test)));
    case "all": return over(() => false, (items) => items.length > 0 && items.every(test));
    case "some": return over(() => false, (items) => items.some(test));
    default: return over(() => true, (items) => !items.some(test));
  }
}

function buildReduce(source: Fn, logic: Fn, initial: Fn, nodes: number): Fn {
  return (d) => {
    const items = source(d);
    const start = initial(d);
    if (!Array.isArray(items)) return start;
    chargeLoop("reduce", items.length, nodes);
    let accumulator = start;
    for (const current of items) {
      tick("reduce", nodes);
      accumulator = logic({ current, accumulator });
    }
    return accumulator;
  };
}
