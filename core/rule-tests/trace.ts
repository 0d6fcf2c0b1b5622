/**
 * Which conditions of a rule matched on one input: each `if` with the branch it took, each comparison and
 * logical operation with its value, in evaluation order, and the ones never reached. Every traced node is
 * evaluated by core/rules itself (the same evaluator as the engine), so a trace never disagrees with the result.
 * Nodes inside map/filter/reduce/all/some/none read their items' data and are reported as a whole.
 */
import { evaluateRule, truthy, type EvaluateOptions } from "../rules/index.ts";

export interface TraceStep {
  /** JSON pointer of the node in the rule. */
  path: string;
  op: string;
  /** The node's value (when reached and evaluated). */
  value?: unknown;
  error?: string;
  /** `if`: index of the condition that held (0-based), "else", or null (none held and no else). */
  branch?: number | "else" | null;
  reached: boolean;
}

const CONDITIONS = new Set(["==", "===", "!=", "!==", "<", "<=", ">", ">=", "!", "!!", "in", "has_tag", "is_birthday_month", "and", "or",
  "all", "some", "none"]);
const SCOPED = new Set(["map", "filter", "reduce", "all", "some", "none"]);
const LEAVES = new Set(["var", "missing", "missing_some"]);
/** Most steps one trace reports. */
export const MAX_TRACE_STEPS = 200;

const pointer = (path: string, part: string | number) => `${path}/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`;
/** An operation node's name, arguments and each argument's JSON pointer. */
const operation = (node: unknown, path: string): [string, unknown[], (i: number) => string] | null => {
  if (!node || typeof node !== "object" || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1) return null;
  const args = (node as Record<string, unknown>)[keys[0]];
  const at = pointer(path, keys[0]);
  return Array.isArray(args) ? [keys[0], args, (i) => pointer(at, i)] : [keys[0], [args], () => at];
};

export function traceRule(logic: unknown, data: unknown, options: Pick<EvaluateOptions, "context"> = {}): TraceStep[] {
  const steps: TraceStep[] = [];
  const evaluate = (node: unknown): { value?: unknown; error?: string } => {
    try {
      return { value: evaluateRule(node, data, { context: options.context }) };
    } catch (error) {
      return { error: (error as Error)?.message ?? String(error) };
    }
  };
  const push = (step: TraceStep) => {
    if (steps.length < MAX_TRACE_STEPS) steps.push(step);
  };

  /** Walks a node; returns its value when it was evaluated as a whole (conditions), for the caller's branching. */
  const walk = (node: unknown, path: string, reached: boolean): { value?: unknown; error?: string } | undefined => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, pointer(path, i), reached));
      return undefined;
    }
    const op = operation(node, path);
    if (!op) return undefined;
    const [name, args, argPath] = op;
    if (LEAVES.has(name)) return undefined;
    if (name === "if" || name === "?:") {
      const at = steps.length;
      push({ path, op: name, reached });
      let branch: number | "else" | null = null;
      let live = reached;
      let i = 0;
      for (; i + 1 < args.length; i += 2) {
        const test = walk(args[i], argPath(i), live) ?? (live ? evaluate(args[i]) : undefined);
        const holds = live && test !== undefined && test.error === undefined && truthy(test.value);
        walk(args[i + 1], argPath(i + 1), holds);
        if (holds) {
          branch = i / 2;
          live = false;
        }
      }
      if (i < args.length) {
        walk(args[i], argPath(i), live);
        if (live) branch = "else";
      }
      if (steps[at]?.path === path && steps[at].op === name) steps[at].branch = reached ? branch : undefined;
      return reached ? evaluate(node) : undefined;
    }
    if (!CONDITIONS.has(name)) {
      if (!SCOPED.has(name)) args.forEach((arg, i) => walk(arg, argPath(i), reached));
      return undefined;
    }
    const result = reached ? evaluate(node) : undefined;
    push({ path, op: name, reached, ...(result ?? {}) });
    if (SCOPED.has(name)) return result;
    if (name === "and" || name === "or") {
      let live = reached;
      args.forEach((arg, i) => {
        const value = walk(arg, argPath(i), live) ?? (live ? evaluate(arg) : undefined);
        if (live && value && (value.error !== undefined || truthy(value.value) === (name === "or"))) live = false;
      });
    } else {
      args.forEach((arg, i) => walk(arg, argPath(i), reached));
    }
    return result;
  };

  walk(logic, "", true);
  return steps;
}
