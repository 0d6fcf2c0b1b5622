import { PHONE_PATTERN } from "../../../core/enums/index.ts";
import { dataProvider } from "../../providers/data-provider";
import type { Member } from "../../lib/types";

/** How the counter looks a member up. */
export type FindBy = "code" | "phone" | "plate";

/** What the counter shows of a member. */
export type CounterMember = Pick<Member, "id" | "member_no" | "name" | "phone" | "tier_id" | "status" | "merged_into">;

const COLUMNS = "id, member_no, name, phone, tier_id, status, merged_into";

/** Normalises what was typed or scanned: no spaces, phones as digits, plates in capitals (codes as typed). */
export function normaliseQuery(by: FindBy, text: string): string {
  const compact = text.replace(/\s+/g, "");
  return by === "phone" ? compact.replace(/[^0-9]/g, "") : by === "plate" ? compact.toUpperCase() : compact;
}

/** True when the text can be searched for this way (a phone must be a mainland mobile number). */
export const validQuery = (by: FindBy, query: string) => (by === "phone" ? new RegExp(PHONE_PATTERN).test(query) : query.length >= 2 && query.length <= 64);

async function membersWhere(field: string, value: string, ids?: string[]): Promise<CounterMember[]> {
  const { data } = await dataProvider.getList<CounterMember>({
    resource: "members",
    filters: ids ? [{ field: "id", operator: "in", value: ids }] : [{ field, operator: "eq", value }],
    pagination: { currentPage: 1, pageSize: 10 },
    meta: { select: COLUMNS },
  });
  return data.filter((m) => !m.merged_into);
}

/**
 * The members matching exactly: by member code (the member number, or a unit's own member id), by phone or by
 * licence plate (the member form's licence_plate field). Merged records are left out (their survivor is found).
 */
export async function findMembers(by: FindBy, query: string): Promise<CounterMember[]> {
  if (by === "phone") return membersWhere("phone", query);
  if (by === "plate") return membersWhere("custom->>licence_plate", query);
  const byNumber = await membersWhere("member_no", query.toUpperCase());
  if (byNumber.length) return byNumber;
  const { data: identities } = await dataProvider.getList<{ member_id: string }>({
    resource: "member_identities",
    filters: [{ field: "external_id", operator: "eq", value: query }],
    pagination: { currentPage: 1, pageSize: 10 },
    meta: { select: "member_id" },
  });
  const ids = [...new Set(identities.map((row) => row.member_id))];
  return ids.length ? membersWhere("id", "", ids) : [];
}

/** 138****5678: the counter never shows a full phone number. */
export const maskPhone = (phone: string | null) => (phone ? phone.replace(/^(\d{3})\d{4}(\d{4})$/, "$1****$2") : "—");
