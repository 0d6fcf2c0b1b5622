import { useCreate, useList, useUpdate, type BaseRecord } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import { callRpc } from "./rpc";
import { useRpcMutation } from "./use-rpc";

const QUIET = { successNotification: false, errorNotification: false } as const;
const POLL_MS = 500;

export interface SegmentDefinition extends BaseRecord {
  id: string;
  key: string;
  version: number;
  status: "draft" | "published" | "archived";
  name: string;
  name_en: string | null;
  description: string | null;
  logic: unknown;
  created_at: string;
  published_at: string | null;
}

export interface SegmentRefresh extends BaseRecord {
  segment_key: string;
  segment_version: number;
  refreshed_at: string;
  members: number;
  error: string | null;
}

export interface SegmentPreview extends BaseRecord {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  members: number | null;
  evaluated: number | null;
  error: string | null;
}

export interface SampleMember {
  member_id: string;
  member_no: string;
  name: string;
  tier_id: string;
}

/** Every version of every segment (newest first within a key), or of one key. */
export function useSegmentDefinitions(key?: string) {
  const { result, query } = useList<SegmentDefinition>({
    resource: "segment_definitions",
    filters: key ? [{ field: "key", operator: "eq", value: key }] : [],
    sorters: [{ field: "key", order: "asc" }, { field: "version", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

/** The last refresh of each published segment (members and when), polled while a refresh is awaited. */
export function useSegmentRefreshes(poll = false) {
  const { result, query } = useList<SegmentRefresh>({
    resource: "segment_refreshes",
    pagination: { mode: "off" },
    meta: { idColumnName: "segment_key" },
    queryOptions: { refetchInterval: poll ? 2000 : false },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

export type SegmentDraft = Pick<SegmentDefinition, "key" | "version" | "name" | "name_en" | "description" | "logic">;

export function useCreateSegmentDraft() {
  const { mutateAsync, mutation } = useCreate<SegmentDefinition>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async (draft: SegmentDraft) =>
      (await mutateAsync({ resource: "segment_definitions", values: draft, ...QUIET })).data as SegmentDefinition,
  };
}

export function useSaveSegmentDraft() {
  const { mutateAsync, mutation } = useUpdate<SegmentDefinition>();
  return {
    isPending: mutation.isPending,
    mutateAsync: async ({ id, changes }: { id: string; changes: Partial<SegmentDraft> }) =>
      (await mutateAsync({ resource: "segment_definitions", id, values: changes, ...QUIET })).data as SegmentDefinition,
  };
}

/** Publishes a draft (drafters; refused when publishing segments needs approval); the engine refreshes its members. */
export function usePublishSegment() {
  return useRpcMutation<{ key: string; version: number }, SegmentDefinition>("publish_segment", {
    args: (i) => ({ p_key: i.key, p_version: i.version }),
    invalidates: ["segment_definitions", "segment_refreshes"],
  });
}

/** Asks the engine to count a condition: returns the preview's id. */
export function useAskPreview() {
  const { mutateAsync } = useCreate<SegmentPreview>();
  return async (logic: unknown) =>
    ((await mutateAsync({ resource: "segment_previews", values: { logic }, ...QUIET })).data as SegmentPreview).id;
}

/** A preview, polled until the engine has counted it; then its sample as the user may see members. */
export function useSegmentPreview(id: string | null) {
  const { result, query } = useList<SegmentPreview>({
    resource: "segment_previews",
    filters: [{ field: "id", operator: "eq", value: id }],
    pagination: { mode: "off" },
    queryOptions: {
      enabled: !!id,
      refetchInterval: (current) => {
        const row = current.state.data?.data[0] as SegmentPreview | undefined;
        return current.state.status === "error" || row?.status === "done" || row?.status === "failed" ? false : POLL_MS;
      },
    },
    errorNotification: false,
  });
  const preview = id ? ((result.data[0] as SegmentPreview | undefined) ?? null) : null;
  const sample = useQuery({
    queryKey: ["rpc", "segment_preview_sample", id],
    queryFn: () => callRpc<SampleMember[]>("segment_preview_sample", { p_preview_id: id }),
    enabled: !!id && preview?.status === "done",
  });
  return { preview, sample: sample.data ?? [], failed: query.isError };
}
