import { usePublishedForm } from "../forms/use-published-form";

/**
 * The member form (key 'member') a member was saved with: that version when given, else the published one.
 * Old members display by the form they were made with. Undefined while loading, null when there is none.
 */
export const useMemberForm = (version?: number | null) => usePublishedForm("member", version);
