import { useRpcMutation } from "../use-rpc";
import type { AdjustmentData, ApprovalRequest } from "./types";

import { APPROVAL_COUNTS_KEY } from "./use-approval-counts";

const RESOURCES = ["approval_requests", "approval_tasks", "approval_events"] as const;
const COUNTS = [APPROVAL_COUNTS_KEY];

export function useSubmitApproval() {
  return useRpcMutation<{ flowKey: string; businessUnitId: string; data: AdjustmentData; key: string; resubmissionOf?: string }, ApprovalRequest>(
    "submit_approval_request",
    {
      args: ({ flowKey, businessUnitId, data, key, resubmissionOf }) => ({
        p_flow_key: flowKey, p_business_unit_id: businessUnitId, p_data: data, p_idempotency_key: key, p_resubmission_of: resubmissionOf ?? null,
      }),
      invalidates: RESOURCES,
      invalidatesQueries: COUNTS,
    },
  );
}

export function useDecideTask() {
  return useRpcMutation<{ taskId: string; decision: "approve" | "reject"; comment?: string }, ApprovalRequest>("decide_approval_task", {
    args: ({ taskId, decision, comment }) => ({ p_task_id: taskId, p_decision: decision, p_comment: comment ?? null }),
    invalidates: [...RESOURCES, "ledger_entries", "point_lots", "point_balances"],
    invalidatesQueries: COUNTS,
  });
}

export interface BulkOutcome {
  task_id: string;
  ok: boolean;
  status?: string;
  reason?: string;
}

export function useDecideTasks() {
  return useRpcMutation<{ taskIds: string[]; comment?: string }, BulkOutcome[]>("decide_approval_tasks", {
    args: ({ taskIds, comment }) => ({ p_task_ids: taskIds, p_decision: "approve", p_comment: comment ?? null }),
    invalidates: [...RESOURCES, "ledger_entries", "point_lots", "point_balances"],
    invalidatesQueries: COUNTS,
  });
}

export function useWithdrawRequest() {
  return useRpcMutation<{ requestId: string }, ApprovalRequest>("withdraw_approval_request", {
    args: ({ requestId }) => ({ p_request_id: requestId }),
    invalidates: RESOURCES,
    invalidatesQueries: COUNTS,
  });
}
