import { useCan, useGetIdentity, useList, useOne } from "@refinedev/core";
import { App, Button, Card, Descriptions, Space, Table, Typography } from "antd";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { SignedPoints } from "../members/member-360/SignedPoints";
import { useUnitName } from "../../components/useUnitName";
import { useWithdrawRequest } from "../../data/approvals/mutations";
import { ADJUSTMENT_FORM, type ApprovalRequest, type ApprovalTask } from "../../data/approvals/types";
import { usePublishedForm } from "../../data/forms/use-published-form";
import { useMemberBalance } from "../../data/points/use-member-balance";
import { formatCount, formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { LedgerEntry } from "../../lib/types";
import type { Identity } from "../../providers/auth-provider";
import { DecideButtons } from "./DecideButtons";
import { RequestTimeline } from "./RequestTimeline";
import { RequestStatusTag } from "./StatusTag";
import { useFieldText } from "./use-field-text";

/** One request: what was asked, for whom, the member's points now, the flow's progress and the actions. */
export function RequestDetail({ requestId }: { requestId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { data: identity } = useGetIdentity<Identity | null>();
  const unitName = useUnitName();
  const { result: request } = useOne<ApprovalRequest>({
    resource: "approval_requests",
    id: requestId,
    meta: { select: "*,members:member_directory(name,member_no),approval_flows(key,version,name,name_en)" },
  });
  const { result: tasks } = useList<ApprovalTask>({
    resource: "approval_tasks",
    filters: [{ field: "request_id", operator: "eq", value: requestId }],
    sorters: [{ field: "step_index", order: "asc" }],
    pagination: { mode: "off" },
    meta: { select: "*,can_decide" },
  });
  const form = usePublishedForm(ADJUSTMENT_FORM);
  const fieldText = useFieldText(form);
  const { balance } = useMemberBalance(request?.member_id ?? undefined);
  const { data: canOpenFlows } = useCan({ resource: "approval_flows", action: "show" });
  const { result: ledger } = useList<LedgerEntry>({
    resource: "ledger_entries",
    filters: [{ field: "member_id", operator: "eq", value: request?.member_id }],
    sorters: [{ field: "id", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 5 },
    queryOptions: { enabled: !!request?.member_id },
  });
  const withdraw = useWithdrawRequest();
  if (!request) return null;

  const open = (tasks.data ?? []).find((task) => task.status === "pending");
  const mine = identity?.id === request.requested_by;
  const stepName = (index: number | null) => {
    const task = (tasks.data ?? []).find((row) => row.step_index === index);
    return task ? (i18n.language.startsWith("en") && task.step_name_en ? task.step_name_en : task.step_name) : undefined;
  };
  const publishing = request.action === "definition_publish";
  const fields = publishing ? [] : Object.entries(request.data).filter(([key]) => key !== "member_id");
  const definitionLink = publishing
    ? request.data.kind === "rule" ? `/rules/show/${request.data.key}` : canOpenFlows?.can ? `/approvals/flows/${request.data.key}` : null
    : null;

  const doWithdraw = async () => {
    try {
      await withdraw.mutateAsync({ requestId });
      message.success(t("approvals.withdrawn"));
    } catch (error) {
      message.error(localizeRpcError(error, t));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t("approvals.fields.status")}><RequestStatusTag status={request.status} /></Descriptions.Item>
        {publishing ? (
          <>
            <Descriptions.Item label={t("approvals.publishRequest.kind")}>{t(`approvals.publishKinds.${request.data.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t("approvals.publishRequest.definition")}>
              {definitionLink ? <Link to={definitionLink}>{request.data.name}</Link> : request.data.name}
              {" · "}<code translate="no">{request.data.key}</code>
            </Descriptions.Item>
            <Descriptions.Item label={t("approvals.publishRequest.version")}>v{request.data.version}</Descriptions.Item>
          </>
        ) : (
          <>
            <Descriptions.Item label={t("approvals.fields.member")}>
              <Link to={`/members/show/${request.member_id}`}>{request.members?.name} · {request.members?.member_no}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
          </>
        )}
        {request.approval_flows && (
          <Descriptions.Item label={t("approvals.fields.flowVersion")}>
            <span data-testid="request-flow-version">{t("approvals.flowVersion", { name: localizedName(request.approval_flows, i18n.language), version: request.approval_flows.version })}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t("approvals.fields.requestedAt")}>{formatDateTime(request.requested_at)}</Descriptions.Item>
        {fields.map(([key, value]) => (
          <Descriptions.Item key={key} label={fieldText.label(key)}>
            {key === "points" ? <SignedPoints value={Number(value)} /> : fieldText.value(key, value)}
          </Descriptions.Item>
        ))}
        {request.failure_code && (
          <Descriptions.Item label={t("approvals.fields.failure")}>
            <Typography.Text type="danger">{t(`errors.reasons.${request.failure_code}`, { defaultValue: t("approvals.failedUnknown") })}</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>

      <Space wrap>
        {open?.can_decide && <DecideButtons taskId={open.id} />}
        {mine && request.status === "pending" && (
          <Button onClick={doWithdraw} loading={withdraw.isPending}>{t("approvals.actions.withdraw")}</Button>
        )}
        {mine && !publishing && ["rejected", "withdrawn", "failed"].includes(request.status) && (
          <Button onClick={() => navigate(`/approvals/new?from=${request.id}`)}>{t("approvals.actions.resubmit")}</Button>
        )}
      </Space>

      {!publishing && <Card size="small" title={t("approvals.memberPoints")}>
        <Typography.Paragraph>
          {t("approvals.currentBalance")}<Typography.Text strong className="nowrap">{formatCount(balance)}</Typography.Text>
        </Typography.Paragraph>
        <Table<LedgerEntry> size="small" rowKey="id" pagination={false} dataSource={ledger.data ?? []} scroll={{ x: true }}>
          <Table.Column<LedgerEntry> dataIndex="occurred_at" title={t("approvals.fields.at")} render={formatDateTime} className="nowrap" />
          <Table.Column<LedgerEntry> dataIndex="points" title={t("approvals.fields.points")} render={(points: number) => <SignedPoints value={points} />} />
          <Table.Column<LedgerEntry> dataIndex="business_unit_id" title={t("approvals.fields.unit")} render={unitName} className="nowrap" />
        </Table>
      </Card>}

      <Card size="small" title={t("approvals.progress")}>
        <RequestTimeline requestId={requestId} action={request.action} stepNames={stepName} />
      </Card>
    </Space>
  );
}
