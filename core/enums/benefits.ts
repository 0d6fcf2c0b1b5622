/**
 * Benefits (权益通): kinds, grant sources and statuses, periods, the reasons a grant is refused at a counter,
 * the member and transaction context conditions read, and the limits. SQL holds the same
 * (supabase/migrations/20261207001000_benefits.sql: private.benefit_kinds(), benefit_sources(), benefit_refusals(),
 * benefit_limits() and the table checks); tests/db/benefits.test.ts compares them.
 */
export const BENEFIT_KINDS = ["parking_hours", "discount_percent", "free_item", "gift", "priority_access", "coupon"] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

/** What caused a grant (benefit_grants.source). */
export const BENEFIT_SOURCES = ["tier", "birthday", "transaction", "campaign", "approval"] as const;
export type BenefitSource = (typeof BENEFIT_SOURCES)[number];

export const BENEFIT_GRANT_STATUSES = ["active", "used_up", "expired", "revoked"] as const;
export type BenefitGrantStatus = (typeof BENEFIT_GRANT_STATUSES)[number];

/** How often a definition's uses renew while its trigger holds (once: never). */
export const BENEFIT_PERIODS = ["month", "quarter", "year", "once"] as const;
export type BenefitPeriod = (typeof BENEFIT_PERIODS)[number];

/**
 * Why a grant cannot be used now (usable_benefits.refusal), in the order SQL checks them. verify_benefit_use
 * refuses with the hint `benefit_<reason>` (member_inactive as is).
 */
export const BENEFIT_REFUSALS = ["member_inactive", "expired", "not_eligible", "used_up", "not_accepted_here", "does_not_stack"] as const;
export type BenefitRefusal = (typeof BENEFIT_REFUSALS)[number];
export const benefitRefusalHint = (refusal: BenefitRefusal) => (refusal === "member_inactive" ? refusal : `benefit_${refusal}`);

/** Fields the eligibility condition reads (private.benefit_member_context). */
export const BENEFIT_MEMBER_FIELDS = ["tier", "tier_rank", "tags", "birthday_month", "status", "home_business_unit", "growth_value"] as const;
/** Fields grant_on_transaction reads, besides member.<field>. */
export const BENEFIT_TRANSACTION_FIELDS = ["amount", "channel", "business_unit", "business_unit_kind", "order_no"] as const;

/** The limits of private.benefit_limits(). Face values of coupons are in fen. */
export const BENEFIT_LIMITS = {
  max_hours: 24,
  max_percent: 99,
  max_coupon_fen: 10_000_000,
  max_item_value: 1000,
  max_uses_per_period: 100,
  max_validity_days: 366,
  max_uses_per_verification: 100,
  max_with_grants: 10,
  max_manual_uses: 100,
  director_above_uses: 10,
  reason_max_length: 500,
  logic_max_bytes: 4096,
  recent_days: 30,
  max_codes: 20,
  max_campaign_members: 10_000,
  director_above_members: 100,
} as const;

/** The largest value of a definition of each kind (the smallest is 1). */
export const benefitMaxValue = (kind: BenefitKind): number =>
  kind === "parking_hours" ? BENEFIT_LIMITS.max_hours
  : kind === "discount_percent" ? BENEFIT_LIMITS.max_percent
  : kind === "coupon" ? BENEFIT_LIMITS.max_coupon_fen
  : BENEFIT_LIMITS.max_item_value;

/** Coupon codes: 12 capital letters or digits without 0, O, 1, I. */
export const COUPON_CODE_PATTERN = "^[A-HJ-NP-Z2-9]{12}$";
/** A typed or scanned code as redeem_coupon reads it: spaces and dashes dropped, upper case. */
export const normalizeCouponCode = (code: string) => code.replace(/[\s-]/g, "").toUpperCase();

/** The approval flow of manual grants (workflows/approvals/benefit-grant.json). */
export const BENEFIT_GRANT_FLOW = "benefit-grant";

export const benefitKindLabel = (kind: string) => `benefitKinds.${kind}`;
export const benefitSourceLabel = (source: string) => `benefitSources.${source}`;
export const benefitGrantStatusLabel = (status: string) => `benefitGrantStatuses.${status}`;
export const benefitPeriodLabel = (period: string) => `benefitPeriods.${period}`;
export const benefitRefusalLabel = (refusal: string) => `benefitRefusals.${refusal}`;
