import { Alert, DatePicker, Select, Space, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { businessToday } from "../../dashboards/filters";
import { useReport, type LiabilityRow } from "../../data/reports/use-report";
import { formatCount, formatMoney, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";

/** Outstanding points per issuing unit at the end of a chosen day, and their value in yuan. */
export function LiabilityReport() {
  const { t, i18n } = useTranslation();
  const today = businessToday();
  const [date, setDate] = useState(today);
  const [units, setUnits] = useState<string[]>([]);
  const unitRows = useLookup<BusinessUnit>("business_units");
  const query = useReport<LiabilityRow[]>("report_liability", { p_date: date, p_business_units: units.length ? units : null });
  const rows = query.data ?? [];
  const total = rows.reduce((sum, r) => ({ points: sum.points + Number(r.points), value: sum.value + Number(r.value_yuan) }), { points: 0, value: 0 });
  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <DatePicker aria-label={t("reports.liability.date")} allowClear={false} value={dayjs(date)} disabledDate={(d) => d.isAfter(dayjs(today), "day")}
          onChange={(d) => d && setDate(d.format("YYYY-MM-DD"))} />
        <Select mode="multiple" allowClear aria-label={t("dashboards.filters.businessUnits")} placeholder={t("dashboards.filters.allBusinessUnits")} style={{ minWidth: 180 }}
          value={units} onChange={setUnits} options={unitRows.rows.map((u) => ({ value: u.id, label: localizedName(u, i18n.language) }))} optionFilterProp="label" />
      </Space>
      {query.error && <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />}
      <Table<LiabilityRow>
        size="small"
        rowKey="business_unit"
        loading={query.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          { key: "unit", title: t("dashboards.dimensions.business_unit"), render: (_, row) => localizedName(unitRows.map.get(row.business_unit), i18n.language) },
          { key: "points", title: t("reports.liability.points"), align: "right", render: (_, row) => formatCount(Number(row.points)) },
          { key: "value", title: t("reports.liability.value"), align: "right", render: (_, row) => <span style={{ whiteSpace: "nowrap" }}>{formatMoney(row.value_yuan)}</span> },
        ]}
        summary={() =>
          rows.length > 1 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t("reports.liability.total")}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Typography.Text strong>{formatCount(total.points)}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                <Typography.Text strong style={{ whiteSpace: "nowrap" }}>{formatMoney(total.value)}</Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Space>
  );
}
