/** States of a member record: the SQL enum public.member_status. */
export const MEMBER_STATUSES = ["active", "frozen", "cancelled"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Genders: the SQL enum public.gender. */
export const GENDERS = ["male", "female", "unknown"] as const;
export type Gender = (typeof GENDERS)[number];

export const memberStatusLabel = (status: string) => `members.status.${status}`;
export const genderLabel = (gender: string) => `members.gender.${gender}`;
