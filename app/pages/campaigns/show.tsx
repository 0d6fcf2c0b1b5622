import { Show } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Alert, Card, Col, Descriptions, Progress, Result, Row, Space, Spin, Statistic, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { ChartShape } from "../../../core/chart-types/index.ts";
import { CAMPAIGN_HOLDOUT_ARM } from "../../../core/enums/index.ts";
import type { MetricDimension, MetricMeasure, MetricModule } from "../../../core/metrics/types.ts";
import { CartesianChart } from "../../dashboards/charts/cartesian";
import { ExportMenu } from "../../dashboards/ExportMenu";
import { exportNumber, formatMeasure } from "../../dashboards/format";
import type { MetricLabels } from "../../dashboards/use-labels";
import { numberColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { usePublishedDefinitions } from "../../data/benefits/member-benefits";
import { useCampaign, useCampaignResults, usePublishedSegments, type Campaign, type CampaignArmResult, type CampaignResults } from "../../data/campaigns";
import { exportTable, type ExportFormat } from "../../data/dashboards/export";
import type { MetricRow } from "../../data/dashboards/types";
import { formatCount, formatDateTime, formatMoney, localizedName } from "../../lib/format";
import type { BusinessUnit } from "../../lib/types";
import { CancelCampaignButton } from "./CancelCampaignButton";
import { budgetUsedPercent } from "./list";
import { CampaignStatusTag } from "./StatusTag";
import { offerText } from "./describe";

/** The arms in order (a..d), the holdout last: shown with no members when the campaign keeps one and nobody fell in it. */
export function armRows(results: CampaignResults, holdoutPercent: number): CampaignArmResult[] {
  const rows = [...(results.arms ?? [])].sort((a, b) => (a.arm === CAMPAIGN_HOLDOUT_ARM ? 1 : b.arm === CAMPAIGN_HOLDOUT_ARM ? -1 : a.arm.localeCompare(b.arm)));
  if (holdoutPercent > 0 && !rows.some((row) => row.arm === CAMPAIGN_HOLDOUT_ARM)) {
    rows.push({ arm: CAMPAIGN_HOLDOUT_ARM, members: 0, buyers: 0, spend_fen: 0, spend_per_member_fen: null });
  }
  return rows;
}

/** Numbers and amounts stay on one line. */
const NOWRAP = { whiteSpace: "nowrap" } as const;

const DAY: MetricDimension = { key: "day", type: "period" };
const UNIT: MetricDimension = { key: "unit", type: "business_unit" };
const UPTAKE: MetricMeasure = { key: "uptake", unit: "count", total: "sum" };
const SPEND: MetricMeasure = { key: "spend", unit: "yuan", total: "sum" };
const COST: MetricMeasure = { key: "cost", unit: "yuan", total: "sum" };
/** The campaign result read as a metric, so the dashboards' chart components draw it. */
const RESULT_METRIC: MetricModule = {
  key: "campaign_results", position: 0, rpc: "campaign_results", filters: [], dimensions: [DAY, UNIT], measures: [UPTAKE, SPEND, COST],
};

/** 营销活动 result page: what was offered to whom, then reach, uptake, spend against the holdout, cost and budget. */
export function CampaignShow() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { campaign, query } = useCampaign(id);
  if (query.isLoading) return <Spin />;
  if (!campaign) return <Result status="404" title={t("campaigns.notFound")} extra={<Link to="/campaigns">{t("campaigns.backToList")}</Link>} />;
  return <CampaignResultsView campaign={campaign} />;
}

