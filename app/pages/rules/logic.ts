import { evaluateRule, validateRule, type RuleIssue } from "../../../core/rules";

export type LogicCheck =
  | { state: "json"; message: string }
  | { state: "invalid"; errors: RuleIssue[] }
  | { state: "ok"; logic: unknown };

/** Parses the editor's text and validates it as a rule (faults with JSON-pointer paths). */
export function checkLogic(text: string): LogicCheck {
  let logic: unknown;
  try {
    logic = JSON.parse(text);
  } catch (error) {
    return { state: "json", message: (error as Error).message };
  }
  const result = validateRule(logic);
  return result.ok ? { state: "ok", logic } : { state: "invalid", errors: result.errors };
}

export type BenchOutcome = { state: "input"; message: string } | { state: "error"; message: string } | { state: "ok"; value: unknown };

/** Runs a valid rule on the bench's sample input, with the installation's tier ladder. */
export function runBench(logic: unknown, inputText: string, tierLadder: readonly string[] | undefined): BenchOutcome {
  let data: unknown;
  try {
    data = JSON.parse(inputText);
  } catch (error) {
    return { state: "input", message: (error as Error).message };
  }
  try {
    return { state: "ok", value: evaluateRule(logic, data, tierLadder?.length ? { context: { tierLadder } } : {}) };
  } catch (error) {
    return { state: "error", message: (error as Error).message };
  }
}
