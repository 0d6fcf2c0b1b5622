/** Saved test cases of a rule key, the engine's verdicts, the rollback RPC and the recent transactions the bench samples. */
import { useCreate, useDelete, useList, useUpdate, type BaseRecord } from "@refinedev/core";
import { useRpcMutation } from "../use-rpc";
import type { Rule } from "./types";

export interface RuleTestCaseRow {
  id: string;
  rule_key: string;
  name: string;
  input: Record<string, unknown>;
  expected: unknown;
  updated_at: string;
}

export interface CaseVerdict {
  id?: string;
  name: string;
  passed: boolean;
  actual?: unknown;
  error?: string;
}

export interface RuleTestVerdict {
  id: number;
  rule_id: string;
  rule_version: number;
  case_count: number;
  passed: boolean;
  details: CaseVerdict[];
  checked_at: string;
}

const QUIET = { successNotification: false, errorNotification: false } as const;

export function useRuleTestCases(key: string) {
  const { query, result } = useList<RuleTestCaseRow & BaseRecord>({
    resource: "rule_test_cases",
    filters: [{ field: "rule_key", operator: "eq", value: key }],
    sorters: [{ field: "created_at", order: "asc" }],
    pagination: { mode: "off" },
    meta: { select: "id,rule_key,name,input,expected,updated_at" },
    queryOptions: { enabled: !!key },
    errorNotification: false,
  });
  return { data: query.isSuccess ? result.data : undefined, isLoading: query.isLoading, refetch: query.refetch };
}

/** The engine's latest verdict on one version; polled while a verification asked for at `requestedAt` (ms) is pending. */
export function useLatestVerdict(ruleId: string, requestedAt: number | null) {
  const { query, result } = useList<RuleTestVerdict & BaseRecord>({
    resource: "rule_test_verdicts",
    filters: [{ field: "rule_id", operator: "eq", value: ruleId }],
    sorters: [{ field: "id", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 1 },
    meta: { select: "id,rule_id,rule_version,case_count,passed,details,checked_at" },
    queryOptions: {
      enabled: !!ruleId,
      refetchInterval: (current) => {
        const verdict = current.state.data?.data[0];
        return requestedAt !== null && !(verdict && Date.parse(verdict.checked_at) >= requestedAt) ? 1000 : false;
      },
    },
    errorNotification: false,
  });
  return { data: query.isSuccess ? (result.data[0] ?? null) : undefined, refetch: query.refetch };
}

export function useSaveTestCase() {
  const create = useCreate<RuleTestCaseRow & BaseRecord>();
  const update = useUpdate<RuleTestCaseRow & BaseRecord>();
  return {
    isPending: create.mutation.isPending || update.mutation.isPending,
    mutateAsync: async (row: { id?: string; rule_key: string; name: string; input: unknown; expected: unknown }) => {
      const values = { rule_key: row.rule_key, name: row.name, input: row.input, expected: row.expected };
      if (row.id) await update.mutateAsync({ resource: "rule_test_cases", id: row.id, values, ...QUIET });
      else await create.mutateAsync({ resource: "rule_test_cases", values, ...QUIET });
    },
  };
}

export function useDeleteTestCase() {
  const { mutateAsync, mutation } = useDelete<RuleTestCaseRow & BaseRecord>();
  return { isPending: mutation.isPending, mutateAsync: async (id: string) => void (await mutateAsync({ resource: "rule_test_cases", id, ...QUIET })) };
}

export function useRequestVerification() {
  return useRpcMutation<{ key: string; version: number }, { job_id: number; rule_id: string; queued_at: string }>("request_rule_verification", {
    args: ({ key, version }) => ({ p_key: key, p_version: version }),
  });
}

export function useRollbackDraft() {
  return useRpcMutation<{ key: string; fromVersion: number; reason: string }, Rule>("create_rule_rollback_draft", {
    args: ({ key, fromVersion, reason }) => ({ p_key: key, p_from_version: fromVersion, p_reason: reason }),
    invalidates: ["rules", "audit_log"],
  });
}

export interface RecentTransaction {
  id: string;
  order_no: string | null;
  amount: number | string;
  occurred_at: string;
}

/** The latest transactions (for the bench's picker). */
export function useRecentTransactions(enabled: boolean) {
  const { query, result } = useList<RecentTransaction & BaseRecord>({
    resource: "transactions",
    sorters: [{ field: "occurred_at", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 20 },
    meta: { select: "id,order_no,amount,occurred_at" },
    queryOptions: { enabled },
    errorNotification: false,
  });
  return { data: query.isSuccess ? result.data : undefined, isLoading: query.isLoading };
}

export interface RecentMember {
  id: string;
  member_no: string;
  name: string | null;
  updated_at: string;
}

/** The members changed most recently (for the bench's member picker; read through member_directory). */
export function useRecentMembers(enabled: boolean) {
  const { query, result } = useList<RecentMember & BaseRecord>({
    resource: "members",
    sorters: [{ field: "updated_at", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 20 },
    meta: { select: "id,member_no,name,updated_at" },
    queryOptions: { enabled },
    errorNotification: false,
  });
  return { data: query.isSuccess ? result.data : undefined, isLoading: query.isLoading };
}
