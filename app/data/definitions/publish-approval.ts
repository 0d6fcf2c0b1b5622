import { useCan, useList, type BaseRecord } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import type { PublishApprovalKind } from "../../../core/enums/index.ts";
import { APPROVAL_COUNTS_KEY } from "../approvals/use-approval-counts";
import type { ApprovalRequest } from "../approvals/types";
import { callRpc } from "../rpc";
import { useRpcMutation } from "../use-rpc";

export interface PublishSetting {
  kind: PublishApprovalKind;
  needs_approval: boolean;
  updated_at: string;
  updated_by: string | null;
}

/**
 * The publish-approval setting of every kind (no row: off). `needsApproval(kind)`: whether the signed-in user's
 * publish of that kind goes through approval: when the setting is on, and always for users who may not publish
 * directly (drafters other than administrators).
 */
export function usePublishSettings() {
  const { query, result } = useList<PublishSetting & BaseRecord>({
    resource: "definition_publish_settings",
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const { data: direct } = useCan({ resource: "definition_publish", action: "create" });
  const needsApproval = (kind: PublishApprovalKind) =>
    direct?.can === false || !!result.data?.find((row) => row.kind === kind)?.needs_approval;
  return { data: query.isSuccess ? result.data : undefined, needsApproval, isLoading: query.isLoading };
}

export function useSetPublishApproval() {
  return useRpcMutation<{ kind: PublishApprovalKind; on: boolean; reason: string }, PublishSetting>("set_definition_publish_approval", {
    args: ({ kind, on, reason }) => ({ p_kind: kind, p_needs_approval: on, p_reason: reason }),
    invalidates: ["definition_publish_settings", "audit_log"],
  });
}

const requestsKey = (kind: string, key: string) => ["rpc", "definition_publish_requests", kind, key] as const;

/** The requests to publish versions of one definition, newest first. */
export function usePublishRequests(kind: PublishApprovalKind, key: string) {
  const { data } = useQuery({
    queryKey: requestsKey(kind, key),
    queryFn: () => callRpc<ApprovalRequest[]>("definition_publish_requests", { p_kind: kind, p_key: key }),
    enabled: !!key,
  });
  return data;
}

/** Asks for approval to publish one draft version (the flow definition-publish). */
export function useRequestPublish(kind: PublishApprovalKind, key: string) {
  return useRpcMutation<{ version: number; idempotencyKey: string }, ApprovalRequest>("request_definition_publish", {
    args: ({ version, idempotencyKey }) => ({ p_kind: kind, p_key: key, p_version: version, p_idempotency_key: idempotencyKey }),
    invalidates: ["approval_requests", "approval_tasks", "approval_events"],
    invalidatesQueries: [requestsKey(kind, key), APPROVAL_COUNTS_KEY],
  });
}
