import type { TFunction } from "i18next";
import type { LedgerEntry } from "../../lib/types";

/**
 * What an entry is for, in the user's language: entries the system posts (points earned on a purchase,
 * expiry) are described from their structure; entries people post (redemption, adjustment, reversal) carry
 * the reason that person gave.
 */
export function ledgerReason(entry: LedgerEntry, t: TFunction): string {
  const order = entry.transactions?.order_no;
  if (entry.kind === "earn" && order) return t("points.ledger.reasons.purchase", { order });
  if (entry.kind === "expire") return t("points.ledger.reasons.expired");
  return entry.reason || "—";
}
