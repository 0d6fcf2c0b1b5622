import { MEMBER_RESOURCES } from "../members/refresh-member-data";
import { useRpcMutation } from "../use-rpc";

export interface RecordTransactionInput {
  memberId: string;
  businessUnitId: string;
  orderNo: string;
  /** Yuan, two decimals. */
  amount: number;
  channel: string;
  occurredAt: string;
}

/**
 * What `record_transaction` answers. The rules engine earns the points moments later: `pending` true
 * and `points` null until then (see useTransactionEarning). `duplicate`: the unit had this order
 * number already (same member and amount); then growth and tier fields are absent.
 */
export interface RecordTransactionResult {
  transaction_id: string;
  points: number | null;
  pending?: boolean;
  entry_id?: number | string | null;
  lot_id?: number | string | null;
  balance: number;
  growth_value?: number;
  tier_code?: string | null;
  tier_changed?: boolean;
  duplicate: boolean;
}

/** Records one consumption at a business unit; the server earns its points as a new lot. */
export function useRecordTransactionMutation() {
  return useRpcMutation<RecordTransactionInput, RecordTransactionResult>("record_transaction", {
    args: (input) => ({
      p_member_id: input.memberId,
      p_business_unit_id: input.businessUnitId,
      p_order_no: input.orderNo.trim(),
      p_amount: Math.round(input.amount * 100) / 100,
      p_channel: input.channel,
      p_occurred_at: input.occurredAt,
    }),
    invalidates: MEMBER_RESOURCES,
  });
}
