import { useGetIdentity, useList, useOne } from "@refinedev/core";
import { App, Button, Card, Descriptions, Space, Typography } from "antd";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useWithdrawRequest } from "../../data/approvals/mutations";
import type { ApprovalRequest, ApprovalTask } from "../../data/approvals/types";
import { formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { Identity } from "../../providers/auth-provider";
import { approvalActionView } from "./actions";
import { DecideButtons } from "./DecideButtons";
import { RequestTimeline } from "./RequestTimeline";
import { RequestStatusTag } from "./StatusTag";

/** One request: its status and flow, what was asked (as its action shows it), the flow's progress and the actions. */
export function RequestDetail({ requestId }: { requestId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { data: identity } = useGetIdentity<Identity | null>();
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
  const withdraw = useWithdrawRequest();
  if (!request) return null;

  const view = approvalActionView(request.action);
  const open = (tasks.data ?? []).find((task) => task.status === "pending");
  const mine = identity?.id === request.requested_by;
  const stepName = (index: number | null) => {
    const task = (tasks.data ?? []).find((row) => row.step_index === index);
    return task ? (i18n.language.startsWith("en") && task.step_name_en ? task.step_name_en : task.step_name) : undefined;
  };

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
        {request.approval_flows && (
          <Descriptions.Item label={t("approvals.fields.flowVersion")}>
            <span data-testid="request-flow-version">{t("approvals.flowVersion", { name: localizedName(request.approval_flows, i18n.language), version: request.approval_flows.version })}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t("approvals.fields.requestedAt")}>{formatDateTime(request.requested_at)}</Descriptions.Item>
        {request.failure_code && (
          <Descriptions.Item label={t("approvals.fields.failure")}>
            <Typography.Text type="danger">{t(`errors.reasons.${request.failure_code}`, { defaultValue: t("approvals.failedUnknown") })}</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
      <view.Details request={request} />

      <Space wrap>
        {open?.can_decide && <DecideButtons taskId={open.id} />}
        {mine && request.status === "pending" && (
          <Button onClick={doWithdraw} loading={withdraw.isPending}>{t("approvals.actions.withdraw")}</Button>
        )}
        {mine && view.resubmitPath && ["rejected", "withdrawn", "failed"].includes(request.status) && (
          <Button onClick={() => navigate(view.resubmitPath!(request))}>{t("approvals.actions.resubmit")}</Button>
        )}
      </Space>

      {view.Context && <view.Context request={request} />}

      <Card size="small" title={t("approvals.progress")}>
        <RequestTimeline requestId={requestId} action={request.action} stepNames={stepName} />
      </Card>
    </Space>
  );
}
