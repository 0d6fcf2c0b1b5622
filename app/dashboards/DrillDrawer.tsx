import { Alert, Drawer, Space, Table, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { exportTable } from "../data/dashboards/export";
import { fetchAllDrillRows, useDrillRows } from "../data/dashboards/use-metric-rows";
import { useLookup } from "../components/useLookup";
import type { BusinessUnit, Tier } from "../lib/types";
import { localizeRpcError } from "../lib/rpc-errors";
import { drillColumnLabel, drillColumns, drillTotal, drillValue } from "./drill-columns";
import { ExportMenu } from "./ExportMenu";
import type { DrillTarget } from "./WidgetCard";

const PAGE_SIZE = 20;
/** The most records one drill export holds. */
const MAX_EXPORT = 10_000;

/** The records behind a clicked point, a page at a time, exportable as CSV or XLSX. */
export function DrillDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState<DrillTarget | null>(null);
  if (target !== shown) {
    setShown(target);
    setPage(1);
  }
  const units = useLookup<BusinessUnit>("business_units");
  const tiers = useLookup<Tier>("tiers", "code");
  const lookups = useMemo(() => ({ units: units.map, tiers: tiers.map, language: i18n.language }), [units.map, tiers.map, i18n.language]);
  const query = useDrillRows(target?.metric.drillRpc, target?.params ?? null, page, PAGE_SIZE);
  const rows = query.data ?? [];
  const columns = drillColumns(rows);
  const metricKey = target?.metric.key ?? "";

  const exportRun = async (format: "csv" | "xlsx") => {
    if (!target?.metric.drillRpc) return;
    const all = await fetchAllDrillRows(target.metric.drillRpc, target.params, MAX_EXPORT);
    if (all.length === 0) return;
    const keys = drillColumns(all);
    const header = keys.map((key) => ({ key, header: drillColumnLabel(t, metricKey, key) }));
    const body = all.map((row) => Object.fromEntries(keys.map((key) => [key, drillValue(t, metricKey, key, row[key], lookups)])));
    await exportTable("dashboard_records", metricKey, target.params, format, `${metricKey}-records-${dayjs().format("YYYYMMDD-HHmmss")}`, target.title, header, body);
  };

  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      width={Math.min(960, typeof window === "undefined" ? 960 : window.innerWidth)}
      title={
        <Space direction="vertical" size={0}>
          <span>{t("dashboards.drill.title", { title: target?.title ?? "" })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>
            {target?.pointText} · {target?.params.p_from} ~ {target?.params.p_to}
          </Typography.Text>
        </Space>
      }
      extra={<ExportMenu run={exportRun} disabled={rows.length === 0} label={t("dashboards.export.button")} />}
      destroyOnHidden
    >
      {query.error ? (
        <Alert type="error" showIcon message={localizeRpcError(query.error, t)} />
      ) : (
        <Table
          size="small"
          loading={query.isLoading}
          rowKey={(row) => Object.values(row).map(String).join("|")}
          dataSource={rows}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("dashboards.drill.empty") }}
          columns={columns.map((key) => ({
            key,
            title: drillColumnLabel(t, metricKey, key),
            render: (_: unknown, row: Record<string, unknown>) => drillValue(t, metricKey, key, row[key], lookups),
            onCell: () => ({ style: { whiteSpace: "nowrap" as const } }),
            align: typeof rows[0]?.[key] === "number" ? ("right" as const) : undefined,
          }))}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: drillTotal(rows),
            showSizeChanger: false,
            showTotal: (total) => t("dashboards.drill.total", { count: total }),
            onChange: setPage,
          }}
        />
      )}
    </Drawer>
  );
}
