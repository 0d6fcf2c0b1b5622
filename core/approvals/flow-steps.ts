/**
 * An approval flow's steps and what SQL refuses in them (private.approval_flow_problem, the trigger on
 * approval_flows): the flow editor shows the same reason code under the step as the administrator edits, before
 * the server refuses the save. tests/db/flow-conditions-parity.test.ts checks both sides agree case by case.
 */
import { APPROVAL_MODES, APPROVAL_SCOPES, APPROVER_ROLES, FLOW_LIMITS } from "../enums/approvals.ts";
import { flowConditionProblem, type FlowConditionProblem } from "./flow-conditions.ts";

export type ApprovalScope = (typeof APPROVAL_SCOPES)[number];
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** One step as stored in approval_flows.steps. */
export interface FlowStep {
  key: string;
  name: string;
  name_en?: string | null;
  approver_role: string;
  scope: ApprovalScope;
  unit_code?: string | null;
  mode: ApprovalMode;
  condition?: unknown;
  sla_hours: number;
  reminder_hours?: number | null;
  escalate_to?: string | null;
}

/** A refusal: its reason code (errors.reasons.<code>) and values, as SQL puts them in DETAIL. */
export type FlowStepsProblem =
  | { code: "flow_steps_count"; max: number }
  | { code: "flow_step_key" | "flow_step_name" | "flow_step_scope" | "flow_step_mode"; step: number }
  | { code: "flow_step_key_repeated"; step: number; key: string }
  | { code: "flow_step_role"; step: number; role: string | null }
  | { code: "flow_step_unit"; step: number; unit_code: string | null }
  | { code: "flow_step_sla"; step: number; max_hours: number }
  | { code: "flow_condition_invalid"; step: number; problem: FlowConditionProblem }
  | { code: "flow_without_unconditional_step" };

const STEP_KEY = /^[a-z][a-z0-9_]{0,31}$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
/** As Postgres's `->>`: text of a string, JSON text of anything else, null for null or absent. */
const text = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === "string" ? value : JSON.stringify(value));
const chars = (s: string) => [...s.replace(/^ +| +$/g, "")].length;
const isApprover = (role: string | null) => role !== null && (APPROVER_ROLES as readonly string[]).includes(role);

/** The first fault of `steps` (1-based step numbers), or null. `unitCodes`: the business units' codes. */
export function flowStepsProblem(steps: unknown, unitCodes: readonly string[]): FlowStepsProblem | null {
  if (!Array.isArray(steps) || steps.length < 1 || steps.length > FLOW_LIMITS.maxSteps) return { code: "flow_steps_count", max: FLOW_LIMITS.maxSteps };
  const keys = new Set<string>();
  let unconditional = false;
  for (const [index, step] of steps.entries()) {
    const n = index + 1;
    if (!isObject(step) || !STEP_KEY.test(text(step.key) ?? "")) return { code: "flow_step_key", step: n };
    const key = text(step.key)!;
    if (keys.has(key)) return { code: "flow_step_key_repeated", step: n, key };
    keys.add(key);
    const name = text(step.name);
    if (name === null || chars(name) < 1 || chars(name) > FLOW_LIMITS.maxNameLength) return { code: "flow_step_name", step: n };
    if (!isApprover(text(step.approver_role))) return { code: "flow_step_role", step: n, role: text(step.approver_role) };
    if ("escalate_to" in step && step.escalate_to !== null && !isApprover(text(step.escalate_to))) {
      return { code: "flow_step_role", step: n, role: text(step.escalate_to) };
    }
    if (!(APPROVAL_SCOPES as readonly string[]).includes(text(step.scope) ?? "")) return { code: "flow_step_scope", step: n };
    if (step.scope === "unit" && !unitCodes.includes(text(step.unit_code) ?? "")) return { code: "flow_step_unit", step: n, unit_code: text(step.unit_code) };
    if (!(APPROVAL_MODES as readonly string[]).includes(text(step.mode) ?? "")) return { code: "flow_step_mode", step: n };
    const sla = { code: "flow_step_sla", step: n, max_hours: FLOW_LIMITS.maxSlaHours } as const;
    if (typeof step.sla_hours !== "number" || step.sla_hours < FLOW_LIMITS.minSlaHours || step.sla_hours > FLOW_LIMITS.maxSlaHours) return sla;
    const reminder = step.reminder_hours;
    if (reminder !== undefined && reminder !== null && typeof reminder !== "number") return sla;
    if (typeof reminder === "number" && (reminder < FLOW_LIMITS.minReminderHours || reminder > step.sla_hours)) return sla;
    if (step.condition !== undefined && step.condition !== null) {
      const problem = flowConditionProblem(step.condition);
      if (problem) return { code: "flow_condition_invalid", step: n, problem };
    } else {
      unconditional = true;
    }
  }
  return unconditional ? null : { code: "flow_without_unconditional_step" };
}
