import { Card, Col, Row, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { MetricModule } from "../../../core/metrics/types.ts";
import { businessToday, metricParams, rangeDates } from "../../dashboards/filters";
import { formatMeasure } from "../../dashboards/format";
import { kpiTotals } from "../../dashboards/kpi-total";
import { metricByKey } from "../../dashboards/metric-registry";
import { useMetricRows } from "../../data/dashboards/use-metric-rows";

/** The points dashboard's headline numbers: the redemption rate of the last 30 days, outstanding points and their value. */
const HEADLINES = [
  { metric: "redemption_rate", measures: ["rate"] },
  { metric: "points_outstanding", measures: ["points", "value_yuan"] },
];
const DASHBOARD = "points-overview";

function Headline({ metric, measures }: { metric: MetricModule; measures: string[] }) {
  const { t } = useTranslation();
  const today = businessToday();
  const filters = { ...rangeDates("last_30_days", today), grain: "month" as const, businessUnits: [], tiers: [], lotKinds: [] };
  const query = useMetricRows(metric, metricParams(filters, metric));
  const totals = kpiTotals(metric, query.data ?? []);
  return (
    <>
      {metric.measures
        .filter((m) => measures.includes(m.key))
        .map((measure) => {
          const title = `${t(`metrics.${metric.key}.title`)} · ${t(`metrics.${metric.key}.measures.${measure.key}`)}`;
          return (
            <Col key={measure.key} xs={24} sm={8}>
              <Card size="small" loading={query.isLoading} role="region" aria-label={title}>
                <Statistic
                  title={title}
                  value={query.error ? t("common.loadFailed") : formatMeasure(totals[measure.key], measure.unit)}
                  valueStyle={{ whiteSpace: "nowrap", fontSize: query.error ? 16 : undefined }}
                />
              </Card>
            </Col>
          );
        })}
    </>
  );
}

export function HeadlineKpis() {
  const { t } = useTranslation();
  const headlines = HEADLINES.map((h) => ({ ...h, module: metricByKey(h.metric) })).filter((h) => h.module);
  if (headlines.length === 0) return null;
  return (
    <Card title={t("home.headlines")} extra={<Link to={`/dashboards/${DASHBOARD}`}>{t("home.openPointsDashboard")}</Link>}>
      <Row gutter={[16, 16]}>
        {headlines.map((h) => (
          <Headline key={h.metric} metric={h.module!} measures={h.measures} />
        ))}
      </Row>
      <Typography.Text type="secondary" style={{ display: "block", marginTop: 8 }}>
        {t("home.headlinesNote")}
      </Typography.Text>
    </Card>
  );
}
