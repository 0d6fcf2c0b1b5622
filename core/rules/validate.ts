/**
 * Static checks of a rule before it is compiled or saved: JSON shape, known operations,
 * argument lists, forbidden keys and size limits. Iterative, so hostile nesting cannot
 * overflow the stack.
 */
import type { RuleFaultCode, RuleIssue } from "./errors";
import { getCustomOperation } from "./operations";
import { DEFAULT_LIMITS, type RuleLimits } from "./runtime";
import { FORBIDDEN_KEYS, isStandardOperation } from "./standard";

export type ValidationResult = { ok: true } | { ok: false; errors: RuleIssue[] };
export type ValidationLimits = Pick<RuleLimits, "maxDepth" | "maxNodes" | "maxArrayLength">;

const MAX_REPORTED = 50;

/** [min, max] argument counts of standard operations whose arity json-logic-js leaves unchecked. */
const STANDARD_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  "==": [2, 2], "===": [2, 2], "!=": [2, 2], "!==": [2, 2], ">": [2, 2], ">=": [2, 2],
  "<": [2, 3], "<=": [2, 3], "%": [2, 2], "/": [2, 2], "-": [1, 2], "*": [1, Infinity],
  in: [2, 2], substr: [2, 3], var: [0, 2], missing_some: [2, 2],
  map: [2, 2], filter: [2, 2], all: [2, 2], none: [2, 2], some: [2, 2], reduce: [2, 3],
};

function arityOf(op: string): readonly [number, number] | undefined {
  const custom = getCustomOperation(op);
  return custom ? [custom.minArgs, custom.maxArgs] : STANDARD_ARITY[op];
}

/** JSON pointer segment escaping (RFC 6901). */
function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

function describeArity([min, max]: readonly [number, number]): string {
  if (min === max) return `${min} argument${min === 1 ? "" : "s"}`;
  return max === Infinity ? `at least ${min} argument${min === 1 ? "" : "s"}` : `${min} to ${max} arguments`;
}

interface Frame {
  node: unknown;
  path: string;
  depth: number;
}

/**
 * Checks a rule document. Returns every fault found (up to 50), each with the JSON pointer
 * of the faulty node, e.g. `{ path: "/if/1/>/0", message: "unknown operation \"foo\"" }`.
 */
export function validateRule(rule: unknown, limits: Partial<ValidationLimits> = {}): ValidationResult {
  const { maxDepth, maxNodes, maxArrayLength } = { ...DEFAULT_LIMITS, ...limits };
  const errors: RuleIssue[] = [];
  const report = (path: string, code: RuleFaultCode, message: string, params: RuleIssue["params"] = {}) => {
    if (errors.length < MAX_REPORTED) errors.push({ path, code, params, message });
  };
  const checkPath = (key: unknown, path: string) => {
    if (typeof key !== "string" && typeof key !== "number") return;
    const bad = String(key).split(".").find((segment) => FORBIDDEN_KEYS.has(segment));
    if (bad !== undefined) report(path, "forbidden_path_key", `forbidden key "${bad}" in data path`, { key: bad });
  };

  const stack: Frame[] = [{ node: rule, path: "", depth: 1 }];
  let nodes = 0;
  while (stack.length > 0 && errors.length < MAX_REPORTED) {
    const { node, path, depth } = stack.pop()!;
    if (++nodes > maxNodes) {
      report("", "too_many_nodes", `rule has more than ${maxNodes} nodes`, { max: maxNodes });
      break;
    }
    if (node === null || typeof node === "string" || typeof node === "boolean") continue;
    if (typeof node === "number") {
      if (!Number.isFinite(node)) report(path, "not_finite", "numbers must be finite");
      continue;
    }
    if (typeof node !== "object") {
      report(path, "not_json", `not a JSON value (${typeof node})`);
      continue;
    }
    if (depth > maxDepth) {
      report(path, "too_deep", `nested deeper than ${maxDepth} levels`, { max: maxDepth });
      continue;
    }
    if (Array.isArray(node)) {
      if (node.length > maxArrayLength) {
        report(path, "array_too_long", `array longer than ${maxArrayLength} elements (${node.length})`, { max: maxArrayLength, count: node.length });
        continue;
      }
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: pointer(path, i), depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) {
      report(path, "not_plain_object", "not a plain JSON object");
      continue;
    }
    const keys = Object.keys(node);
    const forbidden = keys.filter((k) => FORBIDDEN_KEYS.has(k));
    if (forbidden.length > 0) {
      for (const k of forbidden) report(pointer(path, k), "forbidden_key", `forbidden key "${k}"`, { key: k });
      continue;
    }
    if (keys.length !== 1) {
      if (keys.length === 0) report(path, "empty_object", "empty object: an operation needs exactly one key");
      else {
        const shown = keys.slice(0, 5).join(", ");
        report(path, "several_keys", `object with ${keys.length} keys (${shown}): an operation needs exactly one key`, { count: keys.length, keys: shown });
      }
      continue;
    }

    const op = keys[0];
    const opPath = pointer(path, op);
    const raw = (node as Record<string, unknown>)[op];
    const known = isStandardOperation(op) || getCustomOperation(op) !== undefined;
    if (!known) report(opPath, "unknown_operation", `unknown operation "${op}"`, { op });
    const arity = known ? arityOf(op) : undefined;

    if (Array.isArray(raw)) {
      if (raw.length > maxArrayLength) {
        report(opPath, "arguments_too_long", `argument list longer than ${maxArrayLength} (${raw.length})`, { max: maxArrayLength, count: raw.length });
        continue;
      }
      if (arity && (raw.length < arity[0] || raw.length > arity[1])) {
        report(opPath, "arity", `"${op}" expects ${describeArity(arity)}, got ${raw.length}`, { op, min: arity[0], max: arity[1] === Infinity ? "∞" : arity[1], count: raw.length });
      }
      for (let i = raw.length - 1; i >= 0; i--) stack.push({ node: raw[i], path: pointer(opPath, i), depth: depth + 1 });
    } else {
      if (arity && arity[0] > 1) report(opPath, "arity_array", `"${op}" expects an array of ${describeArity(arity)}`, { op, min: arity[0], max: arity[1] === Infinity ? "∞" : arity[1] });
      else if (arity && arity[1] < 1) report(opPath, "no_arguments", `"${op}" expects no arguments`, { op });
      stack.push({ node: raw, path: opPath, depth: depth + 1 });
    }

    // Literal data paths are checked here; computed ones are guarded when they are read.
    const args = Array.isArray(raw) ? raw : [raw];
    const argPath = (i: number) => (Array.isArray(raw) ? pointer(opPath, i) : opPath);
    if (op === "var") checkPath(args[0], argPath(0));
    else if (op === "missing" || op === "missing_some") {
      const listIndex = op === "missing_some" ? 1 : 0;
      const first = args[listIndex];
      if (Array.isArray(first)) first.slice(0, maxArrayLength).forEach((key, i) => checkPath(key, pointer(argPath(listIndex), i)));
      else if (op === "missing") args.slice(0, maxArrayLength).forEach((key, i) => checkPath(key, argPath(i)));
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