function CampaignResultsView({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units");
  const segments = usePublishedSegments();
  const { definitions } = usePublishedDefinitions();
  const benefitName = (key: string) => localizedName(definitions.find((d) => d.key === key), i18n.language);
  const { data: canEdit } = useCan({ resource: "campaigns", action: "edit" });
  const launched = !["draft", "pending", "rejected"].includes(campaign.status);
  const results = useCampaignResults(campaign.id, launched);
  const r = results.data;
  const unitName = (unitId: string) => localizedName(units.map.get(unitId), i18n.language);
  const segment = segments.rows.find((s) => s.key === campaign.segment_key);
  const arms = r ? armRows(r, campaign.holdout_percent) : [];
  const armName = (arm: string) => t(`campaigns.arms.${arm}`);
  const money = (fen: number | null | undefined) => (fen === null || fen === undefined ? "—" : formatMoney(Number(fen) / 100));

  const labels: MetricLabels = useMemo(() => ({
    metricTitle: () => t("campaigns.results.title"),
    measureLabel: (_metric, measure) => t(`campaigns.results.measures.${measure.key}`),
    dimensionLabel: (_metric, dimension) => t(`campaigns.results.dimensions.${dimension.key}`),
    valueLabel: (_metric, dimension, value) =>
      dimension.type === "business_unit" ? localizedName(units.map.get(String(value)), i18n.language) : String(value ?? "").slice(0, 10),
  }), [t, units.map, i18n.language]);

  const dayRows: MetricRow[] = (r?.by_day ?? []).map((d) => ({ day: String(d.day).slice(0, 10), uptake: Number(d.uptake), spend: Number(d.spend_fen) / 100, cost: Number(d.cost_fen) / 100 }));
  const unitRows: MetricRow[] = (r?.by_unit ?? []).map((u) => ({ unit: String(u.business_unit_id), spend: Number(u.spend_fen) / 100, cost: Number(u.cost_fen) / 100 }));

  const exportResults = async (format: ExportFormat) => {
    if (!r) return;
    const header = [
      { key: "section", header: t("campaigns.results.export.section") },
      { key: "label", header: t("campaigns.results.export.label") },
      { key: "members", header: t("campaigns.results.members") },
      { key: "uptake", header: t("campaigns.results.measures.uptake") },
      { key: "spend", header: t("campaigns.results.measures.spend") },
      { key: "cost", header: t("campaigns.results.measures.cost") },
    ];
    const blank = { members: "", uptake: "", spend: "", cost: "" };
    const rows: Record<string, string>[] = [
      { section: t("campaigns.results.export.summary"), label: t("campaigns.results.reach"), ...blank, members: exportNumber(r.reach, "count") },
      { section: t("campaigns.results.export.summary"), label: t("campaigns.results.uptake"), ...blank, uptake: exportNumber(r.uptake, "count") },
      { section: t("campaigns.results.export.summary"), label: t("campaigns.results.incremental"), ...blank, spend: exportNumber(r.incremental_spend_fen === null ? null : Number(r.incremental_spend_fen) / 100, "yuan") },
      { section: t("campaigns.results.export.summary"), label: t("campaigns.results.cost"), ...blank, cost: exportNumber(Number(r.cost_fen) / 100, "yuan") },
      ...arms.map((a) => ({ section: t("campaigns.results.byArm"), label: armName(a.arm), members: exportNumber(a.members, "count"), uptake: exportNumber(a.buyers, "count"), spend: exportNumber(a.spend_fen / 100, "yuan"), cost: "" })),
      ...dayRows.map((d) => ({ section: t("campaigns.results.byDay"), label: String(d.day), members: "", uptake: exportNumber(d.uptake, "count"), spend: exportNumber(d.spend, "yuan"), cost: exportNumber(d.cost, "yuan") })),
      ...unitRows.map((u) => ({ section: t("campaigns.results.byUnit"), label: unitName(String(u.unit)), members: "", uptake: "", spend: exportNumber(u.spend, "yuan"), cost: exportNumber(u.cost, "yuan") })),
    ];
    await exportTable("campaign_results", "campaign_results", { campaign_id: campaign.id }, format, `${t("campaigns.results.fileName")}-${campaign.key}`,
      t("campaigns.results.title"), header, rows);
  };

  const chart = (shape: ChartShape, rows: MetricRow[], testId: string) => (
    <div style={{ height: 260 }} data-testid={testId}>
      {rows.length ? <CartesianChart kind={shape.x === DAY ? "line" : "bar"} metric={RESULT_METRIC} shape={shape} rows={rows} labels={labels} />
        : <Typography.Text type="secondary">{t("campaigns.results.noData")}</Typography.Text>}
    </div>
  );

  return (
    <Show title={campaign.name} headerButtons={
      <Space wrap>
        <CampaignStatusTag status={campaign.status} />
        {canEdit?.can && (campaign.status === "draft" || campaign.status === "rejected") && <Link to={`/campaigns/${campaign.id}/edit`}>{t("campaigns.edit")}</Link>}
        <CancelCampaignButton campaign={campaign} />
        {r && <ExportMenu run={exportResults} label={t("campaigns.results.export.button")} />}
      </Space>
    }>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }} data-testid="campaign-details">
        <Descriptions.Item label={t("campaigns.fields.segment")}>
          {segment ? `${localizedName(segment, i18n.language)}（${t("campaigns.membersValue", { formatted: formatCount(segment.members ?? 0) })}）` : t("campaigns.unknownSegment")}
        </Descriptions.Item>
        <Descriptions.Item label={t("campaigns.fields.period")}><span style={NOWRAP}>{`${formatDateTime(campaign.starts_at)} ~ ${formatDateTime(campaign.ends_at)}`}</span></Descriptions.Item>
        <Descriptions.Item label={t("campaigns.fields.units")}>{(campaign.business_unit_ids ?? []).map(unitName).join("、")}</Descriptions.Item>
        <Descriptions.Item label={t("campaigns.fields.offer")}>{offerText(campaign.offer, t, benefitName)}</Descriptions.Item>
        <Descriptions.Item label={t("campaigns.fields.budget")}><span style={NOWRAP}>{money(campaign.budget_fen)}</span></Descriptions.Item>
        <Descriptions.Item label={t("campaigns.fields.arms")}>{armsText(campaign, t)}</Descriptions.Item>
      </Descriptions>

      {!launched ? (
        <Alert type="info" showIcon message={t("campaigns.results.notLaunched")} />
      ) : results.isLoading ? (
        <Spin />
      ) : results.isError || !r ? (
        <Alert type="error" showIcon message={t("common.loadFailed")} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: "100%" }}>
          <Row gutter={[16, 16]} data-testid="campaign-kpis">
            <Col xs={12} md={6}><Card size="small" role="region" aria-label={t("campaigns.results.reach")}><Statistic valueStyle={NOWRAP} title={t("campaigns.results.reach")} value={formatCount(Number(r.reach))} /></Card></Col>
            <Col xs={12} md={6}><Card size="small" role="region" aria-label={t("campaigns.results.uptake")}>
              <Statistic valueStyle={NOWRAP} title={t("campaigns.results.uptake")} value={formatCount(Number(r.uptake))} />
              <Typography.Text type="secondary" style={NOWRAP}>{t("campaigns.results.rate", { rate: formatMeasure(r.uptake_rate, "ratio") })}</Typography.Text>
            </Card></Col>
            <Col xs={12} md={6}><Card size="small" role="region" aria-label={t("campaigns.results.incremental")}>
              <Statistic valueStyle={NOWRAP} title={t("campaigns.results.incremental")} value={money(r.incremental_spend_fen)} />
            </Card></Col>
            <Col xs={12} md={6}><Card size="small" role="region" aria-label={t("campaigns.results.cost")}>
              <Statistic valueStyle={NOWRAP} title={t("campaigns.results.cost")} value={money(r.cost_fen)} />
              <Typography.Text type="secondary" style={NOWRAP} data-testid="campaign-cost-points">{t("campaigns.results.costPoints", { points: formatCount(Number(r.cost_points ?? 0)) })}</Typography.Text>
            </Card></Col>
          </Row>
          <Card size="small" title={t("campaigns.results.budget")}>
            <Progress percent={budgetUsedPercent({ spent_fen: r.spent_fen, budget_fen: r.budget_fen })} />
            <Typography.Text type="secondary" style={NOWRAP}>{t("campaigns.budgetOf", { spent: money(r.spent_fen), budget: money(r.budget_fen) })}</Typography.Text>
          </Card>
          <Card size="small" title={t("campaigns.results.byArm")}>
            <Table<CampaignArmResult> rowKey="arm" size="small" pagination={false} dataSource={arms} scroll={{ x: "max-content" }} data-testid="campaign-arms-table"
              locale={{ emptyText: t("campaigns.results.noData") }}>
              <Table.Column<CampaignArmResult> key="arm" title={t("campaigns.results.arm")} render={(_, a) => armName(a.arm)} />
              <Table.Column<CampaignArmResult> key="members" title={t("campaigns.results.members")} {...numberColumn} render={(_, a) => formatCount(Number(a.members))} />
              <Table.Column<CampaignArmResult> key="buyers" title={t("campaigns.results.buyers")} {...numberColumn} render={(_, a) => formatCount(Number(a.buyers))} />
              <Table.Column<CampaignArmResult> key="spend" title={t("campaigns.results.measures.spend")} {...numberColumn} render={(_, a) => money(a.spend_fen)} />
              <Table.Column<CampaignArmResult> key="per" title={t("campaigns.results.perMember")} {...numberColumn} render={(_, a) => money(a.spend_per_member_fen === null ? null : Math.round(Number(a.spend_per_member_fen)))} />
            </Table>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t("campaigns.results.uptakeByDay")}>{chart({ x: DAY, measures: [UPTAKE] }, dayRows, "campaign-by-day")}</Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t("campaigns.results.spendByDay")}>{chart({ x: DAY, measures: [SPEND, COST] }, dayRows, "campaign-spend-by-day")}</Card>
            </Col>
          </Row>
          <Card size="small" title={t("campaigns.results.byUnit")}>
            <Row gutter={16}>
              <Col xs={24} xl={12}>{chart({ x: UNIT, measures: [SPEND, COST] }, unitRows, "campaign-by-unit")}</Col>
              <Col xs={24} xl={12}>
                <Table<MetricRow> rowKey={(u) => String(u.unit)} size="small" pagination={false} dataSource={unitRows} locale={{ emptyText: t("campaigns.results.noData") }}>
                  <Table.Column<MetricRow> key="unit" title={t("campaigns.results.dimensions.unit")} render={(_, u) => unitName(String(u.unit))} />
                  <Table.Column<MetricRow> key="spend" title={t("campaigns.results.measures.spend")} {...numberColumn} render={(_, u) => formatMoney(Number(u.spend))} />
                  <Table.Column<MetricRow> key="cost" title={t("campaigns.results.measures.cost")} {...numberColumn} render={(_, u) => formatMoney(Number(u.cost))} />
                </Table>
              </Col>
            </Row>
          </Card>
        </Space>
      )}
    </Show>
  );
}

/** The A/B split and the holdout in words: "A 50% · B 50% · 对照组 10%". */
export function armsText(campaign: Pick<Campaign, "arms" | "holdout_percent">, t: (key: string, values?: Record<string, unknown>) => string) {
  const arms = campaign.arms ?? [];
  const parts = arms.length > 1 ? arms.map((a) => {
    const override = a.multiplier ? ` ×${a.multiplier}` : a.uses ? ` ${t("campaigns.usesValue", { count: a.uses })}` : a.message ? ` “${a.message}”` : "";
    return `${t(`campaigns.arms.${a.key}`)} ${a.share}%${override}`;
  }) : [t("campaigns.noSplit")];
  parts.push(t("campaigns.holdoutValue", { percent: campaign.holdout_percent ?? 0 }));
  return parts.join(" · ");
}
