/**
 * Marketing campaigns (营销活动): statuses, offer kinds, arms and the limits. SQL holds the same
 * (supabase/migrations/20261209001000_campaigns.sql: private.campaign_limits(), private.campaign_statuses(),
 * private.campaign_offer_kinds() and the table checks); tests/db/campaigns.test.ts compares them.
 */
export const CAMPAIGN_STATUSES = ["draft", "pending", "approved", "running", "ended", "rejected", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** points_multiplier: a bonus lot on earning; benefit_grant: a benefit or coupon per member; message: one notice per member. */
export const CAMPAIGN_OFFER_KINDS = ["points_multiplier", "benefit_grant", "message"] as const;
export type CampaignOfferKind = (typeof CAMPAIGN_OFFER_KINDS)[number];

/** A/B arms in order (campaigns.arms[].key), and the arm of members who are never offered anything. */
export const CAMPAIGN_ARMS = ["a", "b", "c", "d"] as const;
export const CAMPAIGN_HOLDOUT_ARM = "holdout";

/** The flow a launch goes through and its action (approval_flows.action). */
export const CAMPAIGN_LAUNCH_FLOW = "campaign-launch";

/** The notification event of a message offer (notifications_outbox.template). */
export const CAMPAIGN_MESSAGE_EVENT = "campaign_offer";

export const CAMPAIGN_LIMITS = {
  /** Largest budget of one campaign, fen (¥1,000,000). */
  max_budget_fen: 100_000_000,
  /** A points multiplier's range (2 decimals): 1.1 gives 10% more, 2 doubles the points. */
  min_multiplier: 1.1,
  max_multiplier: 5,
  /** Longest period, days. */
  max_days: 366,
  /** Largest holdout, percent of the segment. */
  max_holdout_percent: 50,
  /** Most A/B arms. */
  max_arms: 4,
  /** Most business units where an offer applies. */
  max_units: 20,
  /** Most members one campaign targets (its segment's members at approval). */
  max_members: 100_000,
  max_name_length: 100,
  max_description_length: 2000,
  max_message_length: 200,
  /** Uses of a granted benefit per member. */
  max_uses: 100,
  /** Cost of one grant or message, fen. */
  max_unit_cost_fen: 10_000_000,
  /** Grants per campaign per job pass. */
  grant_batch: 1000,
  /** Budgets above this (fen) need the director's approval too (flow campaign-launch). */
  director_above_fen: 5_000_000,
  /** A cancel reason, characters (private.assert_request_reason). */
  max_reason_length: 500,
} as const;

/** A campaign key: the same pattern as rule keys (campaigns.key check; post_campaign_cost's key). */
export { RULE_KEY_PATTERN as CAMPAIGN_KEY_PATTERN } from "./patterns.ts";

export const campaignStatusLabel = (status: string) => `campaigns.statuses.${status}`;
export const campaignOfferKindLabel = (kind: string) => `campaigns.offerKinds.${kind}`;
