import type { ApprovalEvent, ApprovalRequestStatus, ApprovalTaskStatus } from "../../../core/enums/index.ts";

/** The data of a points-adjustment request (the points-compensation form). */
export interface AdjustmentData {
  member_id: string;
  points: number;
  lot_kind?: string;
  validity_days?: number;
  reason_category: string;
  reason: string;
  related_order_no?: string;
  attachments?: string[];
}

export interface ApprovalRequest {
  id: string;
  flow_id: string;
  action: string;
  business_unit_id: string;
  member_id: string;
  data: AdjustmentData;
  status: ApprovalRequestStatus;
  current_step: number | null;
  requested_by: string;
  requested_at: string;
  decided_at: string | null;
  result: { entry_id?: number; balance?: number } | null;
  failure_code: string | null;
  resubmission_of: string | null;
  members?: { name: string; member_no: string } | null;
}

export interface ApprovalTask {
  id: string;
  request_id: string;
  step_index: number;
  step_name: string;
  step_name_en: string | null;
  approver_role: string;
  business_unit_id: string | null;
  status: ApprovalTaskStatus;
  opened_at: string;
  due_at: string;
  escalated_at: string | null;
  can_decide: boolean;
  approval_requests?: ApprovalRequest;
}

export interface ApprovalEventRow {
  id: number;
  request_id: string;
  at: string;
  actor_id: string | null;
  event: ApprovalEvent;
  step_index: number | null;
  comment: string | null;
  details: Record<string, unknown>;
}

export interface ApprovalCounts {
  to_decide: number;
  my_pending: number;
}

/** The flow every points adjustment goes through (workflows/approvals/points-adjustment.json). */
export const ADJUSTMENT_FLOW = "points-adjustment";
export const ADJUSTMENT_FORM = "points-compensation";
