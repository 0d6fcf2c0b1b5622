import { SlidersOutlined } from "@ant-design/icons";
import { Button, Form, Popover, Select } from "antd";
import { useTranslation } from "react-i18next";
import { chartType } from "../../../core/chart-types/index.ts";
import type { WidgetChoices } from "../../../core/chart-types/module.ts";
import type { DashboardWidget } from "../../../core/dashboards/types.ts";
import type { MetricModule } from "../../../core/metrics/types.ts";
import type { MetricLabels } from "../use-labels";

/** Why `choices` do not fit the widget's chart type (a translated refusal), or null when they do. */
function useRefusal(widget: DashboardWidget, metric: MetricModule) {
  const { t } = useTranslation();
  const type = chartType(widget.chart);
  return (choices: WidgetChoices): string | null => {
    if (!type) return t("dashboards.widget.unavailable");
    const result = type.shape(metric, choices);
    return result.ok ? null : t(`dashboards.refusals.${result.refusal}`);
  };
}

/**
 * What a widget shows of its metric: the measures, the dimension along x and the one splitting the series.
 * Only choices the chart type can draw are offered; the others are listed, disabled, with the reason.
 */
export function WidgetDataControls({ widget, metric, labels, onChoices }: {
  widget: DashboardWidget;
  metric: MetricModule;
  labels: MetricLabels;
  onChoices: (choices: WidgetChoices) => void;
}) {
  const { t } = useTranslation();
  const refusal = useRefusal(widget, metric);
  const current: WidgetChoices = { measures: widget.measures, x: widget.x, series: widget.series };
  const choose = (choices: WidgetChoices) => {
    if (!refusal(choices)) onChoices(choices);
  };
  const option = (value: string, label: string, choices: WidgetChoices) => {
    const why = refusal(choices);
    return { value, label: why ? `${label}（${why}）` : label, disabled: !!why };
  };
  const dimensions = metric.dimensions;
  const measures = (
    <Select
      mode="multiple"
      size="small"
      aria-label={t("dashboards.builder.measures")}
      placeholder={t("dashboards.builder.allMeasures")}
      value={widget.measures ?? []}
      style={{ width: "100%" }}
      options={metric.measures.map((m) => {
        const chosen = widget.measures ?? [];
        const next = chosen.includes(m.key) ? chosen.filter((k) => k !== m.key) : [...chosen, m.key];
        return option(m.key, labels.measureLabel(metric, m), { ...current, measures: next.length ? next : undefined });
      })}
      onChange={(keys: string[]) => choose({ ...current, measures: keys.length ? keys : undefined })}
    />
  );
  return (
    <Popover
      trigger="click"
      title={t("dashboards.builder.data")}
      content={
        <Form layout="vertical" size="small" style={{ width: 280 }}>
          <Form.Item label={t("dashboards.builder.measures")}>{measures}</Form.Item>
          {dimensions.length > 0 && (
            <Form.Item label={t("dashboards.builder.x")}>
              <Select
                size="small"
                allowClear
                aria-label={t("dashboards.builder.x")}
                placeholder={t("dashboards.builder.automatic")}
                value={widget.x}
                options={dimensions.map((d) => option(d.key, labels.dimensionLabel(metric, d), { ...current, x: d.key, series: current.series === d.key ? undefined : current.series }))}
                onChange={(x?: string) => choose({ ...current, x, series: current.series === x ? undefined : current.series })}
              />
            </Form.Item>
          )}
          {dimensions.length > 1 && (
            <Form.Item label={t("dashboards.builder.series")}>
              <Select
                size="small"
                allowClear
                aria-label={t("dashboards.builder.series")}
                placeholder={t("dashboards.builder.automatic")}
                value={widget.series}
                options={dimensions
                  .filter((d) => d.key !== widget.x)
                  .map((d) => option(d.key, labels.dimensionLabel(metric, d), { ...current, series: d.key }))}
                onChange={(series?: string) => choose({ ...current, series })}
              />
            </Form.Item>
          )}
        </Form>
      }
    >
      <Button size="small" type="text" icon={<SlidersOutlined />} aria-label={t("dashboards.builder.data")} />
    </Popover>
  );
}
