import { useCreate, useDelete, useList, useOne, useUpdate, type BaseRecord, type CrudFilter, type CrudSort } from "@refinedev/core";
import { useMemo } from "react";
import { useRpcMutation } from "../use-rpc";
import type { EngineRun, ParkedEarning, Rule, RuleError, RuleKind, RuleSet, WhatIfRun } from "./types";

const LIST_COLUMNS =
  "id,key,version,kind,business_unit_id,name,name_en,description,description_en,priority,lot_kind,active_from,active_to,status,created_at,updated_at,published_at,superseded_at";

/** Writes report their errors where they happen (the editor, the dialog), not as toasts. */
const QUIET = { successNotification: false, errorNotification: false } as const;

interface RowsQuery {
  filters?: CrudFilter[];
  sorters?: CrudSort[];
  select?: string;
  /** At most this many rows (else all). */
  limit?: number;
  enabled?: boolean;
}

/** Rows of one table through Refine's data hooks: `data` once loaded, as React Query reports it otherwise. */
function useRows<T extends BaseRecord>(resource: string, { filters, sorters, select, limit, enabled = true }: RowsQuery) {
  const { query, result } = useList<T>({
    resource,
    filters,
    sorters,
    pagination: limit ? { currentPage: 1, pageSize: limit } : { mode: "off" },
    meta: select ? { select } : undefined,
    queryOptions: { enabled },
    errorNotification: false,
  });
  return { data: query.isSuccess ? result.data : undefined, isSuccess: query.isSuccess, isLoading: query.isLoading, error: query.error, refetch: query.refetch };
}

/** Every version of the rules of one kind (without their logic). */
export function useRulesOfKind(kind: RuleKind) {
  return useRows<Rule & BaseRecord>("rules", {
    filters: [{ field: "kind", operator: "eq", value: kind }],
    sorters: [{ field: "key", order: "asc" }, { field: "version", order: "desc" }],
    select: LIST_COLUMNS,
  });
}

/** Every version of one rule key, newest first. */
export function useRuleVersions(key: string) {
  return useRows<Rule & BaseRecord>("rules", {
    filters: [{ field: "key", operator: "eq", value: key }],
    sorters: [{ field: "version", order: "desc" }],
    enabled: !!key,
  });
}

export function useRuleSets() {
  return useRows<RuleSet & BaseRecord>("rule_sets", { select: "id,kind,business_unit_id,combination,description,description_en" });
}

export function useRecentRuleErrors(limit = 5) {
  return useRows<RuleError & BaseRecord>("rule_errors", {
    sorters: [{ field: "last_seen", order: "desc" }],
    select: "id,rule_id,rule_key,rule_version,stage,message,occurrences,last_seen",
    limit,
  });
}

/** Tier codes from the lowest rank up. */
export function useTierLadder() {
  const tiers = useRows<{ id: string; code: string }>("tiers", { sorters: [{ field: "rank", order: "asc" }], select: "id,code" });
  const data = useMemo(() => tiers.data?.map((r) => r.code), [tiers.data]);
  return { ...tiers, data };
}

/**
 * The latest expiry run the engine logged (engine_runs, job expire_lots); polled after a request
 * made at `requestedAt` (ms) until a run newer than it is there.
 */
export function useLatestExpiryRun(requestedAt: number | null) {
  const { query, result } = useList<EngineRun & BaseRecord>({
    resource: "engine_runs",
    filters: [{ field: "job", operator: "eq", value: "expire_lots" }],
    sorters: [{ field: "id", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 1 },
    meta: { select: "id,job,started_at,finished_at,ok,result,error" },
    queryOptions: {
      refetchInterval: (current) => {
        const run = current.state.data?.data[0];
        return requestedAt !== null && !(run && Date.parse(run.finished_at) > requestedAt) ? 2000 : false;
      },
    },
    errorNotification: false,
  });
  return { data: query.isSuccess ? (result.data[0] ?? null) : undefined };
}

export function useRequestExpiryRun() {
  return useRpcMutation<void, { job_id: number; queued_at: string }>("request_expiry_run", { args: () => ({}), invalidates: ["engine_runs"] });
}

export type RuleDraftChanges = Pick<Rule, "name" | "priority" | "active_from" | "active_to" | "lot_kind" | "logic">;

export function useSaveDraft() {
  const { mutateAsync, mutation } = useUpdate<Rule & BaseRecord>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async ({ id, changes }: { id: string; changes: RuleDraftChanges }) =>
      (await mutateAsync({ resource: "rules", id, values: changes, ...QUIET })).data as Rule,
  };
}

