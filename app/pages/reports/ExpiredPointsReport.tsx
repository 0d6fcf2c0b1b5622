import { LockOutlined } from "@ant-design/icons";
import { useGetIdentity, useList } from "@refinedev/core";
import { Alert, App, Button, DatePicker, Select, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { roleNames } from "../../access/my-access";
import { isAllowed } from "../../access/permissions";
import { useLookup } from "../../components/useLookup";
import { businessToday } from "../../dashboards/filters";
import { useReport, type ExpiredRow } from "../../data/reports/use-report";
import { ReopenPeriodButton } from "./ReopenPeriodButton";
import { useRpcMutation } from "../../data/use-rpc";
import { formatCount, formatDateTime, formatMoney, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";
import type { Identity } from "../../providers/auth-provider";

interface ClosedPeriod {
  month: string;
  status: "closed" | "reopened";
  confirmed_at: string;
}

/** The first days of the months from `from` to `to`. */
function monthsOf(from: string, to: string): string[] {
  const list: string[] = [];
  for (let m = dayjs(from).startOf("month"); !m.isAfter(dayjs(to), "month") && list.length < 120; m = m.add(1, "month")) list.push(m.format("YYYY-MM-DD"));
  return list;
}

/** Expired points per month and issuing unit for finance's write-off; a director or admin confirms a month, which locks it. */
export function ExpiredPointsReport() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const { data: identity } = useGetIdentity<Identity | null>();
  const canConfirm = isAllowed(roleNames(identity), "reports", "edit");
  const canReopen = isAllowed(roleNames(identity), "finance_periods", "edit");
  const today = businessToday();
  const [months, setMonths] = useState({ from: dayjs(today).subtract(11, "month").format("YYYY-MM-01"), to: today });
  const [units, setUnits] = useState<string[]>([]);
  const unitRows = useLookup<BusinessUnit>("business_units");
  const args = { p_from: months.from, p_to: months.to, p_business_units: units.length ? units : null };
  const query = useReport<ExpiredRow[]>("report_expired_points", args);
  const closed = useList<ClosedPeriod>({
    resource: "finance_closed_periods",
    filters: [{ field: "month", operator: "gte", value: months.from }, { field: "month", operator: "lte", value: months.to }],
    pagination: { mode: "off" },
  });
  const locks = new Map((closed.result.data ?? []).filter((p) => p.status === "closed").map((p) => [p.month, p.confirmed_at]));
  // Every month of the range, also those without expired points (finance confirms and locks them too).
  const rows: ExpiredRow[] = monthsOf(months.from, months.to).flatMap((month) => {
    const found = (query.data ?? []).filter((r) => r.month === month);
    const lock = { confirmed: locks.has(month), confirmed_at: locks.get(month) ?? null };
    return found.length ? found.map((r) => ({ ...r, ...lock })) : [{ month, business_unit: "", points: 0, value_yuan: 0, ...lock }];
  });
  const confirm = useRpcMutation<string, unknown>("confirm_expired_period", {
    args: (month) => ({ p_month: month }),
    invalidates: ["finance_closed_periods"],
    invalidatesQueries: [["report", "report_expired_points"]],
  });
  const firstOfMonth = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!firstOfMonth.has(row.month)) firstOfMonth.set(row.month, index);
  });
  const span = (row: ExpiredRow, index: number) => (firstOfMonth.get(row.month) === index ? rows.filter((r) => r.month === row.month).length : 0);
  const ended = (month: string) => dayjs(month).add(1, "month").format("YYYY-MM-DD") <= today;

  const ask = (month: string) => {
    const label = month.slice(0, 7);
    const total = rows.filter((r) => r.month === month).reduce((sum, r) => sum + Number(r.points), 0);
    modal.confirm({
      title: t("reports.expired.confirmTitle", { month: label }),
      content: t("reports.expired.confirmText", { month: label, points: formatCount(total) }),
      okText: t("reports.expired.confirm"),
      cancelText: t("dashboards.actions.cancel"),
      onOk: () =>
        confirm.mutateAsync(month).then(
          () => void message.success(t("reports.expired.confirmed", { month: label })),
          (error) => {
            void message.error(localizeRpcError(error, t));
          },
        ),
    });
  };

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <DatePicker.RangePicker
          picker="month"
          aria-label={t("reports.expired.months")}
          allowClear={false}
          value={[dayjs(months.from), dayjs(months.to)]}
          onChange={(value) =>
            value?.[0] && value[1] && setMonths({ from: value[0].startOf("month").format("YYYY-MM-DD"), to: [value[1].endOf("month").format("YYYY-MM-DD"), today].sort()[0] })
          }
        />
        <Select mode="multiple" allowClear aria-label={t("dashboards.filters.businessUnits")} placeholder={t("dashboards.filters.allBusinessUnits")} style={{ minWidth: 180 }}
          value={units} onChange={setUnits} options={unitRows.rows.map((u) => ({ value: u.id, label: localizedName(u, i18n.language) }))} optionFilterProp="label" />
      </Space>
      {query.error && <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />}
      <Table<ExpiredRow>
        size="small"
        bordered
        rowKey={(row) => `${row.month}|${row.business_unit}`}
        loading={query.isLoading || closed.query.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t("reports.expired.none") }}
        columns={[
          { key: "month", title: t("reports.expired.month"), render: (_, row) => row.month.slice(0, 7), onCell: (row, index) => ({ rowSpan: span(row, index ?? 0) }) },
          { key: "unit", title: t("dashboards.dimensions.business_unit"), render: (_, row) => (row.business_unit ? localizedName(unitRows.map.get(row.business_unit), i18n.language) : t("reports.expired.noneInMonth")) },
          { key: "points", title: t("reports.expired.points"), align: "right", render: (_, row) => formatCount(Number(row.points)) },
          { key: "value", title: t("reports.expired.value"), align: "right", render: (_, row) => <span style={{ whiteSpace: "nowrap" }}>{formatMoney(row.value_yuan)}</span> },
          {
            key: "status",
            title: t("reports.expired.status"),
            onCell: (row, index) => ({ rowSpan: span(row, index ?? 0) }),
            render: (_, row) =>
              row.confirmed ? (
                <Space size={0} wrap={false}>
                  <Tag icon={<LockOutlined />} color="green">
                    {t("reports.expired.locked", { at: formatDateTime(row.confirmed_at) })}
                  </Tag>
                  {canReopen && <ReopenPeriodButton month={row.month} />}
                </Space>
              ) : canConfirm && ended(row.month) ? (
                <Button size="small" onClick={() => ask(row.month)} loading={confirm.isPending && confirm.variables === row.month}>
                  {t("reports.expired.confirm")}
                </Button>
              ) : (
                <Tag>{t(ended(row.month) ? "reports.expired.open" : "reports.expired.running")}</Tag>
              ),
          },
        ]}
      />
    </Space>
  );
}
