import { Alert, Card, Col, Empty, Row, Select, Space, Statistic, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { ExportMenu } from "../../dashboards/ExportMenu";
import { exportTable, type ExportFormat } from "../../data/dashboards/export";
import { useReport } from "../../data/reports/use-report";
import {
  SETTLEMENT_REPORT_MEASURES,
  fenToYuan,
  type SettlementMatrixRow,
  type SettlementReportLine,
  type SettlementUnitReport,
} from "../../data/settlement/types";
import { localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";
import { MonthPicker, Money, monthLabel, moneyText, useFinanceScope } from "./shared";

/** Yuan with 2 decimals as a plain number for files (no currency sign or separators). */
const fileYuan = (fen: number | string | null | undefined) => (fenToYuan(fen) ?? 0).toFixed(2);

/**
 * A unit's settlement for a month (settlement_unit_report): income from members it sent to others, cost of members
 * sent to it, campaign cost and referral commission, in total and per counterparty; CSV and XLSX export (audited).
 */
export function UnitReportTab({ period, setPeriod }: { period: string; setPeriod: (period: string) => void }) {
  const { t, i18n } = useTranslation();
  const scope = useFinanceScope();
  const units = useLookup<BusinessUnit>("business_units");
  const options = units.rows.filter((u) => !scope.scoped || scope.units.includes(u.id)).map((u) => ({ value: u.id, label: localizedName(u, i18n.language) }));
  const [picked, setUnit] = useState<string | undefined>(undefined);
  const unit = picked ?? (scope.scoped ? scope.units[0] : undefined);
  const query = useReport<SettlementUnitReport>("settlement_unit_report", { p_period: period, p_business_unit_id: unit }, !!unit);
  const name = (id: string) => localizedName(units.map.get(id), i18n.language);
  const lines: SettlementReportLine[] = query.data?.counterparties ?? [];
  const totals = query.data ?? {};

  const exportRun = async (format: ExportFormat) => {
    const header = [{ key: "counterparty", header: t("settlement.counterparty") }, ...SETTLEMENT_REPORT_MEASURES.map((m) => ({ key: m, header: t(`settlement.report.${m}`) }))];
    const body = lines.map((line) => ({ counterparty: name(line.counterparty_unit_id), ...Object.fromEntries(SETTLEMENT_REPORT_MEASURES.map((m) => [m, fileYuan(line[m])])) }));
    await exportTable("settlement_unit_report", "settlement_unit_report", { p_period: period, p_business_unit_id: unit }, format,
      `settlement-${unit ? units.map.get(unit)?.code ?? "unit" : "unit"}-${monthLabel(period)}`, t("settlement.tabs.report"), header, body);
  };

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <MonthPicker value={period} onChange={setPeriod} />
        <Select aria-label={t("settlement.unit")} placeholder={t("settlement.report.pickUnit")} style={{ minWidth: 180 }} value={unit} onChange={setUnit} options={options} optionFilterProp="label" />
        <ExportMenu run={exportRun} disabled={!lines.length} label={t("dashboards.export.button")} />
      </Space>
      {query.error && <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />}
      {!unit ? (
        <Empty description={t("settlement.report.pickUnit")} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {SETTLEMENT_REPORT_MEASURES.map((m) => (
              <Col key={m} xs={24} sm={12} lg={m === "net_fen" ? 4 : 5}>
                <Card size="small" loading={query.isLoading} role="region" aria-label={t(`settlement.report.${m}`)}>
                  <Statistic title={t(`settlement.report.${m}`)} value={moneyText(totals[m])} valueStyle={{ whiteSpace: "nowrap" }} />
                </Card>
              </Col>
            ))}
          </Row>
          <Typography.Title level={5}>{t("settlement.report.perCounterparty")}</Typography.Title>
          <Table<SettlementReportLine>
            size="small"
            bordered
            rowKey="counterparty_unit_id"
            loading={query.isLoading}
            dataSource={lines}
            pagination={false}
            scroll={{ x: "max-content" }}
            locale={{ emptyText: t("settlement.report.none") }}
            columns={[
              { key: "counterparty", title: t("settlement.counterparty"), ...oneLineColumn, render: (_, line) => name(line.counterparty_unit_id) },
              ...SETTLEMENT_REPORT_MEASURES.map((m) => ({ key: m, title: t(`settlement.report.${m}`), ...numberColumn, render: (_: unknown, line: SettlementReportLine) => <Money fen={line[m] ?? 0} /> })),
            ]}
          />
        </>
      )}
    </Space>
  );
}

interface MatrixLine {
  unit: string;
  cells: Map<string, number>;
  total: number;
}

/** The group-wide unit-by-unit matrix of a month (settlement_matrix): row unit's net against each column unit. */
export function MatrixTab({ period, setPeriod }: { period: string; setPeriod: (period: string) => void }) {
  const { t, i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units");
  const query = useReport<SettlementMatrixRow[]>("settlement_matrix", { p_period: period });
  const name = (id: string) => localizedName(units.map.get(id), i18n.language);
  const data = query.data ?? [];
  const ids = [...new Set(data.flatMap((r) => [r.business_unit_id, r.counterparty_unit_id]))].sort((a, b) => name(a).localeCompare(name(b), "zh-CN"));
  const lines: MatrixLine[] = ids.map((unit) => {
    const cells = new Map(data.filter((r) => r.business_unit_id === unit).map((r) => [r.counterparty_unit_id, Number(r.net_fen)]));
    return { unit, cells, total: [...cells.values()].reduce((sum, v) => sum + v, 0) };
  });

  const exportRun = async (format: ExportFormat) => {
    const header = [{ key: "unit", header: t("settlement.matrix.unit") }, ...ids.map((id) => ({ key: id, header: name(id) })), { key: "total", header: t("settlement.matrix.total") }];
    const body = lines.map((line) => ({
      unit: name(line.unit),
      ...Object.fromEntries(ids.map((id) => [id, id === line.unit ? "" : fileYuan(line.cells.get(id) ?? 0)])),
      total: fileYuan(line.total),
    }));
    await exportTable("settlement_matrix", "settlement_matrix", { p_period: period }, format, `settlement-matrix-${monthLabel(period)}`, t("settlement.tabs.matrix"), header, body);
  };

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <MonthPicker value={period} onChange={setPeriod} />
        <ExportMenu run={exportRun} disabled={!lines.length} label={t("dashboards.export.button")} />
        <Typography.Text type="secondary">{t("settlement.matrix.hint")}</Typography.Text>
      </Space>
      {query.error && <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />}
      <Table<MatrixLine>
        size="small"
        bordered
        rowKey="unit"
        loading={query.isLoading || units.isLoading}
        dataSource={lines}
        pagination={false}
        scroll={{ x: "max-content" }}
        aria-label={t("settlement.tabs.matrix")}
        locale={{ emptyText: t("settlement.matrix.none") }}
        columns={[
          { key: "unit", title: t("settlement.matrix.unit"), ...oneLineColumn, render: (_, line) => name(line.unit) },
          ...ids.map((id) => ({
            key: id,
            title: name(id),
            ...numberColumn,
            render: (_: unknown, line: MatrixLine) => (id === line.unit ? "—" : <Money fen={line.cells.get(id) ?? 0} />),
          })),
          { key: "total", title: t("settlement.matrix.total"), ...numberColumn, render: (_, line) => <Typography.Text strong><Money fen={line.total} /></Typography.Text> },
        ]}
      />
    </Space>
  );
}
