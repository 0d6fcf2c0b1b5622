import { useList } from "@refinedev/core";
import { Alert, Button, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import type { SettlementDecision, SettlementStatement } from "../../data/settlement/types";
import { localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";
import { DecideModal } from "./DecideModal";
import { EntriesDrawer } from "./EntriesDrawer";
import { DecisionTag, MonthPicker, Money, eventKindLabel, useFinanceScope } from "./shared";

/**
 * 结算对账单: a month's statements per ordered pair of units (receivable, payable, net, by event kind), both sides'
 * decisions, the entries behind each, and confirm or dispute for the user's own units (finance).
 */
export function StatementsTab({ period, setPeriod }: { period: string; setPeriod: (period: string) => void }) {
  const { t, i18n } = useTranslation();
  const scope = useFinanceScope();
  const units = useLookup<BusinessUnit>("business_units");
  const [unit, setUnit] = useState<string | undefined>(undefined);
  const [drill, setDrill] = useState<SettlementStatement | null>(null);
  const [deciding, setDeciding] = useState<{ statement: SettlementStatement; decision: SettlementDecision } | null>(null);
  const unitFilter = unit ? [unit] : scope.scoped ? scope.units : null;
  const { result, query } = useList<SettlementStatement>({
    resource: "settlement_statements",
    filters: [
      { field: "period", operator: "eq", value: period },
      ...(unitFilter ? [{ field: "business_unit_id", operator: "in" as const, value: unitFilter }] : []),
    ],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const name = (id: string) => localizedName(units.map.get(id), i18n.language);
  // Only the picked month's rows: while another month loads, the previous answer is not shown as this one.
  const rows = (result.data ?? []).filter((row) => row.period === period).sort((a, b) => name(a.business_unit_id).localeCompare(name(b.business_unit_id), "zh-CN") || name(a.counterparty_unit_id).localeCompare(name(b.counterparty_unit_id), "zh-CN"));
  const unitOptions = units.rows
    .filter((u) => !scope.scoped || scope.units.includes(u.id))
    .map((u) => ({ value: u.id, label: localizedName(u, i18n.language) }));

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <MonthPicker value={period} onChange={setPeriod} />
        <Select allowClear aria-label={t("settlement.unit")} placeholder={t("settlement.allUnits")} style={{ minWidth: 180 }} value={unit} onChange={setUnit} options={unitOptions} optionFilterProp="label" />
        {rows[0]?.period_status === "closed" && <Tag color="blue">{t("settlement.periodClosed")}</Tag>}
      </Space>
      {query.error && <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />}
      <Table<SettlementStatement>
        size="small"
        bordered
        scroll={{ x: "max-content" }}
        rowKey={(row) => `${row.period}|${row.business_unit_id}|${row.counterparty_unit_id}`}
        loading={query.isLoading || units.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t("settlement.noStatements") }}
        columns={[
          { key: "unit", title: t("settlement.unit"), ...oneLineColumn, render: (_, row) => name(row.business_unit_id) },
          { key: "counterparty", title: t("settlement.counterparty"), ...oneLineColumn, render: (_, row) => name(row.counterparty_unit_id) },
          { key: "receivable", title: t("settlement.receivable"), ...numberColumn, render: (_, row) => <Money fen={row.receivable_fen} /> },
          { key: "payable", title: t("settlement.payable"), ...numberColumn, render: (_, row) => <Money fen={row.payable_fen} /> },
          { key: "net", title: t("settlement.net"), ...numberColumn, render: (_, row) => <Typography.Text strong type={Number(row.net_fen) < 0 ? "danger" : undefined}><Money fen={row.net_fen} /></Typography.Text> },
          {
            key: "kinds",
            title: t("settlement.byKind"),
            render: (_, row) => (
              <Space size={4} wrap>
                {Object.entries(row.by_event_kind ?? {}).map(([kind, fen]) => (
                  <Tag key={kind} style={{ whiteSpace: "nowrap" }}>
                    {eventKindLabel(t, kind)} <Money fen={fen} />
                  </Tag>
                ))}
              </Space>
            ),
          },
          { key: "count", title: t("settlement.entryCount"), ...numberColumn, render: (_, row) => Number(row.entry_count).toLocaleString("en-US") },
          {
            key: "mine",
            title: t("settlement.myDecision"),
            ...oneLineColumn,
            render: (_, row) => (
              <Tooltip title={row.my_comment}>
                <span><DecisionTag decision={row.my_decision} />{row.my_comment && <Typography.Text type="secondary" aria-label={t("settlement.decide.comment")}>{row.my_comment}</Typography.Text>}</span>
              </Tooltip>
            ),
          },
          {
            key: "theirs",
            title: t("settlement.counterpartyDecision"),
            ...oneLineColumn,
            render: (_, row) => (
              <Tooltip title={row.counterparty_comment}>
                <span><DecisionTag decision={row.counterparty_decision} />{row.counterparty_comment && <Typography.Text type="secondary">{row.counterparty_comment}</Typography.Text>}</span>
              </Tooltip>
            ),
          },
          {
            key: "actions",
            title: t("settlement.actions"),
            ...oneLineColumn,
            render: (_, row) => (
              <Space size={4}>
                <Button size="small" onClick={() => setDrill(row)}>{t("settlement.entries")}</Button>
                {scope.decides(row.business_unit_id) && row.period_status !== "closed" && (
                  <>
                    <Button size="small" type="primary" onClick={() => setDeciding({ statement: row, decision: "confirmed" })}>{t("settlement.decide.confirm")}</Button>
                    <Button size="small" danger onClick={() => setDeciding({ statement: row, decision: "disputed" })}>{t("settlement.decide.dispute")}</Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <EntriesDrawer statement={drill} onClose={() => setDrill(null)} unitName={name} />
      <DecideModal key={deciding ? `${deciding.statement.period}|${deciding.statement.business_unit_id}|${deciding.statement.counterparty_unit_id}|${deciding.decision}` : "none"} request={deciding} onClose={() => setDeciding(null)} unitName={name} />
    </Space>
  );
}
