import { useCreate, useList, useUpdate, type BaseRecord } from "@refinedev/core";
import type { FlowStep } from "../../../core/approvals/flow-steps.ts";
import type { ApprovalFlowAction, DefinitionStatus } from "../../../core/enums/index.ts";
import { useRpcMutation } from "../use-rpc";

/** One version of an approval flow (public.approval_flows). */
export interface ApprovalFlow {
  id: string;
  key: string;
  version: number;
  status: DefinitionStatus;
  name: string;
  name_en: string | null;
  description: string | null;
  action: ApprovalFlowAction;
  form_key: string | null;
  steps: FlowStep[];
  updated_at: string;
  published_at: string | null;
}

/** Writes report their errors in the editor, not as toasts. */
const QUIET = { successNotification: false, errorNotification: false } as const;

/** Every version of every flow (the flows list), or of one key (the editor), newest first. */
export function useFlowVersions(key?: string) {
  const { query, result } = useList<ApprovalFlow & BaseRecord>({
    resource: "approval_flows",
    filters: key ? [{ field: "key", operator: "eq", value: key }] : [],
    sorters: [{ field: "key", order: "asc" }, { field: "version", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { data: query.isSuccess ? result.data : undefined, error: query.error };
}

/** What the editor saves of a draft. */
export type FlowDraftChanges = Pick<ApprovalFlow, "name" | "name_en" | "description" | "steps">;

/** A new draft version (newest + 1) of a flow. */
export function useCreateFlowDraft() {
  const { mutateAsync, mutation } = useCreate<ApprovalFlow & BaseRecord>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async (flow: Pick<ApprovalFlow, "key" | "version" | "action" | "form_key"> & FlowDraftChanges) =>
      (await mutateAsync({ resource: "approval_flows", values: { ...flow, status: "draft" }, ...QUIET })).data as ApprovalFlow,
  };
}

export function useSaveFlowDraft() {
  const { mutateAsync, mutation } = useUpdate<ApprovalFlow & BaseRecord>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async ({ id, changes }: { id: string; changes: FlowDraftChanges }) =>
      (await mutateAsync({ resource: "approval_flows", id, values: changes, ...QUIET })).data as ApprovalFlow,
  };
}

export function usePublishFlow() {
  return useRpcMutation<{ key: string; version: number }, ApprovalFlow>("publish_approval_flow", {
    args: ({ key, version }) => ({ p_key: key, p_version: version }),
    invalidates: ["approval_flows"],
  });
}
