import { DeleteOutlined, SaveOutlined } from "@ant-design/icons";
import { useWarnAboutChange } from "@refinedev/core";
import { Alert, Button, Card, Col, Empty, Form, Input, Popconfirm, Radio, Row, Space, Spin, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import ReactGridLayout, { useContainerWidth, type LayoutItem } from "react-grid-layout";
import "react-grid-layout/css/styles.css";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { DashboardDefinition } from "../../../core/dashboards/types.ts";
import type { MetricModule } from "../../../core/metrics/types.ts";
import { useWarnWhenUnsaved } from "../../builder/useWarnWhenUnsaved";
import { MetricPalette } from "../../dashboards/builder/MetricPalette";
import { addWidget, applyLayout, changeChart, emptyDefinition, GRID_COLUMNS, MAX_WIDGETS, normalized, removeWidget, updateWidget } from "../../dashboards/builder/model";
import { WidgetControls } from "../../dashboards/builder/WidgetControls";
import { GRID_GAP, ROW_HEIGHT } from "../../dashboards/DashboardGrid";
import { businessToday, rangeDates } from "../../dashboards/filters";
import { metricByKey } from "../../dashboards/metric-registry";
import { useMetricLabels } from "../../dashboards/use-labels";
import { WidgetCard } from "../../dashboards/WidgetCard";
import { useDashboard } from "../../data/dashboards/use-dashboards";
import type { DashboardRow, DashboardVisibility } from "../../data/dashboards/types";
import { useRpcMutation } from "../../data/use-rpc";
import { localizeRpcError } from "../../lib/rpc-errors";

/** Creates (/dashboards/new) or edits (/dashboards/:key/edit) a dashboard: metrics dragged onto the grid, saved as a new version. */
export function DashboardBuilderPage() {
  const { key } = useParams();
  const navigate = useNavigate();
  const { dashboard, isLoading } = useDashboard(key);
  // Set by the builder once saved or removed. Navigating from here, after the render that turned the unsaved-changes
  // guard off, works even when the refetch has remounted the builder (its key is the row's id) in the meantime.
  const [leaveTo, setLeaveTo] = useState<string | null>(null);
  useEffect(() => {
    if (leaveTo) navigate(leaveTo);
  }, [leaveTo, navigate]);
  if (leaveTo) return null;
  if (key && isLoading) return <Spin style={{ display: "block", margin: 48 }} />;
  return <DashboardBuilder key={dashboard?.id ?? "new"} dashboard={key ? dashboard : undefined} missing={!!key && !dashboard} onLeave={setLeaveTo} />;
}

function DashboardBuilder({ dashboard, missing, onLeave }: { dashboard?: DashboardRow; missing: boolean; onLeave: (path: string) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [definition, setDefinition] = useState<DashboardDefinition>(() => dashboard?.definition ?? emptyDefinition());
  const [visibility, setVisibility] = useState<DashboardVisibility>(dashboard?.visibility ?? "private");
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<DashboardRow | null>(null);
  const [removed, setRemoved] = useState(false);
  const dragged = useRef<MetricModule | null>(null);
  const { width, containerRef, mounted } = useContainerWidth();
  const labels = useMetricLabels(definition.defaults.grain);
  const { setWarnWhen } = useWarnAboutChange();
  useWarnWhenUnsaved(dirty && !saved && !removed);
  const today = businessToday();
  const filters = { ...rangeDates(definition.defaults.range, today), grain: definition.defaults.grain, businessUnits: [], tiers: [], lotKinds: [] };

  const archive = useRpcMutation<string, number>("archive_dashboard", { args: (key) => ({ p_key: key }), invalidates: ["dashboard_definitions"] });
  const save = useRpcMutation<{ definition: DashboardDefinition; visibility: DashboardVisibility }, DashboardRow>("save_dashboard", {
    args: (input) => ({ p_key: dashboard?.key ?? null, p_definition: input.definition, p_visibility: input.visibility }),
    invalidates: ["dashboard_definitions"],
  });

  const edit = (next: DashboardDefinition) => {
    if (next === definition) return;
    setDefinition(next);
    setDirty(true);
  };
  const full = definition.widgets.length >= MAX_WIDGETS;
  const titleMissing = !definition.title["zh-CN"].trim() && !definition.title.en.trim();

  const onSave = () => {
    setError(null);
    save.mutateAsync({ definition: normalized(definition), visibility }).then(
      (row) => {
        setWarnWhen(false); // before the navigation to the saved dashboard, or the unsaved-changes guard would stop it
        setSaved(row);
        onLeave(`/dashboards/${row.key}`);
      },
      (failure) => setError(localizeRpcError(failure, t)),
    );
  };

  if (missing) return <Alert type="error" showIcon message={t("dashboards.notFound")} />;

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t(dashboard ? "dashboards.titles.edit" : "dashboards.titles.create")}
      </Typography.Title>
      <Card size="small">
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t("dashboards.builder.titleZh")} required>
            <Input
              aria-label={t("dashboards.builder.titleZh")}
              value={definition.title["zh-CN"]}
              maxLength={100}
              style={{ width: 220 }}
              onChange={(event) => edit({ ...definition, title: { ...definition.title, "zh-CN": event.target.value } })}
            />
          </Form.Item>
          <Form.Item label={t("dashboards.builder.titleEn")}>
            <Input
              aria-label={t("dashboards.builder.titleEn")}
              value={definition.title.en}
              maxLength={100}
              style={{ width: 220 }}
              onChange={(event) => edit({ ...definition, title: { ...definition.title, en: event.target.value } })}
            />
          </Form.Item>
          <Form.Item label={t("dashboards.builder.visibility")}>
            <Radio.Group
              value={visibility}
              onChange={(event) => {
                setVisibility(event.target.value);
                setDirty(true);
              }}
              options={(["private", "shared"] as const).map((v) => ({ value: v, label: t(`dashboards.visibility.${v}`) }))}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              {dashboard && (
                <Popconfirm
                  title={t("dashboards.actions.removeConfirm")}
                  okText={t("dashboards.actions.remove")}
                  cancelText={t("dashboards.actions.cancel")}
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    archive.mutateAsync(dashboard.key).then(
                      () => {
                        setWarnWhen(false);
                        setRemoved(true);
                        onLeave("/dashboards");
                      },
                      (failure) => setError(localizeRpcError(failure, t)),
                    )
                  }
                >
                  <Button danger icon={<DeleteOutlined />} loading={archive.isPending}>
                    {t("dashboards.actions.remove")}
                  </Button>
                </Popconfirm>
              )}
              <Button onClick={() => navigate(dashboard ? `/dashboards/${dashboard.key}` : "/dashboards")}>{t("dashboards.actions.cancel")}</Button>
              <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} disabled={titleMissing || definition.widgets.length === 0} onClick={onSave}>
                {t("dashboards.actions.save")}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      </Card>
      <Row gutter={12} wrap={false}>
        <Col flex="240px">
          <MetricPalette
            labels={labels}
            disabled={full}
            onDragStart={(metric) => (dragged.current = metric)}
            onAdd={(metric) => edit(addWidget(definition, metric))}
          />
          {full && <Typography.Text type="secondary">{t("dashboards.builder.full", { max: MAX_WIDGETS })}</Typography.Text>}
        </Col>
        <Col flex="auto" style={{ minWidth: 0 }}>
          <div ref={containerRef} className="dashboard-builder-canvas" aria-label={t("dashboards.builder.canvas")} role="region" style={{ minHeight: 400, background: "rgba(0,0,0,0.02)", border: "1px dashed #d9d9d9", borderRadius: 8 }}>
            {definition.widgets.length === 0 && (
              <Empty style={{ paddingTop: 120, position: "absolute", left: 0, right: 0, pointerEvents: "none" }} description={t("dashboards.builder.dropHere")} />
            )}
            {mounted && (
              <ReactGridLayout
                width={width}
                layout={definition.widgets.map((w) => ({ i: w.id, ...w.layout, minW: 2, minH: 2 }))}
                gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [GRID_GAP, GRID_GAP] }}
                dragConfig={{ enabled: true, handle: ".ant-card-head", cancel: ".no-drag" }}
                resizeConfig={{ enabled: true }}
                dropConfig={{ enabled: !full, defaultItem: { w: 6, h: 6 } }}
                style={{ minHeight: 400 }}
                onLayoutChange={(layout) => edit(applyLayout(definition, layout.filter((item: LayoutItem) => definition.widgets.some((w) => w.id === item.i))))}
                onDrop={(_layout, item) => {
                  const metric = dragged.current;
                  dragged.current = null;
                  if (metric && item) edit(addWidget(definition, metric, { x: item.x, y: item.y }));
                }}
              >
                {definition.widgets.map((widget) => (
                  <div key={widget.id}>
                    <WidgetCard
                      widget={widget}
                      filters={filters}
                      labels={labels}
                      extra={
                        <WidgetControls
                          widget={widget}
                          labels={labels}
                          onChart={(chart) => edit(changeChart(definition, widget.id, chart, metricByKey(widget.metric)))}
                          onChoices={(choices) => edit(updateWidget(definition, widget.id, choices))}
                          onTitle={(title) => edit(updateWidget(definition, widget.id, { title }))}
                          onRemove={() => edit(removeWidget(definition, widget.id))}
                        />
                      }
                    />
                  </div>
                ))}
              </ReactGridLayout>
            )}
          </div>
        </Col>
      </Row>
    </Space>
  );
}
