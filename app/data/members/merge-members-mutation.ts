import { useRpcMutation } from "../use-rpc";
import { MEMBER_RESOURCES } from "./refresh-member-data";

export interface MergeMembersInput {
  survivorId: string;
  mergedId: string;
  /** false: only a preview of what would move; true: do it. */
  confirm: boolean;
}

export interface MergeMembersResult {
  survivor_id: string;
  merged_id: string;
  /** Counts of what moves; `points` and `growth_value` are amounts. */
  moved: { lots: number; ledger_entries: number; transactions: number; identities: number; points?: number; growth_value?: number };
  balance_after: number;
  confirmed: boolean;
}

/** Merges a duplicate member into the survivor (preview first, then with confirm). */
export function useMergeMembersMutation() {
  return useRpcMutation<MergeMembersInput, MergeMembersResult>("merge_members", {
    args: (input) => ({ p_survivor_id: input.survivorId, p_merged_id: input.mergedId, p_confirm: input.confirm }),
    invalidates: (result) => (result.confirmed ? MEMBER_RESOURCES : []),
  });
}
