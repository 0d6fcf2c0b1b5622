/** One problem found in a rule, located by a JSON pointer into the rule document. */
export interface RuleIssue {
  /** JSON pointer (RFC 6901) to the faulty node; "" is the whole rule. */
  path: string;
  message: string;
}

/** Thrown by `compileRule`/`evaluateRule` when a rule fails validation. */
export class RuleValidationError extends Error {
  readonly errors: RuleIssue[];

  constructor(errors: RuleIssue[]) {
    const shown = errors.slice(0, 3).map((e) => `${e.path || "(root)"}: ${e.message}`);
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : "";
    super(`invalid rule: ${shown.join("; ")}${more}`);
    this.name = "RuleValidationError";
    this.errors = errors;
  }
}

/** Thrown while a rule runs: a bad argument to an operation, or an evaluation limit reached. */
export class RuleEvaluationError extends Error {
  readonly op: string;
  readonly argument?: string;

  constructor(op: string, message: string, argument?: string) {
    super(`${op}: ${message}`);
    this.name = "RuleEvaluationError";
    this.op = op;
    this.argument = argument;
  }
}

/** Short, bounded description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : "a Date";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** Throws the standard "bad argument" error of a custom operation. */
export function badArgument(op: string, argument: string, expected: string, value: unknown): never {
  throw new RuleEvaluationError(op, `argument '${argument}' must be ${expected}, got ${describeValue(value)}`, argument);
}
