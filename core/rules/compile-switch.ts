/**
 * If-chains that compare one expression against literals ("bu == hotel → 2, bu == park → 1.5, …"
 * or a tier ladder) evaluate that expression once instead of once per test. Operations are pure,
 * so the result is the same; only repeated work disappears.
 */

type Fn = (data: unknown) => unknown;
type N = number;

/** The comparison operations (two operands). */
export const COMPARISONS = ["==", "===", "!=", "!==", "<", "<=", ">", ">="] as const;
type Comparison = (typeof COMPARISONS)[number];
export const isComparison = (op: string): op is Comparison => (COMPARISONS as readonly string[]).includes(op);
/** The same comparison with its operands swapped (`3 >= x` is `x <= 3`). */
const MIRROR: Record<Comparison, Comparison> = {
  "==": "==", "===": "===", "!=": "!=", "!==": "!==", "<": ">", "<=": ">=", ">": "<", ">=": "<=",
};

export interface SwitchShape {
  subject: unknown;
  tests: { op: Comparison; value: unknown }[];
}

const isLiteral = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);
const isOperation = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

/** The shared subject and literal tests of an if-chain's raw arguments, if it has that shape. */
export function matchSwitch(raw: unknown[]): SwitchShape | undefined {
  const pairs = Math.floor(raw.length / 2);
  if (pairs < 2) return undefined;
  let subject: unknown, key: string | undefined;
  const tests: SwitchShape["tests"] = [];
  for (let i = 0; i < pairs; i++) {
    const test = raw[2 * i];
    if (!isOperation(test)) return undefined;
    const op = Object.keys(test as object)[0];
    const args = (test as Record<string, unknown>)[op];
    if (!isComparison(op) || !Array.isArray(args) || args.length !== 2) return undefined;
    const [left, right] = args;
    const flipped = isLiteral(left) && isOperation(right);
    if (!flipped && !(isOperation(left) && isLiteral(right))) return undefined;
    const side = flipped ? right : left;
    const sideKey = JSON.stringify(side);
    if (key === undefined) [subject, key] = [side, sideKey];
    else if (sideKey !== key) return undefined;
    tests.push({ op: flipped ? MIRROR[op] : op, value: flipped ? left : right });
  }
  return { subject, tests };
}

function compare(op: Comparison, x: unknown, y: unknown): boolean {
  switch (op) {
    case "==": return x == y;
    case "===": return x === y;
    case "!=": return x != y;
    case "!==": return x !== y;
    case "<": return (x as N) < (y as N);
    case "<=": return (x as N) <= (y as N);
    case ">": return (x as N) > (y as N);
    default: return (x as N) >= (y as N);
  }
}

/** A literal result is returned as is; otherwise the result closure runs. */
export interface Branch {
  literal: boolean;
  value: unknown;
  fn: Fn;
}

export function buildSwitch(subject: Fn, shape: SwitchShape, branches: Branch[], otherwise: Branch): Fn {
  const ops = shape.tests.map((t) => t.op);
  const values = shape.tests.map((t) => t.value);
  if (ops.every((op) => op === ops[0]) && branches.every((b) => b.literal) && otherwise.literal) {
    return literalSwitch(subject, ops[0], values, branches.map((b) => b.value), otherwise.value);
  }
  return (d) => {
    const x = subject(d);
    for (let i = 0; i < ops.length; i++) {
      if (compare(ops[i], x, values[i])) {
        const branch = branches[i];
        return branch.literal ? branch.value : branch.fn(d);
      }
    }
    return otherwise.literal ? otherwise.value : otherwise.fn(d);
  };
}

/** The common ladders and lookup tables: one comparison throughout, literal results. */
function literalSwitch(subject: Fn, op: Comparison, values: unknown[], results: unknown[], last: unknown): Fn {
  const n = values.length;
  switch (op) {
    case "==":
      return (d) => {
        const x = subject(d);
        for (let i = 0; i < n; i++) if (x == values[i]) return results[i];
        return last;
      };
    case "===":
      return (d) => {
        const x = subject(d);
        for (let i = 0; i < n; i++) if (x === values[i]) return results[i];
        return last;
      };
    case ">=":
      return (d) => {
        const x = subject(d) as N;
        for (let i = 0; i < n; i++) if (x >= (values[i] as N)) return results[i];
        return last;
      };
    case ">":
      return (d) => {
        const x = subject(d) as N;
        for (let i = 0; i < n; i++) if (x > (values[i] as N)) return results[i];
        return last;
      };
    default:
      return (d) => {
        const x = subject(d);
        for (let i = 0; i < n; i++) if (compare(op, x, values[i])) return results[i];
        return last;
      };
  }
}
