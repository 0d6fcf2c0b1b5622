import { Show, useTable } from "@refinedev/antd";
import { useCan, useList, useOne } from "@refinedev/core";
import { Button, Card, Descriptions, Result, Space, Statistic, Table } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { CARD_ACTIONS, REPLACEABLE_CARD_STATUSES, cardEntryKindLabel, cardTypeLabel, paymentChannelLabel, type CardAction } from "../../../core/enums/index.ts";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { useUnitName } from "../../components/useUnitName";
import type { CardEntry, StoredValueCard } from "../../data/cards/types";
import { formatDateTime } from "../../lib/format";
import { CardActionModal, type CardOperation } from "./CardActionModal";
import { CardStatusTag, formatFen } from "./shared";

type CardWithMember = StoredValueCard & { members: { member_no: string; name: string } | null };

/** A card: balance, status, holder, the operations its status allows, and its history (newest first). */
export function CardShow() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const unitName = useUnitName();
  const staff = useLookup<{ user_id: string; display_name: string }>("staff_profiles", "user_id");
  const { result: card, query } = useOne<CardWithMember>({
    resource: "stored_value_cards",
    id,
    meta: { select: "*, members(member_no, name)" },
    queryOptions: { enabled: !!id },
  });
  const { data: canPost } = useCan({ resource: "stored_value_cards", action: "create" });
  const { data: canEdit } = useCan({ resource: "stored_value_cards", action: "edit" });
  const [operation, setOperation] = useState<{ op: CardOperation; n: number } | null>(null);
  const open = (op: CardOperation) => setOperation({ op, n: (operation?.n ?? 0) + 1 });

  const { tableProps, tableQuery } = useTable<CardEntry>({
    resource: "card_ledger",
    filters: { permanent: [{ field: "card_id", operator: "eq", value: id }] },
    sorters: { permanent: [{ field: "id", order: "desc" }] },
    pagination: { pageSize: 20 },
    syncWithLocation: false,
    errorNotification: false,
    queryOptions: { enabled: !!id },
  });
  // What has been refunded of each consumption on the card (a refund never exceeds what is left).
  const refunds = useList<CardEntry>({
    resource: "card_ledger",
    filters: [{ field: "card_id", operator: "eq", value: id }, { field: "kind", operator: "eq", value: "refund" }],
    pagination: { mode: "off" },
    queryOptions: { enabled: !!id },
  });
  const refunded = (entryId: number) =>
    (refunds.result.data ?? []).filter((r) => r.refunds_entry_id === entryId).reduce((sum, r) => sum + Number(r.amount_fen), 0);

  if (query.isSuccess && !card) return <Result status="404" title="404" subTitle={t("stored_value_cards.notFound")} />;

  const statusActions = card ? (Object.keys(CARD_ACTIONS) as CardAction[]).filter((a) => (CARD_ACTIONS[a] as readonly string[]).includes(card.status)) : [];
  const buttons = card && (
    <Space wrap>
      {canPost?.can && card.status === "active" && (
        <>
          <Button type="primary" onClick={() => open({ kind: "recharge" })}>{t("stored_value_cards.actions.recharge")}</Button>
          <Button onClick={() => open({ kind: "consume" })}>{t("stored_value_cards.actions.consume")}</Button>
        </>
      )}
      {canEdit?.can && statusActions.map((a) => (
        <Button key={a} danger={a === "cancel" || a === "report_loss"} onClick={() => open({ kind: "status", action: a })}>{t(`stored_value_cards.actions.${a}`)}</Button>
      ))}
      {canEdit?.can && REPLACEABLE_CARD_STATUSES.includes(card.status) && (
        <Button onClick={() => open({ kind: "replace" })}>{t("stored_value_cards.actions.replace")}</Button>
      )}
    </Space>
  );

  return (
    <Show title={card ? `${t("stored_value_cards.titles.show")} · ${card.card_no}` : t("stored_value_cards.titles.show")} isLoading={query.isLoading} headerButtons={buttons}>
      {card && (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Card>
            <Space size="large" align="start" wrap>
              <Statistic title={t("stored_value_cards.fields.balance")} value={formatFen(card.balance_fen)} />
              <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
                <Descriptions.Item label={t("stored_value_cards.fields.card_no")}>{card.card_no}</Descriptions.Item>
                <Descriptions.Item label={t("stored_value_cards.fields.status")}><CardStatusTag status={card.status} /></Descriptions.Item>
                <Descriptions.Item label={t("stored_value_cards.fields.type_code")}>{t(cardTypeLabel(card.type_code))}</Descriptions.Item>
                <Descriptions.Item label={t("stored_value_cards.fields.member")}>
                  {card.members ? <Link to={`/members/show/${card.member_id}`}>{`${card.members.name} · ${card.members.member_no}`}</Link> : t("stored_value_cards.fields.noMember")}
                </Descriptions.Item>
                <Descriptions.Item label={t("stored_value_cards.fields.issuing_unit")}>{unitName(card.issuing_unit_id)}</Descriptions.Item>
                <Descriptions.Item label={t("stored_value_cards.fields.issued_at")}>{formatDateTime(card.issued_at)}</Descriptions.Item>
                {card.status_reason && <Descriptions.Item label={t("stored_value_cards.fields.status_reason")}>{card.status_reason}</Descriptions.Item>}
                {card.replaced_by_card_id && (
                  <Descriptions.Item label={t("stored_value_cards.fields.replaced_by")}><Link to={`/cards/show/${card.replaced_by_card_id}`}>{t("stored_value_cards.fields.replaced_by")}</Link></Descriptions.Item>
                )}
                {card.replaces_card_id && (
                  <Descriptions.Item label={t("stored_value_cards.fields.replaces")}><Link to={`/cards/show/${card.replaces_card_id}`}>{t("stored_value_cards.fields.replaces")}</Link></Descriptions.Item>
                )}
              </Descriptions>
            </Space>
          </Card>
          <Card title={t("stored_value_cards.history")}>
            <Table<CardEntry> {...tableProps} rowKey="id" size="small" scroll={{ x: "max-content" }}
              locale={tableQuery.isError ? { emptyText: t("common.loadFailed") } : undefined}>
              <Table.Column<CardEntry> dataIndex="occurred_at" title={t("stored_value_cards.ledger.occurred_at")} {...oneLineColumn} render={formatDateTime} />
              <Table.Column<CardEntry> dataIndex="kind" title={t("stored_value_cards.ledger.kind")} {...oneLineColumn} render={(k: string) => t(cardEntryKindLabel(k))} />
              <Table.Column<CardEntry> dataIndex="amount_fen" title={t("stored_value_cards.ledger.amount")} {...numberColumn} render={formatFen} />
              <Table.Column<CardEntry> dataIndex="balance_after" title={t("stored_value_cards.ledger.balance_after")} {...numberColumn} render={formatFen} />
              <Table.Column<CardEntry> dataIndex="business_unit_id" title={t("stored_value_cards.ledger.business_unit")} {...oneLineColumn} render={unitName} />
              <Table.Column<CardEntry> dataIndex="channel" title={t("stored_value_cards.ledger.channel")} render={(ch: string | null) => (ch ? t(paymentChannelLabel(ch)) : "—")} />
              <Table.Column<CardEntry> dataIndex="operator_id" title={t("stored_value_cards.ledger.operator")} {...oneLineColumn}
                render={(uid: string | null) => (uid ? staff.map.get(uid)?.display_name ?? t("audit_log.unknownActor") : t("audit_log.system"))} />
              <Table.Column<CardEntry> dataIndex="reason" title={t("stored_value_cards.ledger.reason")} render={(r: string | null) => r ?? "—"} />
              <Table.Column<CardEntry> key="refund" title={t("stored_value_cards.ledger.refunded")} {...numberColumn}
                render={(_: unknown, e: CardEntry) => {
                  if (e.kind !== "consume") return null;
                  const done = refunded(e.id);
                  return (
                    <Space>
                      {formatFen(done)}
                      {canPost?.can && card.status === "active" && done < -e.amount_fen && (
                        <Button size="small" onClick={() => open({ kind: "refund", entry: e, refundedFen: done })}>{t("stored_value_cards.actions.refund")}</Button>
                      )}
                    </Space>
                  );
                }} />
            </Table>
          </Card>
        </Space>
      )}
      {card && operation && <CardActionModal key={operation.n} card={card} operation={operation.op} onClose={() => setOperation(null)} />}
    </Show>
  );
}
