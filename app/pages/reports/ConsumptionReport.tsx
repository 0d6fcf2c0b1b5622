import { Alert, Card, Col, DatePicker, Row, Select, Space, Statistic, Table } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TRANSACTION_CHANNELS } from "../../../core/enums/index.ts";
import { METRIC_LIMITS } from "../../../core/metrics/limits.ts";
import { useLookup } from "../../components/useLookup";
import { ExportMenu } from "../../dashboards/ExportMenu";
import { businessToday, rangeDates } from "../../dashboards/filters";
import { exportTable } from "../../data/dashboards/export";
import { callRpc } from "../../data/rpc";
import { useReport, type ConsumptionReport as Report, type ConsumptionRow } from "../../data/reports/use-report";
import { formatCount, formatDateTime, formatMoney, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit, Tier } from "../../lib/types";

const PAGE_SIZE = 20;
const MAX_EXPORT = 50_000;

/** Purchases across units, filtered by dates, unit, channel and tier, with totals; exported to Excel (audited). */
export function ConsumptionReport() {
  const { t, i18n } = useTranslation();
  const today = businessToday();
  const [range, setRange] = useState(rangeDates("last_30_days", today));
  const [units, setUnits] = useState<string[]>([]);
  const [channels, setChannels] = useState<string[]>([]);
  const [tiers, setTiers] = useState<string[]>([]);
  const [page, setPage] = useState(1);
  const unitRows = useLookup<BusinessUnit>("business_units");
  const tierRows = useLookup<Tier>("tiers", "code");
  const filters = {
    p_from: range.from,
    p_to: range.to,
    p_business_units: units.length ? units : null,
    p_channels: channels.length ? channels : null,
    p_tiers: tiers.length ? tiers : null,
  };
  const query = useReport<Report>("report_consumption", { ...filters, p_limit: PAGE_SIZE, p_offset: (page - 1) * PAGE_SIZE });
  const report = query.data;
  const unitName = (id: string) => localizedName(unitRows.map.get(id), i18n.language);
  const tierName = (code: string) => localizedName(tierRows.map.get(code), i18n.language);
  const columns = [
    { key: "occurred_at", header: t("reports.consumption.occurredAt"), text: (r: ConsumptionRow) => formatDateTime(r.occurred_at) },
    { key: "order_no", header: t("reports.consumption.orderNo"), text: (r: ConsumptionRow) => r.order_no ?? "" },
    { key: "member_no", header: t("reports.consumption.memberNo"), text: (r: ConsumptionRow) => r.member_no },
    { key: "member_name", header: t("reports.consumption.member"), text: (r: ConsumptionRow) => r.member_name },
    { key: "tier", header: t("reports.consumption.tier"), text: (r: ConsumptionRow) => tierName(r.tier) },
    { key: "business_unit", header: t("reports.consumption.businessUnit"), text: (r: ConsumptionRow) => unitName(r.business_unit_id) },
    { key: "channel", header: t("reports.consumption.channel"), text: (r: ConsumptionRow) => t([`channels.${r.channel}`, "dashboards.unknownValue"]) },
    { key: "amount", header: t("reports.consumption.amount"), text: (r: ConsumptionRow) => formatMoney(r.amount) },
  ];
  const change = (fn: () => void) => {
    fn();
    setPage(1);
  };

  const exportRun = async (format: "csv" | "xlsx") => {
    const rows: ConsumptionRow[] = [];
    for (;;) {
      const chunk = await callRpc<Report>("report_consumption", { ...filters, p_limit: METRIC_LIMITS.drill_max_limit, p_offset: rows.length });
      rows.push(...chunk.rows);
      if (chunk.rows.length < METRIC_LIMITS.drill_max_limit || rows.length >= MAX_EXPORT) break;
    }
    const header = columns.map((c) => ({ key: c.key, header: c.header }));
    const body = rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, c.key === "amount" ? Number(r.amount).toFixed(2) : c.text(r)])));
    await exportTable("consumption_report", "report_consumption", filters, format, `consumption-${range.from}-${range.to}`, t("reports.tabs.consumption"), header, body);
  };

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <DatePicker.RangePicker
          aria-label={t("dashboards.filters.dates")}
          allowClear={false}
          value={[dayjs(range.from), dayjs(range.to)]}
          onChange={(value) => value?.[0] && value[1] && change(() => setRange({ from: value[0]!.format("YYYY-MM-DD"), to: value[1]!.format("YYYY-MM-DD") }))}
        />
        <Select mode="multiple" allowClear aria-label={t("dashboards.filters.businessUnits")} placeholder={t("dashboards.filters.allBusinessUnits")} style={{ minWidth: 180 }}
          value={units} onChange={(v) => change(() => setUnits(v))} options={unitRows.rows.map((u) => ({ value: u.id, label: localizedName(u, i18n.language) }))} optionFilterProp="label" />
        <Select mode="multiple" allowClear aria-label={t("reports.consumption.channel")} placeholder={t("reports.consumption.allChannels")} style={{ minWidth: 160 }}
          value={channels} onChange={(v) => change(() => setChannels(v))} options={TRANSACTION_CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />
        <Select mode="multiple" allowClear aria-label={t("dashboards.filters.tiers")} placeholder={t("dashboards.filters.allTiers")} style={{ minWidth: 150 }}
          value={tiers} onChange={(v) => change(() => setTiers(v))} options={[...tierRows.rows].sort((a, b) => a.rank - b.rank).map((tier) => ({ value: tier.code, label: localizedName(tier, i18n.language) }))} />
        <ExportMenu run={exportRun} disabled={!report?.total_orders} label={t("dashboards.export.button")} />
      </Space>
      {query.error && <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />}
      <Row gutter={12}>
        {([["orders", formatCount(report?.total_orders)], ["amount", formatMoney(report?.total_amount)], ["members", formatCount(report?.total_members)]] as const).map(([key, value]) => (
          <Col key={key} xs={24} sm={8}>
            <Card size="small" loading={query.isLoading} role="region" aria-label={t(`reports.consumption.total_${key}`)}>
              <Statistic title={t(`reports.consumption.total_${key}`)} value={value} valueStyle={{ whiteSpace: "nowrap" }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Table<ConsumptionRow>
        size="small"
        rowKey="transaction_id"
        loading={query.isLoading}
        dataSource={report?.rows ?? []}
        scroll={{ x: "max-content" }}
        columns={columns.map((c) => ({ key: c.key, title: c.header, render: (_: unknown, r: ConsumptionRow) => c.text(r), align: c.key === "amount" ? "right" : undefined, onCell: () => ({ style: { whiteSpace: "nowrap" } }) }))}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: report?.total_orders ?? 0, showSizeChanger: false, onChange: setPage }}
      />
    </Space>
  );
}
