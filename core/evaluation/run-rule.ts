import { MAX_RULE_MESSAGE_LENGTH } from "../enums/limits.ts";
import { RuleLimitError, type OperationContext } from "../rules/index.ts";
import type { LoadedRule, RuleProblem } from "./types.ts";

/** A short English description of a value for result errors. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

export function ruleProblem(rule: LoadedRule, stage: RuleProblem["stage"], message: string): RuleProblem {
  return { rule_id: rule.id, rule_key: rule.key, rule_version: rule.version, stage, message: message.slice(0, MAX_RULE_MESSAGE_LENGTH) };
}

/** Runs one rule; a throwing rule is recorded as an `evaluate` problem and gives nothing. */
export function runRule(rule: LoadedRule, data: unknown, context: OperationContext, errors: RuleProblem[]): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: rule.run!(data, context) };
  } catch (error) {
    const problem = ruleProblem(rule, "evaluate", (error as Error)?.message ?? String(error));
    if (error instanceof RuleLimitError) problem.limit = error.limit;
    errors.push(problem);
    return { ok: false };
  }
}
