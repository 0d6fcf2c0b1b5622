import { useList, useCan } from "@refinedev/core";
import { Button, Space, Table } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { cardTypeLabel, type CardStatus } from "../../../core/enums/index.ts";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useUnitName } from "../../components/useUnitName";
import type { StoredValueCard } from "../../data/cards/types";
import { formatDateTime } from "../../lib/format";
import { IssueCardModal } from "./IssueCardModal";
import { CardStatusTag, formatFen } from "./shared";

/** The member 360 page's 储值卡 tab: the member's cards (each opens its page) and issuing a card to the member. */
export function MemberCardsTab({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const [issuing, setIssuing] = useState(false);
  const { data: canCreate } = useCan({ resource: "stored_value_cards", action: "create" });
  const { result, query } = useList<StoredValueCard>({
    resource: "stored_value_cards",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    sorters: [{ field: "issued_at", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {canCreate?.can && <Button onClick={() => setIssuing(true)}>{t("stored_value_cards.actions.issue")}</Button>}
      <Table<StoredValueCard> rowKey="id" size="small" loading={query.isLoading} dataSource={result.data ?? []} pagination={false}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("stored_value_cards.memberNoCards") }}>
        <Table.Column<StoredValueCard> dataIndex="card_no" title={t("stored_value_cards.fields.card_no")} {...oneLineColumn}
          render={(no: string, r) => <Link to={`/cards/show/${r.id}`}>{no}</Link>} />
        <Table.Column<StoredValueCard> dataIndex="type_code" title={t("stored_value_cards.fields.type_code")} render={(c: string) => t(cardTypeLabel(c))} />
        <Table.Column<StoredValueCard> dataIndex="status" title={t("stored_value_cards.fields.status")} render={(s: CardStatus) => <CardStatusTag status={s} />} />
        <Table.Column<StoredValueCard> dataIndex="balance_fen" title={t("stored_value_cards.fields.balance")} {...numberColumn} render={formatFen} />
        <Table.Column<StoredValueCard> dataIndex="issuing_unit_id" title={t("stored_value_cards.fields.issuing_unit")} render={unitName} />
        <Table.Column<StoredValueCard> dataIndex="issued_at" title={t("stored_value_cards.fields.issued_at")} {...oneLineColumn} render={formatDateTime} />
      </Table>
      {issuing && <IssueCardModal memberId={memberId} onClose={() => setIssuing(false)} />}
    </Space>
  );
}
