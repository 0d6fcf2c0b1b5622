/** Rows as PostgREST returns them (see supabase/migrations). */
export interface BusinessUnit {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  kind: "mall" | "hotel" | "office" | "property" | "other";
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
  created_at: string;
}

export interface Member {
  id: string;
  member_no: string;
  name: string;
  phone: string;
  email: string | null;
  birthday: string | null;
  gender: "male" | "female" | "unknown";
  tier_id: string;
  growth_value: number;
  tags: string[];
  status: "active" | "frozen" | "cancelled";
  home_business_unit_id: string | null;
  created_at: string;
  updated_at: string;
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
  role: "admin" | "staff" | "manager" | "director" | "analyst";
  business_unit_id: string | null;
  created_at: string;
}

export interface AuditEntry {
  id: number;
  table_name: string;
  record_id: string | null;
  action: "INSERT" | "UPDATE" | "DELETE";
  actor_id: string | null;
  at: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export const BUSINESS_UNIT_KINDS: BusinessUnit["kind"][] = ["mall", "hotel", "office", "property", "other"];
