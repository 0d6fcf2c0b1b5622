import type { TFunction } from "i18next";
import { parseTree, type ParseError } from "jsonc-parser";
import { evaluateRule, RuleEvaluationError, validateRule, type RuleIssue } from "../../../core/rules";

/** Where a JSON syntax error is, 1-based (the end for a truncated text). */
export interface JsonFault {
  line: number;
  column: number;
}

export type LogicCheck =
  | ({ state: "json" } & JsonFault)
  | { state: "invalid"; errors: RuleIssue[] }
  | { state: "ok"; logic: unknown };

/** The first syntax error's place (JSON.parse's own message names no position on every engine). */
function jsonFault(text: string): JsonFault {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const offset = Math.min(errors[0]?.offset ?? text.length, text.length);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

type Parsed = { ok: true; value: unknown } | ({ ok: false } & JsonFault);

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, ...jsonFault(text) };
  }
}

/** Parses the editor's text and validates it as a rule (faults with JSON-pointer paths). */
export function checkLogic(text: string): LogicCheck {
  const parsed = parseJson(text);
  if (!parsed.ok) return { state: "json", line: parsed.line, column: parsed.column };
  const result = validateRule(parsed.value);
  return result.ok ? { state: "ok", logic: parsed.value } : { state: "invalid", errors: result.errors };
}

/** A validation fault in the user's language (rules.faults.<code>). */
export function faultText(issue: RuleIssue, t: TFunction): string {
  const { min, max } = issue.params;
  const range = min === undefined ? undefined : min === max ? String(min) : max === "∞" ? t("rules.faults.atLeast", { min }) : `${min}–${max}`;
  return t(`rules.faults.${issue.code}`, { ...issue.params, range });
}

export type BenchOutcome =
  | ({ state: "input" } & JsonFault)
  | { state: "error"; op: string; argument?: string }
  | { state: "ok"; value: unknown };

/** Runs a valid rule on the bench's sample input, with the installation's tier ladder. */
export function runBench(logic: unknown, inputText: string, tierLadder: readonly string[] | undefined): BenchOutcome {
  const parsed = parseJson(inputText);
  if (!parsed.ok) return { state: "input", line: parsed.line, column: parsed.column };
  try {
    return { state: "ok", value: evaluateRule(logic, parsed.value, tierLadder?.length ? { context: { tierLadder } } : {}) };
  } catch (error) {
    if (error instanceof RuleEvaluationError) return { state: "error", op: error.op, argument: error.argument };
    return { state: "error", op: "rule" };
  }
}