/** The fields a new draft is made of: a copy of another version, or a brand-new rule (version 1). */
export type RuleDraft = Pick<
  Rule,
  "key" | "version" | "kind" | "business_unit_id" | "name" | "name_en" | "description" | "description_en" | "priority" | "logic" | "lot_kind" | "active_from" | "active_to"
>;

/** A new draft (version = newest + 1) copying another version, or a new rule. */
export function useCreateDraft() {
  const { mutateAsync, mutation } = useCreate<Rule & BaseRecord>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async (draft: RuleDraft) => {
      const values = {
        key: draft.key,
        version: draft.version,
        kind: draft.kind,
        business_unit_id: draft.business_unit_id,
        name: draft.name,
        name_en: draft.name_en,
        description: draft.description,
        description_en: draft.description_en,
        priority: draft.priority,
        logic: draft.logic,
        lot_kind: draft.lot_kind,
        active_from: draft.active_from,
        active_to: draft.active_to,
        status: "draft",
      };
      return (await mutateAsync({ resource: "rules", values, ...QUIET })).data as Rule;
    },
  };
}

export function useDeleteDraft() {
  const { mutateAsync, mutation } = useDelete<Rule & BaseRecord>();
  return { isPending: mutation.isPending, mutateAsync: async (id: string) => void (await mutateAsync({ resource: "rules", id, ...QUIET })) };
}

export function usePublishRule() {
  return useRpcMutation<{ key: string; version: number }, Rule>("publish_rule", {
    args: ({ key, version }) => ({ p_key: key, p_version: version }),
    // the first rule published for a unit creates the unit's rule set
    invalidates: ["rules", "rule_sets", "rule_errors"],
  });
}

/** Queues a what-if run of the newest drafts of `ruleKeys` over the last `days` days. */
export function useRequestWhatIf() {
  const { mutateAsync, mutation } = useCreate<{ id: string }>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async ({ ruleKeys, days }: { ruleKeys: string[]; days: number }) =>
      (await mutateAsync({ resource: "what_if_runs", values: { rule_keys: ruleKeys, days }, meta: { select: "id" }, ...QUIET })).data as { id: string },
  };
}

/** A what-if run, polled every second until the engine has finished it. */
export function useWhatIfRun(id: string | null) {
  const { query, result } = useOne<WhatIfRun & BaseRecord>({
    resource: "what_if_runs",
    id: id ?? undefined,
    queryOptions: {
      enabled: !!id,
      refetchInterval: (current) => {
        const status = current.state.data?.data?.status;
        return status === "done" || status === "failed" || current.state.status === "error" ? false : 1000;
      },
    },
    errorNotification: false,
  });
  return { data: query.isSuccess ? result : undefined, error: query.error };
}

/** Published rule versions the engine suspended for failing repeatedly. */
export function useSuspendedRules(enabled = true) {
  return useRows<Rule & BaseRecord>("rules", {
    filters: [{ field: "suspended_at", operator: "nnull", value: null }],
    sorters: [{ field: "suspended_at", order: "desc" }],
    select: `${LIST_COLUMNS},suspended_at,suspended_reason`,
    enabled,
  });
}

/** Transactions the engine parked as failed, newest first, with their order number. */
export function useParkedEarnings(enabled = true, limit = 20) {
  return useRows<ParkedEarning & BaseRecord>("earn_failures", {
    filters: [{ field: "parked_at", operator: "nnull", value: null }],
    sorters: [{ field: "parked_at", order: "desc" }],
    select: "transaction_id,attempts,error,parked_at,transactions(order_no)",
    limit,
    enabled,
  });
}

export function useResumeRule() {
  return useRpcMutation<string, Rule>("resume_rule", { args: (id) => ({ p_rule_id: id }), invalidates: ["rules", "rule_errors"] });
}

export function useRetryEarning() {
  return useRpcMutation<string, { job_id: number }>("retry_earning", {
    args: (id) => ({ p_transaction_id: id }),
    invalidates: ["earn_failures", "transactions"],
  });
}
