import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { supabaseClient } from "../../providers/supabase-client";
import { callRpc, RpcError } from "../rpc";
import type { EngineRun, Rule, RuleError, RuleKind, RuleSet, WhatIfRun } from "./types";

const LIST_COLUMNS =
  "id,key,version,kind,business_unit_id,name,name_en,description,description_en,priority,lot_kind,active_from,active_to,status,created_at,updated_at,published_at,superseded_at";

async function rows<T>(promise: PromiseLike<{ data: unknown; error: { message: string; code?: string; details?: string; hint?: string } | null }>): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new RpcError(error.message, error.code ?? "", error.details ?? null, error.hint ?? null);
  return data as T;
}

export const rulesKeys = {
  all: ["rules"] as const,
  kind: (kind: RuleKind) => ["rules", "kind", kind] as const,
  key: (key: string) => ["rules", "key", key] as const,
};

/** Every version of the rules of one kind (without their logic). */
export function useRulesOfKind(kind: RuleKind) {
  return useQuery({
    queryKey: rulesKeys.kind(kind),
    queryFn: () =>
      rows<Rule[]>(supabaseClient.from("rules").select(LIST_COLUMNS).eq("kind", kind).order("key").order("version", { ascending: false })),
  });
}

/** Every version of one rule key, newest first. */
export function useRuleVersions(key: string) {
  return useQuery({
    queryKey: rulesKeys.key(key),
    enabled: !!key,
    queryFn: () => rows<Rule[]>(supabaseClient.from("rules").select("*").eq("key", key).order("version", { ascending: false })),
  });
}

export function useRuleSets() {
  return useQuery({
    queryKey: ["rules", "sets"],
    queryFn: () => rows<RuleSet[]>(supabaseClient.from("rule_sets").select("id,kind,business_unit_id,combination,description,description_en")),
  });
}

export function useRecentRuleErrors(limit = 5) {
  return useQuery({
    queryKey: ["rules", "errors", limit],
    queryFn: () =>
      rows<RuleError[]>(
        supabaseClient
          .from("rule_errors")
          .select("id,rule_id,rule_key,rule_version,stage,message,occurrences,last_seen")
          .order("last_seen", { ascending: false })
          .limit(limit),
      ),
  });
}

export function useTierLadder() {
  return useQuery({
    queryKey: ["rules", "tier-ladder"],
    queryFn: async () => (await rows<{ code: string }[]>(supabaseClient.from("tiers").select("code").order("rank"))).map((r) => r.code),
  });
}

/** The latest expiry run the engine logged (engine_runs, job expire_lots); polled while `poll`. */
export function useLatestExpiryRun(enabled: boolean, poll: boolean) {
  return useQuery({
    queryKey: ["rules", "engine-runs", "expire_lots"],
    enabled,
    refetchInterval: poll ? 2000 : false,
    queryFn: async () =>
      (
        await rows<EngineRun[]>(
          supabaseClient.from("engine_runs").select("id,job,started_at,finished_at,ok,result,error").eq("job", "expire_lots").order("id", { ascending: false }).limit(1),
        )
      )[0] ?? null,
  });
}

export function useRequestExpiryRun() {
  return useMutation({ mutationFn: () => callRpc<{ job_id: number; queued_at: string }>("request_expiry_run", {}) });
}

function useInvalidateRules() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: rulesKeys.all });
}

export type RuleDraftChanges = Pick<Rule, "name" | "priority" | "active_from" | "active_to" | "lot_kind" | "logic">;

export function useSaveDraft() {
  const invalidate = useInvalidateRules();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: RuleDraftChanges }) =>
      rows<Rule>(supabaseClient.from("rules").update(changes).eq("id", id).eq("status", "draft").select("*").single()),
    onSuccess: () => invalidate(),
  });
}

/** A new draft (version = newest + 1) copying `from`. */
/** The fields a new draft is made of: a copy of another version, or a brand-new rule (version 1). */
export type RuleDraft = Pick<
  Rule,
  "key" | "version" | "kind" | "business_unit_id" | "name" | "name_en" | "description" | "description_en" | "priority" | "logic" | "lot_kind" | "active_from" | "active_to"
>;

export function useCreateDraft() {
  const invalidate = useInvalidateRules();
  return useMutation({
    mutationFn: (draft: RuleDraft) =>
      rows<Rule>(
        supabaseClient
          .from("rules")
          .insert({
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
          })
          .select("*")
          .single(),
      ),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteDraft() {
  const invalidate = useInvalidateRules();
  return useMutation({
    mutationFn: (id: string) => rows<unknown>(supabaseClient.from("rules").delete().eq("id", id).eq("status", "draft")),
    onSuccess: () => invalidate(),
  });
}

export function usePublishRule() {
  const invalidate = useInvalidateRules();
  return useMutation({
    mutationFn: ({ key, version }: { key: string; version: number }) => callRpc<Rule>("publish_rule", { p_key: key, p_version: version }),
    onSuccess: () => invalidate(),
  });
}

/** Queues a what-if run of the newest drafts of `ruleKeys` over the last `days` days. */
export function useRequestWhatIf() {
  return useMutation({
    mutationFn: ({ ruleKeys, days }: { ruleKeys: string[]; days: number }) =>
      rows<{ id: string }>(supabaseClient.from("what_if_runs").insert({ rule_keys: ruleKeys, days }).select("id").single()),
  });
}

/** A what-if run, polled every second until the engine has finished it. */
export function useWhatIfRun(id: string | null) {
  return useQuery({
    queryKey: ["rules", "what-if", id],
    enabled: !!id,
    refetchInterval: (query) => {
      const status = (query.state.data as WhatIfRun | undefined)?.status;
      return status === "done" || status === "failed" || query.state.status === "error" ? false : 1000;
    },
    queryFn: () => rows<WhatIfRun>(supabaseClient.from("what_if_runs").select("*").eq("id", id!).single()),
  });
}
