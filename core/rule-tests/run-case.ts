/**
 * Saved test cases of a rule (public.rule_test_cases), run the same way in the browser's test bench and in the
 * engine's verification job (engine/rule-tests.ts): the rule's logic on the case's input with core/rules, the
 * installation's tier ladder, and the kind's result check; a result compares as the kind uses it (an earning rule's as its points).
 */
import { evaluateRule, RuleEvaluationError } from "../rules/index.ts";
import { ruleKind } from "../rule-kinds/index.ts";

export interface RuleTestCase {
  id?: string;
  name: string;
  input: unknown;
  expected: unknown;
}

export type RuleResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface CaseOutcome {
  id?: string;
  name: string;
  passed: boolean;
  actual?: unknown;
  error?: string;
}

/** The result a case compares: the kind-checked value (an earning rule's points), or why there is none. */
export function ruleResult(kind: string, logic: unknown, input: unknown, tierLadder?: readonly string[]): RuleResult {
  let value: unknown;
  try {
    value = evaluateRule(logic, input, tierLadder?.length ? { context: { tierLadder } } : {});
  } catch (error) {
    if (error instanceof RuleEvaluationError) return { ok: false, error: error.message };
    return { ok: false, error: (error as Error)?.message ?? String(error) };
  }
  const kindModule = ruleKind(kind);
  const problem = kindModule.checkResult(value);
  if (problem) return { ok: false, error: problem };
  return { ok: true, value: (kindModule.normalizeResult ? kindModule.normalizeResult(value) : value) ?? null };
}

/** JSON with object keys sorted, so two equal results print alike. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v) ?? "null";
}

export function runCase(kind: string, logic: unknown, testCase: RuleTestCase, tierLadder?: readonly string[]): CaseOutcome {
  const result = ruleResult(kind, logic, testCase.input, tierLadder);
  const base = { ...(testCase.id ? { id: testCase.id } : {}), name: testCase.name };
  if (!result.ok) return { ...base, passed: false, error: result.error };
  return { ...base, passed: canonical(result.value) === canonical(testCase.expected ?? null), actual: result.value };
}

export function runCases(kind: string, logic: unknown, cases: readonly RuleTestCase[], tierLadder?: readonly string[]) {
  const outcomes = cases.map((c) => runCase(kind, logic, c, tierLadder));
  return { passed: outcomes.every((o) => o.passed), outcomes };
}
