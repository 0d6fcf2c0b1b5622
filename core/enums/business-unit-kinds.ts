/** Kinds of business unit: the SQL enum public.business_unit_kind. */
export const BUSINESS_UNIT_KINDS = ["mall", "hotel", "office", "property", "other"] as const;
export type BusinessUnitKind = (typeof BUSINESS_UNIT_KINDS)[number];

export const businessUnitKindLabel = (kind: string) => `business_units.kinds.${kind}`;
