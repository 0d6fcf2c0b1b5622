import { useList, useOne, type BaseRecord } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import type { CampaignOfferKind, CampaignStatus } from "../../core/enums/index.ts";
import { callRpc } from "./rpc";
import { useRpcMutation } from "./use-rpc";

/** What a campaign offers its treatment members (campaigns.offer); an arm may override the offer's values. */
export interface CampaignOffer {
  kind: CampaignOfferKind;
  /** points_multiplier: the member earns (multiplier - 1) × the rules' points on top. */
  multiplier?: number;
  /** benefit_grant: the published benefit granted once per member, with this many uses (a coupon: 1). */
  benefit_key?: string;
  benefit_version?: number;
  uses?: number;
  /** message: the text sent through the notification channels (event campaign_offer). */
  message?: string;
  /** The cost of one grant or message, fen (a coupon: its face value × uses unless given; a message: 0 by default). */
  unit_cost_fen?: number;
}

export interface CampaignArm {
  key: string;
  /** Share of the treatment members, in percent (the arms add up to 100). */
  share: number;
  multiplier?: number;
  uses?: number;
  message?: string;
}

export interface Campaign extends BaseRecord {
  id: string;
  key: string;
  name: string;
  description: string | null;
  segment_key: string;
  business_unit_ids: string[];
  starts_at: string;
  ends_at: string;
  offer: CampaignOffer;
  arms: CampaignArm[];
  holdout_percent: number;
  budget_fen: number;
  paying_unit_id: string | null;
  status: CampaignStatus;
  approval_request_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string | null;
  spent_fen: number;
  spent_points: number;
}

/** What save_campaign takes: a new draft (no id) or changes to one. */
export type CampaignDraft = Pick<
  Campaign,
  "key" | "name" | "description" | "segment_key" | "business_unit_ids" | "starts_at" | "ends_at" | "offer" | "arms" | "holdout_percent" | "budget_fen" | "paying_unit_id"
> & { id?: string };

export interface CampaignArmResult {
  /** a..d or holdout. */
  arm: string;
  members: number;
  /** Members of the arm who bought at the campaign's units in its period. */
  buyers: number;
  spend_fen: number;
  spend_per_member_fen: number | null;
}

/** campaign_results: reach, uptake, spend per arm against the holdout, cost and budget, by day and by unit. */
export interface CampaignResults {
  members: number;
  treatment_members: number;
  holdout_members: number;
  reach: number;
  uptake: number;
  uptake_rate: number | null;
  arms: CampaignArmResult[];
  incremental_spend_fen: number | null;
  cost_fen: number;
  cost_points: number;
  budget_fen: number;
  spent_fen: number;
  by_day: { day: string; uptake: number; spend_fen: number; cost_fen: number }[];
  by_unit: { business_unit_id: string; spend_fen: number; cost_fen: number }[];
}

const CAMPAIGN_RESOURCES = ["campaigns", "approval_requests"] as const;

/** Every campaign the user may read, newest first. */
export function useCampaigns() {
  const { result, query } = useList<Campaign>({
    resource: "campaigns",
    sorters: [{ field: "created_at", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return { rows: result.data ?? [], query };
}

export function useCampaign(id: string | undefined) {
  const { result, query } = useOne<Campaign>({ resource: "campaigns", id: id ?? "", queryOptions: { enabled: !!id }, errorNotification: false });
  return { campaign: result, query };
}

/** Writes a draft (a new one without id); the server refuses what the form refuses, with a campaign_* reason. */
export function useSaveCampaign() {
  return useRpcMutation<CampaignDraft, Campaign>("save_campaign", { args: (draft) => ({ p: draft }), invalidates: ["campaigns"] });
}

/** Files the launch request (flow campaign-launch); returns its id. */
export function useSubmitCampaign() {
  return useRpcMutation<{ id: string; idempotencyKey: string }, string>("submit_campaign", {
    args: (i) => ({ p_campaign_id: i.id, p_key: i.idempotencyKey }),
    invalidates: CAMPAIGN_RESOURCES,
  });
}

export function useCancelCampaign() {
  return useRpcMutation<{ id: string; reason: string }, unknown>("cancel_campaign", {
    args: (i) => ({ p_campaign_id: i.id, p_reason: i.reason }),
    invalidates: CAMPAIGN_RESOURCES,
  });
}

export function useCampaignResults(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ["rpc", "campaign_results", id],
    queryFn: () => callRpc<CampaignResults>("campaign_results", { p_campaign_id: id }),
    enabled: !!id && enabled,
  });
}

export interface PublishedSegment {
  key: string;
  version: number;
  name: string;
  name_en: string | null;
  members: number | null;
}

/** Published segments with the member count of their last refresh (the segment picker). */
export function usePublishedSegments() {
  const definitions = useList<BaseRecord & Omit<PublishedSegment, "members">>({
    resource: "segment_definitions",
    filters: [{ field: "status", operator: "eq", value: "published" }],
    sorters: [{ field: "key", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const refreshes = useList<BaseRecord & { segment_key: string; members: number }>({
    resource: "segment_refreshes",
    pagination: { mode: "off" },
    meta: { idColumnName: "segment_key" },
    errorNotification: false,
  });
  const counts = new Map((refreshes.result.data ?? []).map((r) => [r.segment_key, Number(r.members)]));
  const rows: PublishedSegment[] = (definitions.result.data ?? []).map((d) => ({
    key: d.key, version: d.version, name: d.name, name_en: d.name_en, members: counts.has(d.key) ? counts.get(d.key)! : null,
  }));
  return { rows, isLoading: definitions.query.isLoading };
}
