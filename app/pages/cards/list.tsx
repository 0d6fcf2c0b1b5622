import { List, useTable } from "@refinedev/antd";
import { useCan, type CrudFilter } from "@refinedev/core";
import { Button, Input, Select, Space, Table, Tabs } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { CARD_STATUSES, CARD_TYPES, cardStatusLabel, cardTypeLabel, type CardStatus } from "../../../core/enums/index.ts";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { useUnitName } from "../../components/useUnitName";
import type { StoredValueCard } from "../../data/cards/types";
import { formatDateTime, nameOptions } from "../../lib/format";
import type { BusinessUnit } from "../../lib/types";
import { BulkRechargeModal } from "./BulkRechargeModal";
import { CardConsumptionReport } from "./ConsumptionReport";
import { IssueCardModal } from "./IssueCardModal";
import { CardStatusTag, formatFen } from "./shared";

type CardRow = StoredValueCard & { members: { member_no: string; name: string } | null };

/** 储值卡: the card list (search by number, filters by status, type and issuing unit) and the consumption report. */
export function CardList() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "report" ? "report" : "cards";
  return (
    <List title={t("stored_value_cards.titles.list")} headerButtons={() => null}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === "report" ? { tab: "report" } : {}, { replace: true })}
        items={[
          { key: "cards", label: t("stored_value_cards.tabs.cards"), children: <CardTable /> },
          { key: "report", label: t("stored_value_cards.tabs.report"), children: <CardConsumptionReport /> },
        ]}
      />
    </List>
  );
}

function CardTable() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const unitName = useUnitName();
  const unitRows = useLookup<BusinessUnit>("business_units");
  const { data: canCreate } = useCan({ resource: "stored_value_cards", action: "create" });
  const [search, setSearch] = useState("");
  const [statuses, setStatuses] = useState<CardStatus[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [units, setUnits] = useState<string[]>([]);
  const [modal, setModal] = useState<"issue" | "bulk" | null>(null);
  const filters: CrudFilter[] = [
    ...(search.trim() ? [{ field: "card_no", operator: "contains" as const, value: search.trim().toUpperCase() }] : []),
    ...(statuses.length ? [{ field: "status", operator: "in" as const, value: statuses }] : []),
    ...(types.length ? [{ field: "type_code", operator: "in" as const, value: types }] : []),
    ...(units.length ? [{ field: "issuing_unit_id", operator: "in" as const, value: units }] : []),
  ];
  const { tableProps, tableQuery } = useTable<CardRow>({
    resource: "stored_value_cards",
    filters: { permanent: filters },
    sorters: { initial: [{ field: "issued_at", order: "desc" }] },
    meta: { select: "*, members(member_no, name)" },
    pagination: { pageSize: 20 },
    syncWithLocation: false,
    errorNotification: false,
  });

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <Input.Search allowClear role="searchbox" aria-label={t("stored_value_cards.filters.search")} placeholder={t("stored_value_cards.filters.search")}
          onSearch={(v) => setSearch(v)} style={{ width: 220 }} />
        <Select mode="multiple" allowClear aria-label={t("stored_value_cards.fields.status")} placeholder={t("stored_value_cards.filters.allStatuses")} style={{ minWidth: 150 }}
          value={statuses} onChange={setStatuses} options={CARD_STATUSES.map((s) => ({ value: s, label: t(cardStatusLabel(s)) }))} />
        <Select mode="multiple" allowClear aria-label={t("stored_value_cards.fields.type_code")} placeholder={t("stored_value_cards.filters.allTypes")} style={{ minWidth: 150 }}
          value={types} onChange={setTypes} options={CARD_TYPES.map((c) => ({ value: c, label: t(cardTypeLabel(c)) }))} />
        <Select mode="multiple" allowClear aria-label={t("stored_value_cards.fields.issuing_unit")} placeholder={t("stored_value_cards.filters.allUnits")} style={{ minWidth: 170 }}
          value={units} onChange={setUnits} options={nameOptions(unitRows.rows, i18n.language)} optionFilterProp="label" />
        {canCreate?.can && (
          <>
            <Button type="primary" onClick={() => setModal("issue")}>{t("stored_value_cards.actions.issue")}</Button>
            <Button onClick={() => setModal("bulk")}>{t("stored_value_cards.actions.bulkRecharge")}</Button>
          </>
        )}
      </Space>
      <Table<CardRow> {...tableProps} rowKey="id" size="small" scroll={{ x: "max-content" }}
        locale={tableQuery.isError ? { emptyText: t("common.loadFailed") } : undefined}
        onRow={(r) => ({ onClick: () => navigate(`/cards/show/${r.id}`), style: { cursor: "pointer" } })}>
        <Table.Column<CardRow> dataIndex="card_no" title={t("stored_value_cards.fields.card_no")} {...oneLineColumn}
          render={(no: string, r) => <Link to={`/cards/show/${r.id}`} onClick={(e) => e.stopPropagation()}>{no}</Link>} />
        <Table.Column<CardRow> dataIndex="type_code" title={t("stored_value_cards.fields.type_code")} {...oneLineColumn} render={(c: string) => t(cardTypeLabel(c))} />
        <Table.Column<CardRow> key="member" title={t("stored_value_cards.fields.member")}
          render={(_: unknown, r) => (r.members ? `${r.members.name} · ${r.members.member_no}` : t("stored_value_cards.fields.noMember"))} />
        <Table.Column<CardRow> dataIndex="issuing_unit_id" title={t("stored_value_cards.fields.issuing_unit")} {...oneLineColumn} render={unitName} />
        <Table.Column<CardRow> dataIndex="status" title={t("stored_value_cards.fields.status")} {...oneLineColumn} render={(s: CardStatus) => <CardStatusTag status={s} />} />
        <Table.Column<CardRow> dataIndex="balance_fen" title={t("stored_value_cards.fields.balance")} {...numberColumn} render={formatFen} sorter />
        <Table.Column<CardRow> dataIndex="issued_at" title={t("stored_value_cards.fields.issued_at")} {...oneLineColumn} render={formatDateTime} sorter />
      </Table>
      {modal === "issue" && <IssueCardModal onClose={() => setModal(null)} />}
      {modal === "bulk" && <BulkRechargeModal onClose={() => setModal(null)} />}
    </Space>
  );
}
