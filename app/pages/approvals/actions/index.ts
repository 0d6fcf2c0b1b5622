import type { ApprovalFlowAction } from "../../../../core/enums/index.ts";
import { benefitCampaignView } from "./benefit-campaign";
import { benefitGrantView } from "./benefit-grant";
import { campaignLaunchView } from "./campaign-launch";
import { cardRechargeView } from "./card-recharge";
import { definitionPublishView } from "./definition-publish";
import { pointsAdjustmentView } from "./points-adjustment";
import { tierSaleView } from "./tier-sale";
import type { ApprovalActionView } from "./types";

/** Every flow action's view; a new action adds its file here (the type makes a missing one a compile error). */
export const APPROVAL_ACTION_VIEWS: Record<ApprovalFlowAction, ApprovalActionView> = {
  points_adjustment: pointsAdjustmentView,
  definition_publish: definitionPublishView,
  card_recharge: cardRechargeView,
  tier_sale: tierSaleView,
  benefit_grant: benefitGrantView,
  benefit_campaign: benefitCampaignView,
  campaign_launch: campaignLaunchView,
};

export const approvalActionView = (action: ApprovalFlowAction): ApprovalActionView => APPROVAL_ACTION_VIEWS[action];
export type { ApprovalActionView } from "./types";
