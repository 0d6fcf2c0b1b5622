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

/** Largest number of points one adjustment grants or deducts. */
export const MAX_ADJUSTMENT_POINTS = 1_000_000;

export const approvalRequestStatusLabel = (status: string) => `approvals.requestStatuses.${status}`;
export const approvalEventLabel = (event: string) => `approvals.events.${event}`;
