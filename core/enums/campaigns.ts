/**
 * Marketing campaigns (营销活动): statuses, offer kinds and limits. SQL guards the same values (save_campaign,
 * submit_campaign); the campaign form checks them before it asks the server.
 */
export const CAMPAIGN_STATUSES = ["draft", "pending", "approved", "running", "ended", "rejected", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_OFFER_KINDS = ["points_multiplier", "benefit_grant", "message"] as const;
export type CampaignOfferKind = (typeof CAMPAIGN_OFFER_KINDS)[number];

/** Statuses in which the drafter may still change a campaign. */
export const CAMPAIGN_EDITABLE_STATUSES: readonly CampaignStatus[] = ["draft", "rejected"];
/** Statuses in which a campaign may be cancelled. */
export const CAMPAIGN_CANCELLABLE_STATUSES: readonly CampaignStatus[] = ["draft", "pending", "approved", "running", "rejected"];

export const CAMPAIGN_LIMITS = {
  /** A points multiplier: the member earns (multiplier - 1) × the rules' points on top. */
  min_multiplier: 1.1,
  max_multiplier: 5,
  /** Longest period, in days. */
  max_days: 366,
  /** How far back a period may start, in days (starts not before today - 1). */
  max_start_days_back: 1,
  /** Share of the segment kept as a holdout, in percent. */
  max_holdout_percent: 50,
  /** Budget of one campaign, in fen (¥10,000,000). */
  max_budget_fen: 1_000_000_000,
  /** A/B arms besides the holdout. */
  max_arms: 4,
  /** Uses of a benefit granted to each member. */
  max_benefit_uses: 100,
  max_name: 100,
  max_description: 2000,
  max_template: 500,
  max_reason: 500,
} as const;

export const campaignStatusLabel = (status: string) => `campaigns.statuses.${status}`;
export const campaignOfferKindLabel = (kind: string) => `campaigns.offerKinds.${kind}`;
