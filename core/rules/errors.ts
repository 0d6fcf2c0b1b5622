/** What is wrong, as a stable code the app translates (rules.faults.<code>), with the values in `params`. */
export const RULE_FAULT_CODES = [
  "too_many_nodes", "not_finite", "not_json", "too_deep", "array_too_long", "not_plain_object",
  "forbidden_key", "forbidden_path_key", "empty_object", "several_keys", "unknown_operation",
  "arguments_too_long", "arity", "arity_array", "no_arguments",
] as const;
export type RuleFaultCode = (typeof RULE_FAULT_CODES)[number];

/** One problem found in a rule, located by a JSON pointer into the rule document. */
export interface RuleIssue {
  /** JSON pointer (RFC 6901) to the faulty node; "" is the whole rule. */
  path: string;
  code: RuleFaultCode;
  params: Record<string, string | number>;
  /** The same in English, for logs and the engine's reports. */
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

/** Which bound stopped an evaluation. */
export type RuleLimitKind = "iterations" | "work" | "memory" | "string" | "time";

/** Thrown when an evaluation exceeds a bound of time, memory or work (see RuleLimits). */
export class RuleLimitError extends RuleEvaluationError {
  readonly limit: RuleLimitKind;

  constructor(op: string, message: string, limit: RuleLimitKind) {
    super(op, message);
    this.name = "RuleLimitError";
    this.limit = limit;
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
