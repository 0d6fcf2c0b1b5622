import { useTable } from "@refinedev/antd";
import type { CrudFilter } from "@refinedev/core";
import { App, Button, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { useUnitName } from "../../components/useUnitName";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useDecideTasks } from "../../data/approvals/mutations";
import type { ApprovalTask } from "../../data/approvals/types";
import { formatDateTime } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { StaffProfile } from "../../lib/types";
import { DecideButtons } from "./DecideButtons";
import { QueueFilters, useQueueFilters } from "./QueueFilters";
import { RequestAmount, requestSubjectText } from "./RequestSubject";

/** 待我审批: the open steps the signed-in user may decide, oldest first, filtered; several can be approved at once. */
export function TaskQueue({ onOpen }: { onOpen: (requestId: string) => void }) {
  const filters = useQueueFilters("approval_requests.");
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <QueueFilters withStatus={false} />
      {/* A new set of filters is a new table (Refine's useTable keeps filters it was once given). */}
      <TaskTable key={JSON.stringify(filters)} filters={filters} onOpen={onOpen} />
    </Space>
  );
}

function TaskTable({ filters, onOpen }: { filters: CrudFilter[]; onOpen: (requestId: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const unitName = useUnitName();
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const [selected, setSelected] = useState<string[]>([]);
  const bulk = useDecideTasks();
  const { tableProps } = useTable<ApprovalTask>({
    resource: "approval_tasks",
    filters: { permanent: [{ field: "status", operator: "eq", value: "pending" }, { field: "can_decide", operator: "eq", value: true }, ...filters] },
    sorters: { initial: [{ field: "opened_at", order: "asc" }] },
    meta: { select: "*,can_decide,approval_requests!inner(*,members:member_directory(name,member_no))" },
    syncWithLocation: false,
  });

  const approveSelected = async () => {
    try {
      const outcomes = await bulk.mutateAsync({ taskIds: selected });
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length) message.warning(t("approvals.bulk.partial", { ok: outcomes.length - failed.length, failed: failed.length }));
      else message.success(t("approvals.bulk.done", { count: outcomes.length }));
      setSelected([]);
    } catch (error) {
      message.error(localizeRpcError(error, t));
    }
  };

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Button type="primary" disabled={!selected.length} loading={bulk.isPending} onClick={approveSelected}>
          {t("approvals.bulk.approve", { count: selected.length })}
        </Button>
        <Typography.Text type="secondary">{t("approvals.bulk.hint")}</Typography.Text>
      </Space>
      <Table<ApprovalTask>
        {...tableProps}
        rowKey="id"
        scroll={{ x: true }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: t("approvals.queueEmpty") }}
      >
        <Table.Column<ApprovalTask>
          title={t("approvals.fields.subject")}
          render={(_, task) => (
            <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(task.request_id)}>
              {requestSubjectText(task.approval_requests, t)}
            </Button>
          )}
        />
        <Table.Column<ApprovalTask> title={t("approvals.fields.amount")} {...numberColumn} render={(_, task) => <RequestAmount request={task.approval_requests} />} />
        <Table.Column<ApprovalTask> title={t("approvals.fields.unit")} {...oneLineColumn} render={(_, task) => unitName(task.approval_requests?.business_unit_id)} />
        <Table.Column<ApprovalTask>
          title={t("approvals.fields.requester")}
          {...oneLineColumn}
          render={(_, task) => staff.map.get(task.approval_requests?.requested_by ?? "")?.display_name ?? t("approvals.someone")}
        />
        <Table.Column<ApprovalTask>
          title={t("approvals.fields.step")}
          {...oneLineColumn}
          render={(_, task) => (i18n.language.startsWith("en") && task.step_name_en) || task.step_name}
        />
        <Table.Column<ApprovalTask>
          dataIndex="due_at"
          title={t("approvals.fields.dueAt")}
          {...oneLineColumn}
          render={(due: string) => <Typography.Text type={new Date(due) < new Date() ? "danger" : undefined}>{formatDateTime(due)}</Typography.Text>}
        />
        <Table.Column<ApprovalTask> title={t("table.actions")} {...oneLineColumn} render={(_, task) => <DecideButtons taskId={task.id} />} />
      </Table>
    </Space>
  );
}
