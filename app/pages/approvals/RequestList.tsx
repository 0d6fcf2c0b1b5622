import { useTable } from "@refinedev/antd";
import { useGetIdentity, type CrudFilter } from "@refinedev/core";
import { Button, Space, Table } from "antd";
import { useTranslation } from "react-i18next";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { useUnitName } from "../../components/useUnitName";
import type { ApprovalRequest } from "../../data/approvals/types";
import { formatDateTime } from "../../lib/format";
import type { StaffProfile } from "../../lib/types";
import type { Identity } from "../../providers/auth-provider";
import { QueueFilters, useQueueFilters } from "./QueueFilters";
import { RequestAmount, requestSubjectText } from "./RequestSubject";
import { RequestStatusTag } from "./StatusTag";

/** Requests, newest first, filtered: the signed-in user's own (mine) or every one they may see. */
export function RequestList({ mine, onOpen }: { mine: boolean; onOpen: (requestId: string) => void }) {
  const filters = useQueueFilters();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <QueueFilters withStatus />
      {/* A new set of filters is a new table (Refine's useTable keeps filters it was once given). */}
      <RequestTable key={JSON.stringify(filters)} filters={filters} mine={mine} onOpen={onOpen} />
    </Space>
  );
}

function RequestTable({ filters, mine, onOpen }: { filters: CrudFilter[]; mine: boolean; onOpen: (requestId: string) => void }) {
  const { t } = useTranslation();
  const { data: identity } = useGetIdentity<Identity | null>();
  const unitName = useUnitName();
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const permanent: CrudFilter[] = [...(mine ? [{ field: "requested_by", operator: "eq" as const, value: identity?.id }] : []), ...filters];
  const { tableProps } = useTable<ApprovalRequest>({
    resource: "approval_requests",
    filters: { permanent },
    sorters: { initial: [{ field: "requested_at", order: "desc" }] },
    meta: { select: "*,members:member_directory(name,member_no)" },
    syncWithLocation: false,
    queryOptions: { enabled: !mine || !!identity },
  });
  return (
    <Table<ApprovalRequest> {...tableProps} rowKey="id" scroll={{ x: true }} locale={{ emptyText: t("approvals.requestsEmpty") }}>
      <Table.Column<ApprovalRequest>
        title={t("approvals.fields.subject")}
        render={(_, request) => (
          <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(request.id)}>
            {requestSubjectText(request, t)}
          </Button>
        )}
      />
      <Table.Column<ApprovalRequest> title={t("approvals.fields.amount")} {...numberColumn} render={(_, request) => <RequestAmount request={request} />} />
      <Table.Column<ApprovalRequest> dataIndex="status" title={t("approvals.fields.status")} {...oneLineColumn} render={(status) => <RequestStatusTag status={status} />} />
      <Table.Column<ApprovalRequest> title={t("approvals.fields.unit")} {...oneLineColumn} render={(_, request) => unitName(request.business_unit_id)} />
      {!mine && (
        <Table.Column<ApprovalRequest>
          title={t("approvals.fields.requester")}
          {...oneLineColumn}
          render={(_, request) => staff.map.get(request.requested_by)?.display_name ?? t("approvals.someone")}
        />
      )}
      <Table.Column<ApprovalRequest> dataIndex="requested_at" title={t("approvals.fields.requestedAt")} {...oneLineColumn} render={formatDateTime} />
    </Table>
  );
}
