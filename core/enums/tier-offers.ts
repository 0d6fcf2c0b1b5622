/**
 * Paid memberships: the periods an offer may sell (tier_offers.period and tier_purchases.period checks) and the
 * shape of a payment reference (sell_tier_membership and the tier_purchases check).
 */
export const TIER_OFFER_PERIODS = ["month", "quarter", "year"] as const;
export type TierOfferPeriod = (typeof TIER_OFFER_PERIODS)[number];
export const tierOfferPeriodLabel = (period: string) => `tiers.offers.periods.${period}`;

export const PAYMENT_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;
export const MAX_PAYMENT_REF_LENGTH = 64;
