import { HolderOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, List, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { MetricModule } from "../../../core/metrics/types.ts";
import { METRICS } from "../metric-registry";
import type { MetricLabels } from "../use-labels";

/** The metrics, labelled, to drag onto the grid (or add with the + button). */
export function MetricPalette({ labels, onDragStart, onAdd, disabled }: {
  labels: MetricLabels;
  onDragStart: (metric: MetricModule) => void;
  onAdd: (metric: MetricModule) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t("dashboards.builder.palette")} styles={{ body: { padding: 0 } }}>
      <List
        size="small"
        dataSource={[...METRICS]}
        locale={{ emptyText: t("dashboards.builder.noMetrics") }}
        renderItem={(metric) => (
          <List.Item
            draggable={!disabled}
            unselectable="on"
            aria-label={labels.metricTitle(metric)}
            data-metric={metric.key}
            onDragStart={(event) => {
              event.dataTransfer.setData("text/plain", metric.key);
              onDragStart(metric);
            }}
            style={{ cursor: disabled ? "not-allowed" : "grab", paddingInline: 12 }}
            actions={[
              <Button
                key="add"
                size="small"
                type="text"
                icon={<PlusOutlined />}
                disabled={disabled}
                aria-label={t("dashboards.builder.add", { metric: labels.metricTitle(metric) })}
                onClick={() => onAdd(metric)}
              />,
            ]}
          >
            <Typography.Text ellipsis={{ tooltip: labels.metricTitle(metric) }} style={{ flex: 1, minWidth: 0 }}>
              <HolderOutlined style={{ marginRight: 8, color: "#999" }} />
              {labels.metricTitle(metric)}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
