/**
 * Rule → JavaScript source → one function per compiled rule, for the operations business rules are
 * made of (var, literals, comparisons, arithmetic, !, if, and, or, in, the custom operations). Any
 * other subtree (map/filter/reduce..., merge, cat, literal arrays...) is called as its closure from
 * compile.ts. Shared closures give the JIT one property-read site for every rule and every field, so
 * those reads go megamorphic; generated code gives each rule its own sites, which stay monomorphic.
 *
 * Safety: the source is built only from fixed templates, generated identifiers, finite numbers
 * (String) and strings as JSON.stringify literals; every other value is passed by reference. Data is
 * read through own properties only, as in compile-var.ts. Where generated code is not allowed (a CSP
 * without 'unsafe-eval'), sourceCompiler() returns undefined and the closures alone are used: the
 * results are the same (conformance.test.ts runs both).
 */
import { getCustomOperation } from "./operations";
import { state } from "./runtime";
import { isComparison } from "./compile-switch";
import { FORBIDDEN_KEYS, inOp, lessOrEqual, lessThan, subtract, toNumber, truthy } from "./standard";

type Fn = (data: unknown) => unknown;

/** Deeper rules go to the closures only (the generated expression nests once per level). */
const MAX_SOURCE_DEPTH = 64;

const ARITHMETIC = new Set(["/", "%"]);

const helpers = {
  truthy,
  toNumber,
  inOp,
  hasOwn: Object.prototype.hasOwnProperty,
  min: Math.min,
  max: Math.max,
  state,
  subtract,
  lessThan,
  lessOrEqual,
};
const HELPER_NAMES = Object.keys(helpers).join(", ");

/** A compiled expression: its source, and whether it always yields a boolean. */
interface Expr {
  code: string;
  bool?: boolean;
}

type Factory = (h: typeof helpers, k: unknown[], f: Fn[]) => Fn;

