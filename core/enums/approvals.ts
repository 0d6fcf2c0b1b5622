import { ROLES, type Role } from "./roles.ts";

/**
 * Approvals: the statuses of requests and tasks (SQL enum types approval_request_status and
 * approval_task_status), what a flow step may say, and the limits of a points adjustment
 * (private.assert_adjustment_data, the points-compensation form).
 */
export const APPROVAL_REQUEST_STATUSES = ["pending", "approved", "rejected", "withdrawn", "failed"] as const;
export type ApprovalRequestStatus = (typeof APPROVAL_REQUEST_STATUSES)[number];

export const APPROVAL_TASK_STATUSES = ["pending", "approved", "rejected", "cancelled"] as const;
export type ApprovalTaskStatus = (typeof APPROVAL_TASK_STATUSES)[number];

/** Whose step it is: the requester's unit, the whole group, or a named unit (unit_code). */
export const APPROVAL_SCOPES = ["requester_unit", "group", "unit"] as const;
/** any: one approver decides the step; all: every approver eligible when it opened. */
export const APPROVAL_MODES = ["any", "all"] as const;

/** The timeline's events (approval_events.event). */
export const APPROVAL_EVENTS = [
  "submitted", "step_opened", "step_skipped", "approved", "rejected", "withdrawn", "reminded", "escalated", "executed",
  "failed", "resubmitted",
] as const;
export type ApprovalEvent = (typeof APPROVAL_EVENTS)[number];

/** What a flow does on final approval (approval_flows.action). */
export const APPROVAL_FLOW_ACTIONS = ["points_adjustment", "definition_publish", "card_recharge", "tier_sale", "benefit_grant", "benefit_campaign", "campaign_launch"] as const;
export type ApprovalFlowAction = (typeof APPROVAL_FLOW_ACTIONS)[number];

/** Roles that may approve a step or take an escalation (analysts decide nothing; private.approval_flow_problem). */
export const APPROVER_ROLES: readonly Role[] = ROLES.filter((role) => role !== "analyst");

/** Limits of a flow's steps (private.approval_flow_problem). */
export const FLOW_LIMITS = { maxSteps: 10, maxSlaHours: 720, minSlaHours: 1, minReminderHours: 0.5, maxNameLength: 100 } as const;

/** The flow a publish goes through when publishing needs approval, and the kinds where that can be switched on
 * (public.definition_publish_settings). */
export const DEFINITION_PUBLISH_FLOW = "definition-publish";
export const PUBLISH_APPROVAL_KINDS = ["rule", "approval_flow", "form", "benefit", "segment"] as const;
export type PublishApprovalKind = (typeof PUBLISH_APPROVAL_KINDS)[number];

/** Largest number of points one adjustment grants or deducts. */
export const MAX_ADJUSTMENT_POINTS = 1_000_000;

export const approvalRequestStatusLabel = (status: string) => `approvals.requestStatuses.${status}`;
export const approvalEventLabel = (event: string) => `approvals.events.${event}`;
export const approvalFlowActionLabel = (action: string) => `approvals.flowActions.${action}`;
export const approvalScopeLabel = (scope: string) => `approvals.scopes.${scope}`;
export const approvalModeLabel = (mode: string) => `approvals.modes.${mode}`;
