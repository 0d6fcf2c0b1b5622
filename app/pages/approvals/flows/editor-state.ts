import { flowConditionProblem } from "../../../../core/approvals/flow-conditions.ts";
import { flowStepsProblem, type FlowStep, type FlowStepsProblem } from "../../../../core/approvals/flow-steps.ts";

/** A step as the editor holds it: the condition also as the text being typed. */
export interface EditorStep extends FlowStep {
  conditionText: string;
}

export const toEditorStep = (step: FlowStep): EditorStep => ({
  ...step,
  conditionText: step.condition === null || step.condition === undefined ? "" : JSON.stringify(step.condition, null, 2),
});

/** The condition typed in a step: null when blank, `invalid` when not JSON. */
export function parseCondition(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text.trim()) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The steps as stored, or null while a condition is not JSON. */
export function storedSteps(steps: EditorStep[]): FlowStep[] | null {
  const out: FlowStep[] = [];
  for (const { conditionText, ...step } of steps) {
    const parsed = parseCondition(conditionText);
    if (!parsed.ok) return null;
    out.push({ ...step, condition: parsed.value, unit_code: step.scope === "unit" ? (step.unit_code ?? null) : null });
  }
  return out;
}

/** What stops saving: a condition that is not JSON (step number), else the first fault SQL would refuse. */
export type EditorProblem = { code: "condition_not_json"; step: number } | FlowStepsProblem;

export function editorProblem(steps: EditorStep[], unitCodes: readonly string[]): EditorProblem | null {
  const broken = steps.findIndex((step) => !parseCondition(step.conditionText).ok);
  if (broken >= 0) return { code: "condition_not_json", step: broken + 1 };
  return flowStepsProblem(storedSteps(steps), unitCodes);
}

/** The fault of one step's condition as typed, for the hint under its field. */
export function conditionProblem(text: string): "condition_not_json" | "flow_condition_invalid" | null {
  const parsed = parseCondition(text);
  if (!parsed.ok) return "condition_not_json";
  return flowConditionProblem(parsed.value) ? "flow_condition_invalid" : null;
}

/** A new step after the others: a free key, the unit manager of the requester's unit, 24 hours. */
export function newStep(existing: EditorStep[]): EditorStep {
  let n = existing.length + 1;
  while (existing.some((step) => step.key === `step_${n}`)) n++;
  return {
    key: `step_${n}`, name: "", name_en: null, approver_role: "manager", scope: "requester_unit", unit_code: null, mode: "any",
    condition: null, conditionText: "", sla_hours: 24, reminder_hours: 8, escalate_to: "director",
  };
}

export const moved = <T,>(list: T[], from: number, to: number): T[] => {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
};
