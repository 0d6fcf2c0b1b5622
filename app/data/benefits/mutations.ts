import { useRpcMutation } from "../use-rpc";
import { USABLE_BENEFITS } from "./queries";
import type { BenefitUse } from "./types";

/** What a verification may change: the grants, the uses and every cached "usable at this unit" answer. */
export const BENEFIT_RESOURCES = ["benefit_grants", "benefit_uses"] as const;

export interface VerifyInput {
  grantId: string;
  businessUnitId: string;
  uses: number;
  withPoints: boolean;
  idempotencyKey: string;
}
/** 核销: uses of one grant at the unit (verify_benefit_use; the same key posts once). */
export function useVerifyBenefitUse() {
  return useRpcMutation<VerifyInput, BenefitUse>("verify_benefit_use", {
    args: (i) => ({
      p_grant_id: i.grantId,
      p_business_unit_id: i.businessUnitId,
      p_uses: i.uses,
      p_idempotency_key: i.idempotencyKey,
      p_with_points: i.withPoints,
    }),
    invalidates: BENEFIT_RESOURCES,
    invalidatesQueries: [USABLE_BENEFITS],
  });
}

export interface RedeemCouponInput {
  code: string;
  businessUnitId: string;
  withPoints: boolean;
  idempotencyKey: string;
}
/** A coupon's single use by its code (redeem_coupon; case and spaces do not matter). */
export function useRedeemCoupon() {
  return useRpcMutation<RedeemCouponInput, BenefitUse>("redeem_coupon", {
    args: (i) => ({
      p_code: i.code,
      p_business_unit_id: i.businessUnitId,
      p_idempotency_key: i.idempotencyKey,
      p_with_points: i.withPoints,
    }),
    invalidates: BENEFIT_RESOURCES,
    invalidatesQueries: [USABLE_BENEFITS],
  });
}

export interface GrantRequestInput {
  memberId: string;
  definitionKey: string;
  uses: number;
  reason: string;
  businessUnitId: string;
  idempotencyKey: string;
}
/** A manual grant is an approval request (flow benefit-grant); nothing is granted until it is approved. */
export function useRequestBenefitGrant() {
  return useRpcMutation<GrantRequestInput, { id: string; status: string }>("request_benefit_grant", {
    args: (i) => ({
      p_member_id: i.memberId,
      p_definition_key: i.definitionKey,
      p_uses: i.uses,
      p_reason: i.reason.trim(),
      p_business_unit_id: i.businessUnitId,
      p_idempotency_key: i.idempotencyKey,
    }),
    invalidates: ["approval_requests", "approval_tasks"],
  });
}

export interface CampaignRequestInput {
  definitionKey: string;
  memberRefs: string[];
  uses: number;
  reason: string;
  businessUnitId: string;
  idempotencyKey: string;
}
/** A grant to many members (member numbers or phones) is one approval request (flow benefit-campaign). */
export function useRequestBenefitCampaign() {
  return useRpcMutation<CampaignRequestInput, { id: string; status: string }>("request_benefit_campaign", {
    args: (i) => ({
      p_definition_key: i.definitionKey,
      p_member_refs: i.memberRefs,
      p_uses: i.uses,
      p_reason: i.reason.trim(),
      p_business_unit_id: i.businessUnitId,
      p_idempotency_key: i.idempotencyKey,
    }),
    invalidates: ["approval_requests", "approval_tasks"],
  });
}

/** 撤销: an active grant's remaining uses are withdrawn, with a reason (managers and directors of its issuing unit). */
export function useRevokeBenefitGrant() {
  return useRpcMutation<{ grantId: string; reason: string }, { id: string; status: string }>("revoke_benefit_grant", {
    args: (i) => ({ p_grant_id: i.grantId, p_reason: i.reason.trim() }),
    invalidates: BENEFIT_RESOURCES,
    invalidatesQueries: [USABLE_BENEFITS],
  });
}
