/**
 * `var` closures. Every step of a path costs an own-property check and a keyed load, so a path a
 * rule reads more than once at top level (outside map/filter/reduce/all/none/some bodies, where
 * `var` reads the evaluation's data object) is read once per evaluation and shared: data never
 * changes while an evaluation runs.
 */
import { matchSwitch } from "./compile-switch";
import { state } from "./runtime";
import { FORBIDDEN_KEYS, lookup } from "./standard";

type Fn = (data: unknown) => unknown;
type Constant = (f: Fn) => { value: unknown } | undefined;

/** Operations whose arguments after the first run on each element, not on the evaluation's data. */
export const ITERATIONS: ReadonlySet<string> = new Set(["map", "filter", "reduce", "all", "none", "some"]);

interface Slot {
  /** The evaluation (state.evaluation) `value` was read in. */
  evaluation: number;
  value: unknown;
}

/** A compiled rule's shared reads: the paths worth sharing and their slots. */
export interface SharedReads {
  repeated: ReadonlySet<string>;
  slots: Map<string, Slot>;
}

/** Constant `var` paths without a default that a validated rule reads more than once at top level. */
export function sharedReads(rule: unknown): SharedReads {
  const seen = new Set<string>(), repeated = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    const op = Object.keys(node)[0];
    const raw = (node as Record<string, unknown>)[op];
    const args = Array.isArray(raw) ? raw : [raw];
    if (op === "var" && args.length === 1 && (typeof args[0] === "string" || typeof args[0] === "number")) {
      const path = String(args[0]);
      (seen.has(path) ? repeated : seen).add(path);
    }
    const shape = op === "if" || op === "?:" ? matchSwitch(args) : undefined;
    if (shape) { // the subject of a switch is evaluated once (compile-switch.ts)
      walk(shape.subject);
      args.forEach((arg, i) => (i % 2 === 1 || i === args.length - 1) && walk(arg));
    } else {
      (ITERATIONS.has(op) ? args.slice(0, 1) : args).forEach(walk);
    }
  };
  walk(rule);
  return { repeated, slots: new Map() };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `shared` is the rule's table while building top-level nodes, undefined inside iteration bodies. */
export function buildVar(args: Fn[], constant: Constant, shared: SharedReads | undefined): Fn {
  const [pathFn, fallbackFn] = args;
  const path = pathFn ? constant(pathFn) : { value: undefined };
  const fallback = fallbackFn ? constant(fallbackFn) : { value: undefined };
  if (!path || !fallback || Array.isArray(fallback.value) || args.length > 2) {
    const extra = args.slice(2);
    return (d) => {
      const p = pathFn ? pathFn(d) : undefined, f = fallbackFn ? fallbackFn(d) : undefined;
      for (const e of extra) e(d);
      return lookup(d, p, f === undefined ? null : f);
    };
  }
  const notFound = fallback.value === undefined ? null : fallback.value;
  if (path.value === undefined || path.value === null || path.value === "") return (d) => d;
  const key = String(path.value);
  const segments = key.split(".");
  if (segments.some((s) => FORBIDDEN_KEYS.has(s))) return () => notFound;
  // Validation refused forbidden segments, so only own-property checks remain on the hot path.
  const read = readPath(segments, notFound);
  if (!shared || args.length > 1 || !shared.repeated.has(key)) return read;
  let slot = shared.slots.get(key);
  if (!slot) shared.slots.set(key, (slot = { evaluation: -1, value: undefined }));
  const s = slot;
  return (d) => {
    if (s.evaluation !== state.evaluation) {
      s.value = read(d);
      s.evaluation = state.evaluation;
    }
    return s.value;
  };
}

function readPath(segments: string[], notFound: unknown): Fn {
  if (segments.length === 1) {
    const [key] = segments;
    return (d) => {
      if (d === null || d === undefined || !hasOwn.call(d, key)) return notFound;
      const v = (d as Record<string, unknown>)[key];
      return v === undefined ? notFound : v;
    };
  }
  if (segments.length === 2) {
    const [outer, inner] = segments;
    return (d) => {
      if (d === null || d === undefined || !hasOwn.call(d, outer)) return notFound;
      const parent = (d as Record<string, unknown>)[outer];
      if (parent === null || parent === undefined || !hasOwn.call(parent, inner)) return notFound;
      const v = (parent as Record<string, unknown>)[inner];
      return v === undefined ? notFound : v;
    };
  }
  return (d) => {
    let current = d;
    for (let i = 0; i < segments.length; i++) {
      if (current === null || current === undefined || !hasOwn.call(current, segments[i])) return notFound;
      current = (current as Record<string, unknown>)[segments[i]];
    }
    return current === undefined ? notFound : current;
  };
}
