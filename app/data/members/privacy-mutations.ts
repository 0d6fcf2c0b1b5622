import { useRpcMutation } from "../use-rpc";
import { MEMBER_RESOURCES } from "./refresh-member-data";

/** Everything about one member as one JSON document (`member_privacy_export`, audited). */
export type MemberPrivacyExport = Record<string, unknown> & { member_id: string };

export function useMemberPrivacyExport() {
  return useRpcMutation<{ memberId: string }, MemberPrivacyExport>("member_privacy_export", {
    args: (input) => ({ p_member_id: input.memberId }),
  });
}

export interface AnonymiseResult {
  member_id: string;
  anonymised_at: string;
  already: boolean;
}

/** Anonymises a member on request (`anonymise_member`): irreversible, with the reason for the audit trail. */
export function useAnonymiseMember() {
  return useRpcMutation<{ memberId: string; reason: string }, AnonymiseResult>("anonymise_member", {
    args: (input) => ({ p_member_id: input.memberId, p_reason: input.reason }),
    invalidates: MEMBER_RESOURCES,
  });
}

/** Returns a purchase (`return_transaction`): its pending points are cancelled, posted ones reversed. */
export interface ReturnResult {
  cancelled: number;
  cancelled_points: number;
  reversed: number;
  reversed_points: number;
}

export function useReturnTransaction() {
  return useRpcMutation<{ transactionId: string; reason: string }, ReturnResult>("return_transaction", {
    args: (input) => ({ p_transaction_id: input.transactionId, p_reason: input.reason }),
    invalidates: MEMBER_RESOURCES,
  });
}
