import { useTable } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Button, Table } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { channelLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import { formatCount, formatDateTime, formatMoney } from "../../../lib/format";
import type { Transaction } from "../../../lib/types";
import { numberColumn, oneLineColumn } from "../../../components/table-columns";
import { ReturnTransactionModal } from "./ReturnTransactionModal";

/** The member's purchases in every business unit, newest first; the front office returns one (退货). */
export function TransactionsTable({ memberId }: { memberId: string }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const { tableProps, tableQuery } = useTable<Transaction>({
    resource: "transactions",
    filters: { permanent: [{ field: "member_id", operator: "eq", value: memberId }] },
    sorters: { permanent: [{ field: "occurred_at", order: "desc" }] },
    pagination: { pageSize: 10 },
    syncWithLocation: false,
    errorNotification: false,
  });
  const { data: canReturn } = useCan({ resource: "pending_points", action: "create" });
  const [returning, setReturning] = useState<{ transaction: Transaction; session: number } | null>(null);
  const [open, setOpen] = useState(false);
  const channel = (value: string) => (i18n.exists(channelLabel(value)) ? t(channelLabel(value)) : value);

  return (
    <>
    <Table<Transaction>
      {...tableProps}
      rowKey="id"
      size="small"
      locale={tableQuery.isError ? { emptyText: t("common.loadFailed") } : undefined}
    >
      <Table.Column<Transaction> dataIndex="occurred_at" title={t("transactions.fields.occurred_at")} {...oneLineColumn} render={formatDateTime} />
      <Table.Column<Transaction> dataIndex="business_unit_id" title={t("transactions.fields.business_unit")} render={unitName} />
      <Table.Column<Transaction> dataIndex="order_no" title={t("transactions.fields.order_no")} {...oneLineColumn} />
      <Table.Column<Transaction> dataIndex="amount" title={t("transactions.fields.amount")} {...numberColumn} render={formatMoney} />
      <Table.Column<Transaction> dataIndex="channel" title={t("transactions.fields.channel")} render={channel} />
      <Table.Column<Transaction> dataIndex="growth_points" title={t("transactions.fields.growth_points")} {...numberColumn} render={formatCount} />
      {canReturn?.can && (
        <Table.Column<Transaction>
          key="return"
          title={t("table.actions")}
          {...oneLineColumn}
          render={(_, transaction) => (
            <Button
              size="small"
              onClick={() => {
                setReturning((previous) => ({ transaction, session: (previous?.session ?? 0) + 1 }));
                setOpen(true);
              }}
            >
              {t("pending.return.button")}
            </Button>
          )}
        />
      )}
    </Table>
    {returning && (
      <ReturnTransactionModal key={returning.session} transaction={returning.transaction} open={open} onClose={() => setOpen(false)} />
    )}
    </>
  );
}
