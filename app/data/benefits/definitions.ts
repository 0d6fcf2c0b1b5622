import { useCreate, useList, useUpdate, type BaseRecord } from "@refinedev/core";
import { useRpcMutation } from "../use-rpc";
import type { BenefitDefinition } from "./types";

const QUIET = { successNotification: false, errorNotification: false } as const;

/** Every version of every benefit definition (newest first within a key). */
export function useBenefitDefinitions(key?: string) {
  const { result, query } = useList<BenefitDefinition & BaseRecord>({
    resource: "benefit_definitions",
    filters: key ? [{ field: "key", operator: "eq", value: key }] : [],
    sorters: [{ field: "key", order: "asc" }, { field: "version", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

/** The columns a draft is written with (everything but its identity and lifecycle). */
export type BenefitDraft = Omit<BenefitDefinition, "id" | "status" | "created_at" | "published_at">;

export const DRAFT_COLUMNS = [
  "key", "version", "name", "name_en", "description", "description_en", "kind", "value", "eligibility", "uses_per_period", "period", "validity_days",
  "issuing_unit_id", "accepting_unit_codes", "stacks_with_points", "stacks_with_benefits", "grant_on_tiers", "grant_in_birthday_month",
  "grant_on_transaction",
] as const satisfies readonly (keyof BenefitDraft)[];

/** The draft columns of a definition (to copy a version into a new draft). */
export function draftOf(def: BenefitDefinition, version: number): BenefitDraft {
  return Object.fromEntries(DRAFT_COLUMNS.map((column) => [column, column === "version" ? version : def[column]])) as unknown as BenefitDraft;
}

/** A new draft (RLS: drafters write drafts only). */
export function useCreateBenefitDraft() {
  const { mutateAsync, mutation } = useCreate<BenefitDefinition & BaseRecord>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async (draft: BenefitDraft) =>
      (await mutateAsync({ resource: "benefit_definitions", values: draft, ...QUIET })).data as BenefitDefinition,
  };
}

/** Saves a draft's changes (a published version is never changed: the database refuses). */
export function useSaveBenefitDraft() {
  const { mutateAsync, mutation } = useUpdate<BenefitDefinition & BaseRecord>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async ({ id, changes }: { id: string; changes: Partial<BenefitDraft> }) =>
      (await mutateAsync({ resource: "benefit_definitions", id, values: changes, ...QUIET })).data as BenefitDefinition,
  };
}

/** Publishes a draft directly (administrators); the previous published version is archived. */
export function usePublishBenefitDefinition() {
  return useRpcMutation<{ key: string; version: number }, unknown>("publish_benefit", {
    args: (i) => ({ p_key: i.key, p_version: i.version }),
    invalidates: ["benefit_definitions"],
  });
}
