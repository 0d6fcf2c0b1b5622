/**
 * Rows of the benefits API (supabase/migrations/*_benefits.sql): what `usable_benefits` lists, the grants and
 * uses tables, and the versioned definitions. Kinds, refusals and limits come from core/enums/benefits.ts.
 */

/** One grant of the member as the counter sees it at one unit: usable now, or why not. */
export interface UsableBenefit {
  grant_id: string;
  definition_key: string;
  definition_version: number;
  name: string;
  name_en: string | null;
  kind: string;
  value: number | null;
  uses_total: number;
  uses_left: number;
  valid_from: string;
  valid_until: string;
  code: string | null;
  source: string;
  status: string;
  accepting_unit_codes: string[] | null;
  stacks_with_points: boolean;
  stacks_with_benefits: boolean;
  usable: boolean;
  refusal: string | null;
}

export interface BenefitGrant {
  id: string;
  member_id: string;
  definition_key: string;
  definition_version: number;
  source: string;
  source_ref: string | null;
  period_key: string | null;
  uses_total: number;
  uses_left: number;
  valid_from: string;
  valid_until: string;
  code: string | null;
  issuing_unit_id: string;
  status: string;
  created_at: string;
}

/** One verification (benefit_uses, append-only): also what verify_benefit_use and redeem_coupon answer. */
export interface BenefitUse {
  id: number;
  grant_id: string;
  member_id: string;
  business_unit_id: string;
  uses: number;
  /** What was left of the grant after this use. */
  uses_left: number;
  used_by: string | null;
  with_points: boolean;
  with_grant_ids: string[];
  created_at: string;
}

export interface BenefitDefinition {
  id: string;
  key: string;
  version: number;
  status: string;
  name: string;
  name_en: string | null;
  description: string | null;
  description_en: string | null;
  kind: string;
  value: number | null;
  eligibility: unknown;
  uses_per_period: number;
  period: string;
  validity_days: number;
  issuing_unit_id: string;
  accepting_unit_codes: string[] | null;
  stacks_with_points: boolean;
  stacks_with_benefits: boolean;
  grant_on_tiers: string[] | null;
  grant_in_birthday_month: boolean;
  grant_on_transaction: unknown;
  created_at?: string;
  published_at?: string | null;
}
