import { useTable } from "@refinedev/antd";
import { useList, type CrudFilter } from "@refinedev/core";
import { App, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { cardTypeLabel } from "../../../core/enums/index.ts";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { useUnitName } from "../../components/useUnitName";
import type { CardConsumption } from "../../data/cards/types";
import { recordExport } from "../../data/exports/record-export";
import { formatCount, formatDateTime, nameOptions } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";
import { dataProvider } from "../../providers/data-provider";
import { downloadXlsx } from "../../runtime/export";
import { formatFen, yuan } from "./shared";

const MAX_EXPORT = 50_000;

/** Card consumptions by date range and unit, with totals; exported to Excel (audited). */
export function CardConsumptionReport() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const unitName = useUnitName();
  const unitRows = useLookup<BusinessUnit>("business_units");
  const [range, setRange] = useState<[string, string]>([dayjs().subtract(30, "day").format("YYYY-MM-DD"), dayjs().format("YYYY-MM-DD")]);
  const [units, setUnits] = useState<string[]>([]);
  const [exporting, setExporting] = useState(false);
  const filters: CrudFilter[] = [
    { field: "occurred_at", operator: "gte", value: dayjs(range[0]).startOf("day").toISOString() },
    { field: "occurred_at", operator: "lt", value: dayjs(range[1]).add(1, "day").startOf("day").toISOString() },
    ...(units.length ? [{ field: "business_unit_id", operator: "in" as const, value: units }] : []),
  ];
  const { tableProps } = useTable<CardConsumption>({
    resource: "card_consumptions",
    filters: { permanent: filters },
    sorters: { permanent: [{ field: "id", order: "desc" }] },
    pagination: { pageSize: 20 },
    syncWithLocation: false,
    errorNotification: false,
  });
  const totals = useList<Pick<CardConsumption, "amount_fen" | "refunded_fen">>({
    resource: "card_consumptions",
    filters,
    pagination: { mode: "off" },
    meta: { select: "amount_fen, refunded_fen" },
    errorNotification: false,
  });
  const rows = totals.result.data ?? [];
  const consumed = rows.reduce((sum, r) => sum + Number(r.amount_fen), 0);

  const columns: { key: string; header: string; text: (r: CardConsumption) => string }[] = [
    { key: "occurred_at", header: t("stored_value_cards.ledger.occurred_at"), text: (r) => formatDateTime(r.occurred_at) },
    { key: "card_no", header: t("stored_value_cards.fields.card_no"), text: (r) => r.card_no },
    { key: "type", header: t("stored_value_cards.fields.type_code"), text: (r) => t(cardTypeLabel(r.type_code)) },
    { key: "member", header: t("stored_value_cards.fields.member"), text: (r) => (r.member_no ? `${r.member_name} · ${r.member_no}` : t("stored_value_cards.fields.noMember")) },
    { key: "unit", header: t("stored_value_cards.ledger.business_unit"), text: (r) => unitName(r.business_unit_id) },
    { key: "amount", header: t("stored_value_cards.ledger.amount"), text: (r) => yuan(r.amount_fen) },
    { key: "refunded", header: t("stored_value_cards.ledger.refunded"), text: (r) => yuan(r.refunded_fen) },
    { key: "operator", header: t("stored_value_cards.ledger.operator"), text: (r) => r.operator_name ?? "—" },
    { key: "reason", header: t("stored_value_cards.ledger.reason"), text: (r) => r.reason ?? "" },
  ];

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const { data } = await dataProvider.getList<CardConsumption>({
        resource: "card_consumptions",
        filters,
        sorters: [{ field: "id", order: "asc" }],
        pagination: { currentPage: 1, pageSize: MAX_EXPORT },
      });
      await recordExport("card_consumptions", data.length, "xlsx", filters);
      await downloadXlsx(`${t("stored_value_cards.report.exportFile")}-${range[0]}-${range[1]}.xlsx`, t("stored_value_cards.report.exportFile"),
        columns.map((c) => ({ key: c.key, header: c.header })), data.map((r) => Object.fromEntries(columns.map((c) => [c.key, c.text(r)]))));
      void message.success(t("stored_value_cards.report.exported", { count: data.length }));
    } catch (failure) {
      void message.error(localizeRpcError(failure, t));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <DatePicker.RangePicker
          aria-label={t("dashboards.filters.dates")}
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].format("YYYY-MM-DD"), v[1].format("YYYY-MM-DD")])}
        />
        <Select mode="multiple" allowClear aria-label={t("stored_value_cards.ledger.business_unit")} placeholder={t("dashboards.filters.allBusinessUnits")} style={{ minWidth: 180 }}
          value={units} onChange={setUnits} options={nameOptions(unitRows.rows, i18n.language)} optionFilterProp="label" />
        <Button onClick={() => void exportXlsx()} loading={exporting} disabled={!rows.length}>{t("stored_value_cards.report.export")}</Button>
      </Space>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Card size="small" loading={totals.query.isLoading}><Statistic title={t("stored_value_cards.report.count")} value={formatCount(rows.length)} /></Card>
        </Col>
        <Col xs={24} sm={12}>
          <Card size="small" loading={totals.query.isLoading}><Statistic title={t("stored_value_cards.report.total")} value={formatFen(consumed)} /></Card>
        </Col>
      </Row>
      <Table<CardConsumption> {...tableProps} rowKey="id" size="small" scroll={{ x: "max-content" }}>
        {columns.map((c) => (
          <Table.Column<CardConsumption> key={c.key} title={c.header} {...(c.key === "amount" || c.key === "refunded" ? numberColumn : oneLineColumn)}
            render={(_: unknown, r: CardConsumption) => (c.key === "card_no" ? <Link to={`/cards/show/${r.card_id}`}>{r.card_no}</Link> : c.text(r))} />
        ))}
      </Table>
    </Space>
  );
}
