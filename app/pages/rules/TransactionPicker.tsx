import { App, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { earningData } from "../../../core/evaluation/earning-data.ts";
import type { ContextItem } from "../../../core/evaluation/earning-data.ts";
import { callRpc } from "../../data/rpc";
import { useRecentTransactions } from "../../data/rules/test-cases";
import { formatDateTime } from "../../lib/format";

/**
 * Picks one of the latest transactions and hands over the data the rules receive for it (public.rule_sample_context
 * read with the user's rights, shaped by core/evaluation/earning-data.ts as the engine shapes it): its transaction and
 * its member. The bench keeps the other parts of its sample (a lot, `now`, statistics).
 */
export function TransactionPicker({ onPick }: { onPick: (data: { transaction: unknown; member: unknown }) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const recent = useRecentTransactions(open);

  const pick = async (id: string) => {
    setLoading(true);
    try {
      const context = await callRpc<Pick<ContextItem, "transaction" | "member"> | null>("rule_sample_context", { p_transaction_id: id });
      if (!context) throw new Error("not readable");
      const { data } = earningData(context);
      onPick(data);
      message.success(t("rules.bench.picked", { order: data.transaction.order_no ?? t("rules.bench.noOrderNo") }));
    } catch {
      message.error(t("rules.bench.pickFailed"));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Select
      aria-label={t("rules.bench.pick")}
      placeholder={t("rules.bench.pickPlaceholder")}
      style={{ minWidth: 280 }}
      loading={recent.isLoading || loading}
      onOpenChange={(visible) => visible && setOpen(true)}
      value={null}
      onChange={(id: string) => void pick(id)}
      options={(recent.data ?? []).map((r) => ({
        value: r.id,
        label: `${r.order_no ?? t("rules.bench.noOrderNo")} · ¥${Number(r.amount).toFixed(2)} · ${formatDateTime(r.occurred_at)}`,
      }))}
    />
  );
}
