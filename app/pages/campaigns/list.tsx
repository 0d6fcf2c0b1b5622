import { List } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Button, Progress, Space, Table, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { usePublishedSegments, useCampaigns, type Campaign } from "../../data/campaigns";
import { formatDateTime, formatMoney, localizedName } from "../../lib/format";
import type { BusinessUnit } from "../../lib/types";
import { CampaignStatusTag } from "./StatusTag";

/** Budget used, in percent (0..100, one decimal). */
export const budgetUsedPercent = (c: Pick<Campaign, "spent_fen" | "budget_fen">) =>
  Number(c.budget_fen) > 0 ? Math.min(100, Math.round((Number(c.spent_fen ?? 0) / Number(c.budget_fen)) * 1000) / 10) : 0;

/** 营销活动: every campaign with its status, period, units, segment and how much of its budget is used. */
export function CampaignList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { rows, query } = useCampaigns();
  const units = useLookup<BusinessUnit>("business_units");
  const segments = usePublishedSegments();
  const { data: canCreate } = useCan({ resource: "campaigns", action: "create" });
  const segmentName = (key: string) => {
    const segment = segments.rows.find((s) => s.key === key);
    return segment ? localizedName(segment, i18n.language) : t("campaigns.unknownSegment");
  };
  const unitNames = (ids: string[]) => ids.map((id) => localizedName(units.map.get(id), i18n.language)).join("、");

  return (
    <List title={t("campaigns.title")}
      headerButtons={canCreate?.can ? <Button type="primary" onClick={() => navigate("/campaigns/new")}>{t("campaigns.new")}</Button> : null}>
      <Typography.Paragraph type="secondary">{t("campaigns.help")}</Typography.Paragraph>
      <Table<Campaign> rowKey="id" size="small" loading={query.isLoading} dataSource={rows} scroll={{ x: "max-content" }}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("campaigns.none") }}>
        <Table.Column<Campaign> key="name" title={t("campaigns.fields.name")} render={(_, r) => <Link to={`/campaigns/${r.id}`}>{r.name}</Link>} />
        <Table.Column<Campaign> key="status" title={t("campaigns.fields.status")} {...oneLineColumn} render={(_, r) => <CampaignStatusTag status={r.status} />} />
        <Table.Column<Campaign> key="period" title={t("campaigns.fields.period")} {...oneLineColumn}
          render={(_, r) => `${formatDateTime(r.starts_at)} ~ ${formatDateTime(r.ends_at)}`} />
        <Table.Column<Campaign> key="units" title={t("campaigns.fields.units")} render={(_, r) => unitNames(r.business_unit_ids ?? [])} />
        <Table.Column<Campaign> key="segment" title={t("campaigns.fields.segment")} render={(_, r) => segmentName(r.segment_key)} />
        <Table.Column<Campaign> key="offer" title={t("campaigns.fields.offer")} {...oneLineColumn} render={(_, r) => t(`campaigns.offerKinds.${r.offer?.kind}`)} />
        <Table.Column<Campaign> key="budget" title={t("campaigns.fields.budgetUsed")} {...oneLineColumn}
          render={(_, r) => (
            <Tooltip title={t("campaigns.budgetOf", { spent: formatMoney(Number(r.spent_fen ?? 0) / 100), budget: formatMoney(Number(r.budget_fen) / 100) })}>
              <Space size={8} style={{ minWidth: 220 }}>
                <Progress percent={budgetUsedPercent(r)} size="small" style={{ width: 100, margin: 0 }} status={budgetUsedPercent(r) >= 100 ? "exception" : "normal"} />
                <span style={{ whiteSpace: "nowrap" }}>{formatMoney(Number(r.budget_fen) / 100)}</span>
              </Space>
            </Tooltip>
          )} />
        <Table.Column<Campaign> key="actions" title={t("campaigns.fields.actions")} {...oneLineColumn}
          render={(_, r) => (
            <Space>
              <Link to={`/campaigns/${r.id}`}>{t("campaigns.results.open")}</Link>
              {canCreate?.can && (r.status === "draft" || r.status === "rejected") && <Link to={`/campaigns/${r.id}/edit`}>{t("campaigns.edit")}</Link>}
            </Space>
          )} />
      </Table>
    </List>
  );
}
