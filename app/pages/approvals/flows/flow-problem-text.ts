import type { TFunction } from "i18next";
import type { EditorProblem } from "./editor-state";

/** A fault of the flow being edited in words: the editor's own codes, or the reason code SQL would give. */
export function flowProblemText(problem: EditorProblem, t: TFunction): string {
  if (problem.code === "condition_not_json" || problem.code === "flow_condition_invalid") {
    return t(`approvals.flowEditor.problems.${problem.code}Step`, { step: problem.step });
  }
  const values = Object.fromEntries(Object.entries(problem).map(([name, value]) => [name, String(value ?? "")]));
  return t(`errors.reasons.${problem.code}`, values);
}

/** A refused save in words: approval_flow_invalid names the fault in its details (code, step). */
export function flowSaveErrorText(error: unknown, t: TFunction, fallback: (error: unknown) => string): string {
  const { hint, details } = (error ?? {}) as { hint?: string; details?: string };
  if (hint === "approval_flow_invalid" && details?.startsWith("{")) {
    try {
      const parsed = JSON.parse(details) as EditorProblem;
      return flowProblemText(parsed, t);
    } catch {
      // not JSON: the general text below
    }
  }
  return fallback(error);
}
