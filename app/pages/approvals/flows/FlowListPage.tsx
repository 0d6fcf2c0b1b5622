import { List } from "@refinedev/antd";
import { Button, Space, Table, Tag } from "antd";
import { useMemo } from "react";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { approvalFlowActionLabel } from "../../../../core/enums/index.ts";
import { oneLineColumn } from "../../../components/table-columns";
import { useFlowVersions, type ApprovalFlow } from "../../../data/approvals/flows";
import { formatDateTime, localizedName } from "../../../lib/format";
import { PublishApprovalSettings } from "./PublishApprovalSettings";

interface FlowRow {
  key: string;
  latest: ApprovalFlow;
  published?: ApprovalFlow;
}

/** 审批流程: every flow with the version in force and any draft; and whether publishing needs approval. */
export function FlowListPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { data } = useFlowVersions();
  const rows = useMemo<FlowRow[]>(() => {
    const byKey = new Map<string, ApprovalFlow[]>();
    for (const flow of data ?? []) byKey.set(flow.key, [...(byKey.get(flow.key) ?? []), flow]);
    return [...byKey.entries()].map(([key, versions]) => {
      const sorted = [...versions].sort((a, b) => b.version - a.version);
      return { key, latest: sorted[0], published: sorted.find((v) => v.status === "published") };
    });
  }, [data]);

  return (
    <List title={t("approvals.flows.title")} breadcrumb={false}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Table<FlowRow> dataSource={rows} rowKey="key" loading={!data} pagination={false} scroll={{ x: true }}>
          <Table.Column<FlowRow>
            title={t("approvals.flows.name")}
            render={(_, row) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => navigate(`/approvals/flows/${row.key}`)}>
                {localizedName(row.published ?? row.latest, i18n.language)}
              </Button>
            )}
          />
          <Table.Column<FlowRow> title={t("approvals.flows.action")} {...oneLineColumn} render={(_, row) => t(approvalFlowActionLabel(row.latest.action))} />
          <Table.Column<FlowRow> title={t("approvals.flows.steps")} {...oneLineColumn} render={(_, row) => (row.published ?? row.latest).steps.length} />
          <Table.Column<FlowRow> title={t("approvals.flows.inForce")} {...oneLineColumn} render={(_, row) => (row.published ? `v${row.published.version}` : "—")} />
          <Table.Column<FlowRow>
            title={t("approvals.flows.draft")}
            {...oneLineColumn}
            render={(_, row) => (row.latest.status === "draft" ? <Tag color="gold">{t("approvals.flows.draftVersion", { version: row.latest.version })}</Tag> : "—")}
          />
          <Table.Column<FlowRow> title={t("approvals.flows.publishedAt")} {...oneLineColumn} render={(_, row) => formatDateTime(row.published?.published_at)} />
        </Table>
        <PublishApprovalSettings />
      </Space>
    </List>
  );
}
