import { EditOutlined } from "@ant-design/icons";
import { Show } from "@refinedev/antd";
import { useGetIdentity } from "@refinedev/core";
import { Alert, Button, Card, Result, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams, useSearchParams } from "react-router";
import type { DashboardFilter } from "../../../core/metrics/types.ts";
import { roleNames } from "../../access/my-access";
import { canEditDashboard } from "../../dashboards/can-edit";
import { DashboardGrid } from "../../dashboards/DashboardGrid";
import { DrillDrawer } from "../../dashboards/DrillDrawer";
import { FilterBar } from "../../dashboards/FilterBar";
import { businessToday, filtersFromSearch, searchFromFilters } from "../../dashboards/filters";
import { metricByKey } from "../../dashboards/metric-registry";
import { useMetricLabels } from "../../dashboards/use-labels";
import { WidgetCard, type DrillTarget } from "../../dashboards/WidgetCard";
import { useDashboard } from "../../data/dashboards/use-dashboards";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { Identity } from "../../providers/auth-provider";

/** One dashboard: its filters (kept in the URL), its widgets on the grid, drill-down into any point. */
export function DashboardShow() {
  const { t, i18n } = useTranslation();
  const { key } = useParams();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const { data: identity } = useGetIdentity<Identity | null>();
  const { dashboard, isLoading, error } = useDashboard(key);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const today = businessToday();
  const definition = dashboard?.definition;
  const filters = definition ? filtersFromSearch(search, definition.defaults, today) : null;
  const labels = useMetricLabels(filters?.grain ?? "day");
  const honoured = useMemo(
    () => new Set<DashboardFilter>((definition?.widgets ?? []).flatMap((w) => metricByKey(w.metric)?.filters ?? [])),
    [definition],
  );
  const lang = i18n.language === "en" ? "en" : "zh-CN";

  if (!isLoading && !error && !dashboard) {
    return <Result status="404" title={t("dashboards.notFound")} extra={<Button onClick={() => navigate("/dashboards")}>{t("dashboards.actions.back")}</Button>} />;
  }

  return (
    <Show
      title={definition?.title[lang] ?? t("dashboards.titles.show")}
      isLoading={isLoading}
      goBack={<Button type="text" onClick={() => navigate("/dashboards")}>←</Button>}
      headerButtons={
        <>
          {dashboard && canEditDashboard(dashboard, identity?.id, roleNames(identity)) && (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/dashboards/${dashboard.key}/edit`)}>
              {t("dashboards.actions.edit")}
            </Button>
          )}
        </>
      }
      contentProps={{ styles: { body: { padding: 0 } }, style: { background: "transparent", boxShadow: "none" } }}
      breadcrumb={false}
    >
      {error && <Alert type="error" showIcon message={localizeRpcError(error, t)} />}
      {definition && filters && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            {definition.description && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                {definition.description[lang]}
              </Typography.Paragraph>
            )}
            <FilterBar filters={filters} honoured={honoured} today={today} onChange={(next) => setSearch(searchFromFilters(next), { replace: true })} />
          </Card>
          <DashboardGrid widgets={definition.widgets} render={(widget) => <WidgetCard widget={widget} filters={filters} labels={labels} onDrill={setDrill} />} />
          <DrillDrawer target={drill} onClose={() => setDrill(null)} />
        </>
      )}
    </Show>
  );
}
