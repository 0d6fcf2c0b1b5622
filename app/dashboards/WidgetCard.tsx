import { Alert, Card, Empty, Spin, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { chartType, type ChartShape } from "../../core/chart-types/index.ts";
import type { DashboardWidget } from "../../core/dashboards/types.ts";
import type { MetricModule, MetricParams } from "../../core/metrics/types.ts";
import { exportTable } from "../data/dashboards/export";
import { useMetricRows } from "../data/dashboards/use-metric-rows";
import { localizeRpcError } from "../lib/rpc-errors";
import { CHART_RENDERERS } from "./charts";
import { ExportMenu } from "./ExportMenu";
import { metricParams, narrowToPoint, type DashboardFilters } from "./filters";
import { metricByKey } from "./metric-registry";
import type { MetricLabels } from "./use-labels";
import { widgetTable } from "./widget-table";

/** What a click on a widget asks to drill into. */
export interface DrillTarget {
  metric: MetricModule;
  title: string;
  params: MetricParams;
  /** The clicked point, labelled, e.g. "2026-11-09 · 星河酒店". */
  pointText: string;
}

interface Props {
  widget: DashboardWidget;
  filters: DashboardFilters;
  labels: MetricLabels;
  onDrill?: (target: DrillTarget) => void;
  /** Builder controls shown in the card's header instead of the export menu. */
  extra?: React.ReactNode;
}

export const widgetTitle = (widget: DashboardWidget, language: string, labels: MetricLabels) =>
  widget.title ? (language === "en" ? widget.title.en : widget.title["zh-CN"]) : labels.metricTitle({ key: widget.metric });

/** One widget: its metric's rows for the view's filters, drawn by its chart type, with loading, empty and error states. */
export function WidgetCard({ widget, filters, labels, onDrill, extra }: Props) {
  const { t, i18n } = useTranslation();
  const metric = metricByKey(widget.metric);
  const chart = chartType(widget.chart);
  const renderer = CHART_RENDERERS.get(widget.chart);
  const result = metric && chart ? chart.shape(metric, widget) : null;
  const shape: ChartShape | null = result?.ok ? result.shape : null;
  const params = metric ? metricParams(filters, metric) : null;
  const query = useMetricRows(shape ? metric : undefined, params ?? metricParams(filters, { filters: [] }));
  const title = widgetTitle(widget, i18n.language, labels);
  const rows = query.data ?? [];

  const drill =
    metric?.drillRpc && shape && params && onDrill && widget.chart !== "kpi"
      ? (point: Record<string, unknown>) => {
          const dims = [shape.x, shape.series].filter((d): d is NonNullable<typeof d> => !!d);
          const used = widget.chart === "table" ? metric.dimensions : dims;
          const pointText = used.filter((d) => point[d.key] !== undefined).map((d) => labels.valueLabel(metric, d, point[d.key])).join(" · ");
          onDrill({ metric, title, params: narrowToPoint(params, used, point), pointText });
        }
      : undefined;

  const exportRun = async (format: "csv" | "xlsx") => {
    if (!metric || !shape || !params) return;
    const table = widgetTable(metric, shape, rows, labels);
    await exportTable("dashboard_widgets", metric.key, params, format, `${metric.key}-${dayjs().format("YYYYMMDD-HHmmss")}`, title, table.header, table.rows);
  };

  let body: React.ReactNode;
  if (!metric || !chart || !renderer) {
    body = <Alert type="warning" showIcon message={t("dashboards.widget.unavailable")} />;
  } else if (!shape) {
    body = <Alert type="warning" showIcon message={t(`dashboards.refusals.${result && !result.ok ? result.refusal : "unknown_measure"}`)} />;
  } else if (query.isLoading) {
    body = (
      <div style={{ display: "flex", alignItems: "center", justifyContent: "center", height: "100%" }}>
        <Spin aria-label={t("dashboards.widget.loading")} />
      </div>
    );
  } else if (query.error) {
    body = <Alert type="error" showIcon message={t("dashboards.widget.failed")} description={localizeRpcError(query.error, t)} />;
  } else if (rows.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dashboards.widget.empty")} />;
  } else {
    body = <renderer.Component metric={metric} shape={shape} rows={rows} labels={labels} onPoint={drill} />;
  }

  return (
    <Card
      size="small"
      role="region"
      aria-label={title}
      data-widget={widget.id}
      title={<Typography.Text ellipsis={{ tooltip: title }}>{title}</Typography.Text>}
      extra={extra ?? <ExportMenu run={exportRun} disabled={!shape || rows.length === 0} />}
      style={{ height: "100%", display: "flex", flexDirection: "column" }}
      styles={{ body: { flex: 1, minHeight: 0, padding: 12 } }}
    >
      {body}
    </Card>
  );
}
