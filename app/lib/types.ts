import type { RJSFSchema } from "@rjsf/utils";
import type { BusinessUnitKind, DefinitionStatus, Gender, LotKind, MemberStatus, Role } from "../../core/enums/index.ts";
import type { UiSchema } from "../forms/layout";
/** Rows as PostgREST returns them (see supabase/migrations). */
export interface BusinessUnit {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  kind: BusinessUnitKind;
  active: boolean;
  created_at: string;
}

export interface Tier {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  rank: number;
  growth_threshold: number;
  review_period_months?: number;
  /** Points given once on an upgrade into this tier (per review window). */
  upgrade_gift_points?: number;
  upgrade_gift_lot_kind?: string;
  created_at: string;
}

/** A paid membership on sale (tier_offers): the tier for a period at a price in fen. */
export interface TierOffer {
  id: string;
  tier_id: string;
  period: "month" | "quarter" | "year";
  price_fen: number;
  active: boolean;
  created_at: string;
}

export interface Member {
  id: string;
  member_no: string;
  name: string;
  /** Null only on a record merged into another (merged_into set). */
  phone: string | null;
  email: string | null;
  birthday: string | null;
  gender: Gender;
  tier_id: string;
  growth_value: number;
  tags: string[];
  status: MemberStatus;
  home_business_unit_id: string | null;
  /** Fields added through the form builder; titles come from the published member form. */
  custom: Record<string, unknown>;
  form_version: number | null;
  merged_into?: string | null;
  created_at: string;
  updated_at: string;
  /** Read through member_directory: the birthday's month, kept when the birthday itself is masked. */
  birthday_month?: number | null;
  /** True when phone, email and birthday are masked for the signed-in role (directors, analysts). */
  personal_data_masked?: boolean;
  /** A paid membership's tier and its end (null: none); earned_tier_id: the tier growth earns meanwhile. */
  paid_tier_id?: string | null;
  paid_until?: string | null;
  earned_tier_id?: string | null;
  /** When the member's personal data was anonymised on request (null: never). */
  anonymised_at?: string | null;
}

/** One version of a form or entity definition (form_definitions, entity_definitions): JSON Schema + uiSchema. */
export interface FormDefinition {
  id: string;
  key: string;
  version: number;
  status: DefinitionStatus;
  title: string;
  title_en: string | null;
  schema: RJSFSchema;
  ui_schema: UiSchema;
  created_at?: string;
  published_at?: string | null;
}

export interface PointBalance {
  member_id: string;
  balance: number;
  updated_at: string;
}

/** A member's spendable balance and pending points (待入账) apart (member_point_summary). */
export interface PointSummary {
  member_id: string;
  balance: number;
  pending: number;
  next_release_at: string | null;
}

/** One lot a purchase earned, held for its return window (pending_points). */
export interface PendingPoints {
  id: number;
  transaction_id: string;
  member_id: string;
  business_unit_id: string;
  kind: string;
  points: number;
  earned_at: string;
  release_at: string;
  status: "held" | "released" | "cancelled" | "lapsed";
  entry_id: number | null;
  settled_at: string | null;
  reason: string | null;
}

export interface PointLot {
  id: number;
  member_id: string;
  business_unit_id: string;
  kind: LotKind;
  original_points: number;
  remaining_points: number;
  earned_at: string;
  expires_at: string;
  expired_points: number;
  earn_entry_id: number;
}

export type LedgerKind = "earn" | "redeem" | "expire" | "adjust" | "reverse";

/** One lot an entry touched (signed points), with the lot's kind and expiry embedded. */
export interface LedgerLotMove {
  entry_id: number;
  lot_id: number;
  points: number;
  point_lots?: Pick<PointLot, "kind" | "expires_at"> | null;
}

export interface LedgerEntry {
  id: number;
  member_id: string;
  business_unit_id: string;
  kind: LedgerKind;
  points: number;
  balance_after: number;
  idempotency_key: string | null;
  transaction_id: string | null;
  reverses_entry_id: number | null;
  reason: string | null;
  operator_id: string | null;
  occurred_at: string;
  created_at: string;
  ledger_lot_moves?: LedgerLotMove[];
  /** The purchase an earn entry is for (embedded by LEDGER_SELECT). */
  transactions?: { order_no: string } | null;
}

export interface Transaction {
  id: string;
  business_unit_id: string;
  order_no: string;
  member_id: string;
  amount: number | string;
  items: unknown[];
  occurred_at: string;
  channel: string;
  operator_id: string | null;
  growth_points: number;
  created_at: string;
}

/** The rules engine's evaluation of one transaction (points arrive shortly after recording). */
export interface TransactionEarning {
  transaction_id: string;
  member_id: string;
  business_unit_id: string;
  points: number;
  outcome: "earned" | "held" | "none" | "expired" | "refused" | "legacy";
  lots: { kind: LotKind; lot_id: number; points: number; entry_id: number; expires_at: string }[];
  expires_at: string | null;
  error: string | null;
  evaluated_at: string;
}

export interface TierHistory {
  id: string;
  member_id: string;
  from_tier_id: string | null;
  to_tier_id: string;
  reason: "registration" | "upgrade" | "review" | "merge" | "purchase" | "paid_expiry";
  details: Record<string, string | number>;
  changed_at: string;
}

export interface MemberIdentity {
  id?: string;
  member_id: string;
  business_unit_id: string;
  external_id: string;
  created_at?: string;
}

export interface StaffProfile {
  user_id: string;
  display_name: string;
  email: string | null;
  home_business_unit_id: string | null;
  locale: string | null;
  created_at: string;
}

export interface RoleAssignment {
  id: string;
  user_id: string;
  role: Role;
  business_unit_id: string | null;
  created_at: string;
}

export interface AuditEntry {
  id: number;
  table_name: string;
  record_id: string | null;
  action: "INSERT" | "UPDATE" | "DELETE" | "EXPORT" | "CALL";
  actor_id: string | null;
  at: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  /** The unit API key behind the change or call (public.api_keys), if any. */
  api_key_id?: string | null;
  /** Position in the tamper-evident chain. */
  chain_seq?: number | null;
}

