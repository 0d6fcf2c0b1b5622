import type { Member } from "../../lib/types";

/** Member form fields stored in members' own columns; every other field of the form lives in `custom`. */
export const MEMBER_COLUMN_FIELDS = ["name", "phone", "email", "birthday", "gender", "tags"] as const;
const COLUMNS = new Set<string>(MEMBER_COLUMN_FIELDS);

export function isColumnField(key: string) {
  return COLUMNS.has(key);
}

/** The member as the member form sees it: its columns and its custom fields side by side. */
export function memberToFormData(member: Member): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(member.custom ?? {}) };
  for (const key of MEMBER_COLUMN_FIELDS) {
    const value = member[key];
    if (value !== null && value !== undefined) data[key] = value;
  }
  return data;
}

/** What the member form submitted, as a members row: columns (cleared ones as null) and `custom`. */
export function formDataToMember(data: Record<string, unknown>) {
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!COLUMNS.has(key) && value !== undefined) custom[key] = value;
  return {
    name: data.name,
    phone: data.phone,
    email: data.email || null,
    birthday: data.birthday || null,
    gender: data.gender ?? "unknown",
    tags: data.tags ?? [],
    custom,
  };
}
