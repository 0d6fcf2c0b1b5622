/** i18n keys of the benefits' registry values (labels live once, in app/i18n). */
export const benefitKindLabel = (kind: string) => `benefitKinds.${kind}`;
export const benefitPeriodLabel = (period: string) => `benefitPeriods.${period}`;
export const benefitRefusalLabel = (refusal: string) => `benefitRefusals.${refusal}`;
export const benefitSourceLabel = (source: string) => `benefitSources.${source}`;
export const benefitGrantStatusLabel = (status: string) => `benefitGrantStatuses.${status}`;

/** The kinds a definition may have (core/enums/benefits.ts holds the list the database checks). */
export const BENEFIT_KIND_VALUES = ["parking_hours", "discount_percent", "free_item", "gift", "priority_access", "coupon"] as const;