/** The Function constructor, or undefined where generated code is refused (checked per compile: rare). */
function functionConstructor(): FunctionConstructor | undefined {
  try {
    return Function("return 1")() === 1 ? Function : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns a compiler of validated rules to generated functions, or undefined where generated code is
 * not allowed. `closure(node)` builds the closure of a subtree the source does not cover.
 */
export function sourceCompiler(): ((rule: unknown, closure: (node: unknown) => Fn) => Fn | undefined) | undefined {
  const make = functionConstructor();
  if (!make) return undefined;
  return (rule, build) => {
    if (depth(rule) > MAX_SOURCE_DEPTH) return undefined;
    // Both passes meet the same subtrees: each subtree's closure is built once.
    const built = new Map<unknown, Fn>();
    const closure = (node: unknown) => built.get(node) ?? built.set(node, build(node)).get(node)!;
    // Pass 1 counts the reads of each path; pass 2 reads a path used twice or more once per evaluation.
    const counted = new Emitter(closure, new Map());
    const root = counted.expr(rule);
    if (counted.closures.length === 1 && root.code === "f0(d)") return undefined; // nothing to gain
    const emitter = new Emitter(closure, counted.reads);
    const body = emitter.program(emitter.expr(rule));
    const factory = make("h", "k", "f", body) as Factory;
    return factory(helpers, emitter.values, emitter.closures);
  };
}

function depth(node: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[node, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    if (n !== null && typeof n === "object") {
      for (const child of Array.isArray(n) ? n : Object.values(n)) stack.push([child, d + 1]);
    }
  }
  return max;
}

class Emitter {
  values: unknown[] = [];
  closures: Fn[] = [];
  private customIds = new Map<string, string>();
  /** Path read functions: key "<path>\u0000<notFound source>" → index. */
  private readIds = new Map<string, number>();
  private readSources: string[] = [];
  private temps = 0;
  usesContext = false;
  /** How often each read is used (filled by this pass; `known` holds the first pass's counts). */
  reads = new Map<string, number>();

  constructor(private closure: (node: unknown) => Fn, private known: Map<string, number>) {}

  program(root: Expr): string {
    const lines = ['"use strict";', `const { ${HELPER_NAMES} } = h;`];
    this.values.forEach((_, i) => lines.push(`const k${i} = k[${i}];`));
    this.closures.forEach((_, i) => lines.push(`const f${i} = f[${i}];`));
    lines.push(...this.readSources);
    const shared = [...this.readIds].filter(([key]) => (this.known.get(key) ?? 0) > 1).map(([, id]) => id);
    lines.push("return function rule(d) {");
    if (this.usesContext) lines.push("  const ctx = state.ctx;");
    if (this.temps) lines.push(`  let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(", ")};`);
    // Reads have no side effects and cannot fail, so reading a repeated path up front changes nothing.
    for (const id of shared) lines.push(`  const s${id} = r${id}(d);`);
    lines.push(`  return ${root.code};`, "};");
    return lines.join("\n");
  }

  expr(node: unknown): Expr {
    if (Array.isArray(node)) return this.fallback(node);
    if (node === null || typeof node !== "object") return this.literal(node);
    if (Object.keys(node).length !== 1) return this.fallback(node);
    const op = Object.keys(node)[0];
    const raw = (node as Record<string, unknown>)[op];
    const args = Array.isArray(raw) ? raw : [raw];
    const n = args.length;
    if (op === "var") return this.variable(args) ?? this.fallback(node);
    if (isComparison(op) && n === 2) {
      return { code: `(${this.expr(args[0]).code} ${op} ${this.expr(args[1]).code})`, bool: true };
    }
    if ((op === "<" || op === "<=") && n === 3) {
      const [a, b, c] = args.map((x) => this.expr(x).code);
      return { code: `${op === "<" ? "lessThan" : "lessOrEqual"}(${a}, ${b}, ${c})`, bool: true };
    }
    if (ARITHMETIC.has(op) && n === 2) return { code: `(${this.expr(args[0]).code} ${op} ${this.expr(args[1]).code})` };
    if (op === "!" && n === 1) return { code: `!${this.test(args[0])}`, bool: true };
    if (op === "!!" && n === 1) return { code: this.test(args[0]), bool: true };
    if (op === "+" && (n === 1 || n === 2)) {
      return { code: `(0 + ${args.map((a) => `toNumber(${this.expr(a).code})`).join(" + ")})` };
    }
    if (op === "*" && n === 1) return this.expr(args[0]);
    if (op === "*" && n === 2) return { code: `(toNumber(${this.expr(args[0]).code}) * toNumber(${this.expr(args[1]).code}))` };
    if (op === "-" && n === 1) return { code: `(-${this.expr(args[0]).code})` };
    if (op === "-" && n === 2) return { code: `subtract(${this.expr(args[0]).code}, ${this.expr(args[1]).code})` };
    if ((op === "min" || op === "max") && n === 2) return { code: `${op}(${this.expr(args[0]).code}, ${this.expr(args[1]).code})` };
    if (op === "in" && n === 2) return { code: `inOp(${this.expr(args[0]).code}, ${this.haystack(args[1])})`, bool: true };
    if (op === "if" || op === "?:") return this.conditional(args);
    if (op === "and" || op === "or") return this.andOr(args, op === "or");
    if (getCustomOperation(op)) return this.custom(op, args);
    return this.fallback(node);
  }

  /** A test's truth as a boolean expression. */
  private test(node: unknown): string {
    const e = this.expr(node);
    return e.bool ? e.code : `truthy(${e.code})`;
  }

  private literal(value: unknown): Expr {
    if (typeof value === "string") return { code: JSON.stringify(value) };
    if (typeof value === "boolean") return { code: String(value), bool: true };
    if (value === null) return { code: "null" };
    if (value === undefined) return { code: "(void 0)" };
    if (typeof value === "number" && Number.isFinite(value)) return { code: Object.is(value, -0) ? "(-0)" : `(${value})` };
    return { code: this.value(value) };
  }

  /** A value passed by reference (never inlined in the source). */
  private value(value: unknown): string {
    this.values.push(value);
    return `k${this.values.length - 1}`;
  }

  private fallback(node: unknown): Expr {
    this.closures.push(this.closure(node));
    return { code: `f${this.closures.length - 1}(d)` };
  }

  /** `var` with a constant path and a primitive default; anything else goes to the closure. */
  private variable(args: unknown[]): Expr | undefined {
    if (args.length > 2) return undefined;
    const [path, fallback] = args;
    if (path !== undefined && path !== null && typeof path !== "string" && typeof path !== "number") return undefined;
    if (fallback !== undefined && fallback !== null && typeof fallback === "object") return undefined;
    const notFound = this.literal(fallback === undefined ? null : fallback).code;
    if (path === undefined || path === null || path === "") return { code: "d" };
    const segments = String(path).split(".");
    if (segments.some((s) => FORBIDDEN_KEYS.has(s))) return { code: notFound };
    const key = `${String(path)}\u0000${notFound}`;
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    let id = this.readIds.get(key);
    if (id === undefined) {
      id = this.readIds.size;
      this.readIds.set(key, id);
      const steps = segments.map((s, i) => {
        const from = i === 0 ? "d" : `p${i - 1}`;
        return `  if (${from} == null || !hasOwn.call(${from}, ${JSON.stringify(s)})) return ${notFound};\n` +
          `  const p${i} = ${from}[${JSON.stringify(s)}];`;
      });
      const last = `p${segments.length - 1}`;
      this.readSources.push(`function r${id}(d) {\n${steps.join("\n")}\n  return ${last} === undefined ? ${notFound} : ${last};\n}`);
    }
    return { code: (this.known.get(key) ?? 0) > 1 ? `s${id}` : `r${id}(d)` };
  }

  /** `in`'s second argument: a literal array of primitives is shared (inOp only reads it). */
  private haystack(node: unknown): string {
    if (Array.isArray(node) && node.every((x) => x === null || typeof x !== "object")) return this.value(node);
    return this.expr(node).code;
  }

  private conditional(args: unknown[]): Expr {
    if (args.length === 0) return { code: "null" };
    if (args.length === 1) return this.expr(args[0]);
    let code = "";
    let i = 0;
    for (; i + 1 < args.length; i += 2) code += `${this.test(args[i])} ? ${this.expr(args[i + 1]).code} : `;
    code += i < args.length ? this.expr(args[i]).code : "null";
    return { code: `(${code})` };
  }

  /** `and` returns the first falsy value or the last; `or` the first truthy value or the last. */
  private andOr(args: unknown[], stopWhen: boolean): Expr {
    if (args.length === 0) return { code: "(void 0)" };
    if (args.length === 1) return this.expr(args[0]);
    const parts = args.map((a) => this.expr(a));
    if (parts.every((p) => p.bool)) return { code: `(${parts.map((p) => p.code).join(stopWhen ? " || " : " && ")})`, bool: true };
    const t = `t${this.temps++}`;
    let code = parts[parts.length - 1].code;
    for (let i = parts.length - 2; i >= 0; i--) {
      code = `(truthy(${t} = ${parts[i].code}) === ${stopWhen} ? ${t} : ${code})`;
    }
    return { code };
  }

  private custom(op: string, args: unknown[]): Expr {
    this.usesContext = true;
    let fn = this.customIds.get(op);
    if (fn === undefined) this.customIds.set(op, (fn = this.value(getCustomOperation(op)!.fn)));
    return { code: `${fn}(ctx${args.map((a) => `, ${this.expr(a).code}`).join("")})` };
  }
}
