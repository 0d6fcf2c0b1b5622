import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { Button, Input, Popover, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { CHART_TYPES } from "../../../core/chart-types/index.ts";
import type { DashboardWidget } from "../../../core/dashboards/types.ts";
import type { WidgetChoices } from "../../../core/chart-types/module.ts";
import { metricByKey } from "../metric-registry";
import type { MetricLabels } from "../use-labels";
import { WidgetDataControls } from "./WidgetDataControls";

/** A widget's builder controls: its chart type (those its metric fits), what it shows of its metric, an optional title, removal. */
export function WidgetControls({ widget, labels, onChart, onChoices, onTitle, onRemove }: {
  widget: DashboardWidget;
  labels: MetricLabels;
  onChart: (chart: string) => void;
  onChoices: (choices: WidgetChoices) => void;
  onTitle: (title: DashboardWidget["title"]) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const metric = metricByKey(widget.metric);
  const charts = metric ? CHART_TYPES.filter((c) => c.shape(metric, { measures: widget.measures }).ok || c.shape(metric, {}).ok) : [];
  const title = widget.title ?? { "zh-CN": "", en: "" };
  return (
    <Space size={4} className="no-drag" onMouseDown={(event) => event.stopPropagation()}>
      <Select
        size="small"
        aria-label={t("dashboards.builder.chart")}
        value={widget.chart}
        style={{ width: 110 }}
        options={charts.map((c) => ({ value: c.key, label: t(`dashboards.charts.${c.key}`) }))}
        onChange={onChart}
      />
      {metric && <WidgetDataControls widget={widget} metric={metric} labels={labels} onChoices={onChoices} />}
      <Popover
        trigger="click"
        title={t("dashboards.builder.widgetTitle")}
        content={
          <Space direction="vertical" style={{ width: 260 }}>
            <Input
              aria-label={t("dashboards.builder.titleZh")}
              placeholder={t("dashboards.builder.titleZh")}
              value={title["zh-CN"]}
              maxLength={100}
              onChange={(event) => onTitle({ ...title, "zh-CN": event.target.value })}
            />
            <Input
              aria-label={t("dashboards.builder.titleEn")}
              placeholder={t("dashboards.builder.titleEn")}
              value={title.en}
              maxLength={100}
              onChange={(event) => onTitle({ ...title, en: event.target.value })}
            />
          </Space>
        }
      >
        <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("dashboards.builder.widgetTitle")} />
      </Popover>
      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("dashboards.builder.remove")} onClick={onRemove} />
    </Space>
  );
}
