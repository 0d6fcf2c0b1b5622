import type { ApprovalEvent, ApprovalFlowAction, ApprovalRequestStatus, ApprovalTaskStatus, PublishApprovalKind } from "../../../core/enums/index.ts";

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

/** The data of a request to publish a definition (public.request_definition_publish). */
export interface PublishRequestData {
  kind: PublishApprovalKind;
  key: string;
  version: number;
  name: string;
  digest: string;
  drafted_by: string[];
}

export interface ApprovalRequest {
  id: string;
  flow_id: string;
  action: ApprovalFlowAction;
  /** Null for a request to publish a definition (group-wide). */
  business_unit_id: string | null;
  member_id: string | null;
  /** An adjustment's data, or (action definition_publish) what is to be published. */
  data: AdjustmentData & Partial<PublishRequestData>;
  /** The adjustment's signed points (a generated column; null when publishing). */
  points: number | null;
  status: ApprovalRequestStatus;
  current_step: number | null;
  requested_by: string;
  requested_at: string;
  decided_at: string | null;
  result: { entry_id?: number; balance?: number } | null;
  failure_code: string | null;
  resubmission_of: string | null;
  members?: { name: string; member_no: string } | null;
  approval_flows?: { key: string; version: number; name: string; name_en: string | null } | null;
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
