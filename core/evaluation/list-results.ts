import type { RuleKind } from "../rule-kinds/index.ts";
import type { RuleBook } from "./rule-book.ts";
import { ruleProblem, runRule } from "./run-rule.ts";
import type { ResultError, RuleProblem } from "./types.ts";

/**
 * Runs the group-wide rules of a kind whose results are lists (reminders, tags), in force at `at`: each
 * valid list in evaluation order; with the policy `first`, up to the first non-empty one.
 */
export function listResults<T>(
  book: RuleBook,
  kind: RuleKind,
  data: unknown,
  at: number,
  toList: (value: unknown) => T[] | ResultError,
): { lists: T[][]; errors: RuleProblem[] } {
  const errors: RuleProblem[] = [];
  const lists: T[][] = [];
  const { combination, rules } = book.inForce(kind, null, at);
  for (const rule of rules) {
    const result = runRule(rule, data, book.context, errors);
    if (!result.ok) continue;
    const list = toList(result.value);
    if (!Array.isArray(list)) {
      errors.push(ruleProblem(rule, "result", list.error));
      continue;
    }
    lists.push(list);
    if (combination === "first" && list.length) break;
  }
  return { lists, errors };
}
