/**
 * A plain recursive JsonLogic interpreter with the same semantics as the compiled closures.
 * It does not validate first (like json-logic-js, an unknown operation fails only when reached),
 * but it still reads only own data properties, bounds nesting and charges array work.
 */
import { RuleEvaluationError } from "./errors";
import { getCustomOperation, resolveContext, type OperationContext } from "./operations";
import { beginEvaluation, chargeLoop, nodeCount, produced, producedSized, resolveLimits, sizeOf, state, tick, type RuleLimits } from "./runtime";
import { eagerOperations, truthy } from "./standard";

export interface InterpretOptions {
  context?: Partial<OperationContext>;
  limits?: Partial<RuleLimits>;
}

let maxDepth = 0;

/** Evaluates a rule by walking it on every call (no compilation, no caching). */
export function interpretRule(rule: unknown, data: unknown, options: InterpretOptions = {}): unknown {
  const limits = resolveLimits(options.limits);
  beginEvaluation(limits, resolveContext(options.context));
  maxDepth = limits.maxDepth;
  return run(rule, data, 1);
}

// No closures are created per node: under some transpilers (esbuild keepNames) each one costs a call.
function run(node: unknown, data: unknown, depth: number): unknown {
  if (typeof node !== "object" || node === null) return node;
  if (depth > maxDepth) throw new RuleEvaluationError("rule", `nested deeper than ${maxDepth} levels`);
  const next = depth + 1;
  if (Array.isArray(node)) {
    const out = new Array(node.length);
    let size = node.length;
    for (let i = 0; i < node.length; i++) {
      const value = run(node[i], data, next);
      out[i] = value;
      if (typeof value === "object" || typeof value === "string") size += sizeOf(value);
    }
    return producedSized("array", out, size);
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) return node; // json-logic-js returns such objects as they are
  const op = keys[0];
  const raw = (node as Record<string, unknown>)[op];
  const values = Array.isArray(raw) ? raw : [raw];

  switch (op) {
    case "if":
    case "?:": {
      let i = 0;
      for (; i < values.length - 1; i += 2) if (truthy(run(values[i], data, next))) return run(values[i + 1], data, next);
      return values.length === i + 1 ? run(values[i], data, next) : null;
    }
    case "and":
    case "or": {
      const stopWhen = op === "or";
      let current: unknown;
      for (let i = 0; i < values.length; i++) {
        current = run(values[i], data, next);
        if (truthy(current) === stopWhen) return current;
      }
      return current;
    }
    case "map":
    case "filter":
    case "all":
    case "none":
    case "some":
      return iterate(op, run(values[0], data, next), values[1], next);
    case "reduce": {
      const items = run(values[0], data, next);
      let accumulator = values[2] !== undefined ? run(values[2], data, next) : null;
      if (!Array.isArray(items)) return accumulator;
      const nodes = bodyNodes(values[1]);
      chargeLoop(op, items.length, nodes);
      for (let i = 0; i < items.length; i++) {
        tick(op, nodes);
        accumulator = run(values[1], { current: items[i], accumulator }, next);
      }
      return accumulator;
    }
  }

  const args = new Array(values.length);
  for (let i = 0; i < values.length; i++) args[i] = run(values[i], data, next);
  const impl = eagerOperations.get(op);
  if (impl) return impl(args, data);
  const custom = getCustomOperation(op);
  if (custom) return custom.fn(state.ctx, ...args);
  throw new RuleEvaluationError(op, "unknown operation");
}

/** Nodes of per-element logic, counted once per logic object (the work of one element). */
const bodySizes = new WeakMap<object, number>();

function bodyNodes(logic: unknown): number {
  if (logic === null || typeof logic !== "object") return 1;
  let n = bodySizes.get(logic);
  if (n === undefined) bodySizes.set(logic, (n = nodeCount(logic)));
  return n;
}

function iterate(op: string, items: unknown, logic: unknown, depth: number): unknown {
  if (!Array.isArray(items)) return op === "map" || op === "filter" ? [] : op === "none";
  const nodes = bodyNodes(logic);
  chargeLoop(op, items.length, nodes);
  if (op === "map") {
    const out = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      tick(op, nodes);
      out[i] = run(logic, items[i], depth);
    }
    return produced(op, out);
  }
  if (op === "filter") {
    const out: unknown[] = [];
    for (const item of items) {
      tick(op, nodes);
      if (truthy(run(logic, item, depth))) out.push(item);
    }
    return produced(op, out);
  }
  // all: every item truthy (and at least one); some: any truthy; none: no truthy.
  const wanted = op !== "all";
  for (const item of items) {
    tick(op, nodes);
    if (truthy(run(logic, item, depth)) === wanted) return op === "some";
  }
  return op === "all" ? items.length > 0 : op === "none";
}
