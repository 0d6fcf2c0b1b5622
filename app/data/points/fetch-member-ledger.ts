import type { LedgerEntry } from "../../lib/types";
import { dataProvider } from "../../providers/data-provider";

/** With each entry: the lots it moved, with the lot's kind and expiry, and its purchase's order (PostgREST embedding). */
export const LEDGER_SELECT = "*,ledger_lot_moves(entry_id,lot_id,points,point_lots(kind,expires_at)),transactions(order_no)";
const PAGE = 1000;

/** Every ledger entry of one member, newest first (paged through, for exports). */
export async function fetchMemberLedger(memberId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (let page = 1; ; page++) {
    const { data } = await dataProvider.getList<LedgerEntry>({
      resource: "ledger_entries",
      filters: [{ field: "member_id", operator: "eq", value: memberId }],
      sorters: [{ field: "id", order: "desc" }],
      pagination: { currentPage: page, pageSize: PAGE },
      meta: { select: LEDGER_SELECT, count: "estimated" },
    });
    entries.push(...data);
    if (data.length < PAGE) return entries;
  }
}
