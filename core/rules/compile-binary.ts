/**
 * Closures for two-argument operations, specialised for a constant on either side so a literal
 * costs no call at run time (literals are most of the leaves in business rules).
 * None of these operations returns or changes its arguments, so constants may be shared.
 */
import { concat, inOp, subtract, toNumber } from "./standard";

type Fn = (data: unknown) => unknown;
type N = number;

export const BINARY_OPERATIONS: ReadonlySet<string> = new Set([
  "==", "===", "!=", "!==", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "min", "max", "in", "cat",
]);

export function buildBinary(op: string, a: Fn, b: Fn, constant: (f: Fn) => { value: unknown } | undefined): Fn {
  const right = constant(b);
  if (right) return constRight(op, a, right.value);
  const left = constant(a);
  if (left) return constLeft(op, left.value, b);
  return dynamic(op, a, b);
}

function dynamic(op: string, a: Fn, b: Fn): Fn {
  switch (op) {
    case "==": return (d) => a(d) == b(d);
    case "===": return (d) => a(d) === b(d);
    case "!=": return (d) => a(d) != b(d);
    case "!==": return (d) => a(d) !== b(d);
    case ">": return (d) => (a(d) as N) > (b(d) as N);
    case ">=": return (d) => (a(d) as N) >= (b(d) as N);
    case "<": return (d) => (a(d) as N) < (b(d) as N);
    case "<=": return (d) => (a(d) as N) <= (b(d) as N);
    case "+": return (d) => 0 + toNumber(a(d)) + toNumber(b(d));
    case "*": return (d) => toNumber(a(d)) * toNumber(b(d));
    case "/": return (d) => (a(d) as N) / (b(d) as N);
    case "%": return (d) => (a(d) as N) % (b(d) as N);
    case "min": return (d) => Math.min(a(d) as N, b(d) as N);
    case "max": return (d) => Math.max(a(d) as N, b(d) as N);
    case "in": return (d) => inOp(a(d), b(d));
    case "cat": return (d) => concat([a(d), b(d)]);
    default: return (d) => subtract(a(d) as N, b(d) as N); // "-"
  }
}

function constRight(op: string, a: Fn, y: unknown): Fn {
  const n = y as N;
  switch (op) {
    case "==": return (d) => a(d) == y;
    case "===": return (d) => a(d) === y;
    case "!=": return (d) => a(d) != y;
    case "!==": return (d) => a(d) !== y;
    case ">": return (d) => (a(d) as N) > n;
    case ">=": return (d) => (a(d) as N) >= n;
    case "<": return (d) => (a(d) as N) < n;
    case "<=": return (d) => (a(d) as N) <= n;
    case "+": {
      const yn = toNumber(y);
      return (d) => 0 + toNumber(a(d)) + yn;
    }
    case "*": {
      const yn = toNumber(y);
      return (d) => toNumber(a(d)) * yn;
    }
    case "/": return (d) => (a(d) as N) / n;
    case "%": return (d) => (a(d) as N) % n;
    case "min": return (d) => Math.min(a(d) as N, n);
    case "max": return (d) => Math.max(a(d) as N, n);
    case "in": return (d) => inOp(a(d), y);
    case "cat": return (d) => concat([a(d), y]);
    default: return y === undefined ? (d) => -(a(d) as N) : (d) => (a(d) as N) - n; // "-"
  }
}

function constLeft(op: string, x: unknown, b: Fn): Fn {
  const n = x as N;
  switch (op) {
    case "==": return (d) => x == b(d);
    case "===": return (d) => x === b(d);
    case "!=": return (d) => x != b(d);
    case "!==": return (d) => x !== b(d);
    case ">": return (d) => n > (b(d) as N);
    case ">=": return (d) => n >= (b(d) as N);
    case "<": return (d) => n < (b(d) as N);
    case "<=": return (d) => n <= (b(d) as N);
    case "+": {
      const xn = 0 + toNumber(x);
      return (d) => xn + toNumber(b(d));
    }
    case "*": {
      const xn = toNumber(x);
      return (d) => xn * toNumber(b(d));
    }
    case "/": return (d) => n / (b(d) as N);
    case "%": return (d) => n % (b(d) as N);
    case "min": return (d) => Math.min(n, b(d) as N);
    case "max": return (d) => Math.max(n, b(d) as N);
    case "in": return (d) => inOp(x, b(d));
    case "cat": return (d) => concat([x, b(d)]);
    default: return (d) => subtract(n, b(d) as N); // "-"
  }
}
