import type { LedgerEntry } from "../../lib/types";
import { supabaseClient } from "../../providers/supabase-client";

/** With each entry: the lots it moved, with the lot's kind and expiry, and its purchase's order (PostgREST embedding). */
export const LEDGER_SELECT = "*,ledger_lot_moves(entry_id,lot_id,points,point_lots(kind,expires_at)),transactions(order_no)";
const PAGE = 1000;

/** Every ledger entry of one member, newest first (paged through, for exports). */
export async function fetchMemberLedger(memberId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (let from = 0; ; from += PAGE) {
    const { data, error } = await supabaseClient
      .from("ledger_entries")
      .select(LEDGER_SELECT)
      .eq("member_id", memberId)
      .order("id", { ascending: false })
      .range(from, from + PAGE - 1);
    if (error) throw new Error(error.message);
    entries.push(...((data ?? []) as LedgerEntry[]));
    if (!data || data.length < PAGE) return entries;
  }
}
