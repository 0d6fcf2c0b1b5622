import { useTable } from "@refinedev/antd";
import { Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { useUnitName } from "../../../components/useUnitName";
import { LEDGER_SELECT } from "../../../data/points/fetch-member-ledger";
import { ledgerReason } from "../../../data/points/ledger-reason";
import { formatCount, formatDateTime } from "../../../lib/format";
import type { LedgerEntry, LedgerKind } from "../../../lib/types";
import { LotTrace } from "./LotTrace";
import { SignedPoints } from "./SignedPoints";
import { numberColumn, oneLineColumn } from "../../../components/table-columns";

const KIND_COLORS: Record<LedgerKind, string> = { earn: "green", redeem: "blue", expire: "default", adjust: "purple", reverse: "orange" };

/** The member's ledger, newest first; expanding an entry shows the lots it moved. */
export function LedgerTable({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const { tableProps, tableQuery } = useTable<LedgerEntry>({
    resource: "ledger_entries",
    filters: { permanent: [{ field: "member_id", operator: "eq", value: memberId }] },
    sorters: { permanent: [{ field: "id", order: "desc" }] },
    pagination: { pageSize: 10 },
    meta: { select: LEDGER_SELECT },
    syncWithLocation: false,
    errorNotification: false,
  });

  return (
    <Table<LedgerEntry>
      {...tableProps}
      rowKey="id"
      size="small"
      locale={tableQuery.isError ? { emptyText: t("common.loadFailed") } : undefined}
      expandable={{ expandedRowRender: (entry) => <LotTrace entryId={entry.id} moves={entry.ledger_lot_moves ?? []} /> }}
    >
      <Table.Column<LedgerEntry> dataIndex="id" title={t("points.ledger.id")} {...oneLineColumn} />
      <Table.Column<LedgerEntry> dataIndex="occurred_at" title={t("points.ledger.occurred_at")} render={formatDateTime} {...oneLineColumn} />
      <Table.Column<LedgerEntry>
        dataIndex="kind"
        title={t("points.ledger.kind")}
        {...oneLineColumn}
        render={(kind: LedgerKind) => <Tag color={KIND_COLORS[kind]}>{t(`points.entryKinds.${kind}`)}</Tag>}
      />
      <Table.Column<LedgerEntry> dataIndex="business_unit_id" title={t("points.ledger.business_unit")} render={unitName} />
      <Table.Column<LedgerEntry>
        dataIndex="points"
        title={t("points.ledger.points")}
        {...numberColumn}
        render={(points: number) => <SignedPoints value={points} />}
      />
      <Table.Column<LedgerEntry> dataIndex="balance_after" title={t("points.ledger.balance_after")} {...numberColumn} render={formatCount} />
      <Table.Column<LedgerEntry>
        key="lots"
        title={t("points.ledger.lots")}
        render={(_, entry) => (entry.ledger_lot_moves ?? []).map((move) => `#${move.lot_id}`).join(", ") || "—"}
      />
      <Table.Column<LedgerEntry> key="reason" title={t("points.ledger.reason")} render={(_, entry) => ledgerReason(entry, t)} />
    </Table>
  );
}
