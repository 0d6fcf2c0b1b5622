import type { MemberStatus } from "../../../core/enums/index.ts";
import { useRpcMutation } from "../use-rpc";
import { MEMBER_RESOURCES } from "./refresh-member-data";

export interface SetMemberStatusInput {
  memberId: string;
  status: MemberStatus;
  reason: string;
}

/** Freezes, unfreezes or cancels a member (`set_member_status`); answers the status it now has. */
export function useSetMemberStatusMutation() {
  return useRpcMutation<SetMemberStatusInput, MemberStatus>("set_member_status", {
    args: (input) => ({ p_member_id: input.memberId, p_status: input.status, p_reason: input.reason }),
    invalidates: MEMBER_RESOURCES,
  });
}
