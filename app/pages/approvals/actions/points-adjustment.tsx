import { useList } from "@refinedev/core";
import { Card, Descriptions, Table, Typography } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { SignedPoints } from "../../members/member-360/SignedPoints";
import { useUnitName } from "../../../components/useUnitName";
import { ADJUSTMENT_FORM, type ApprovalRequest } from "../../../data/approvals/types";
import { usePublishedForm } from "../../../data/forms/use-published-form";
import { useMemberBalance } from "../../../data/points/use-member-balance";
import { formatCount, formatDateTime } from "../../../lib/format";
import type { LedgerEntry } from "../../../lib/types";
import { useFieldText } from "../use-field-text";
import type { ApprovalActionView } from "./types";

function AdjustmentDetails({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const fieldText = useFieldText(usePublishedForm(ADJUSTMENT_FORM));
  const fields = Object.entries(request.data).filter(([key]) => key !== "member_id");
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("approvals.fields.member")}>
        <Link to={`/members/show/${request.member_id}`}>{request.members?.name} · {request.members?.member_no}</Link>
      </Descriptions.Item>
      <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      {fields.map(([key, value]) => (
        <Descriptions.Item key={key} label={fieldText.label(key)}>
          {key === "points" ? <SignedPoints value={Number(value)} /> : fieldText.value(key, value)}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

/** The member's balance now and their latest ledger entries, next to the adjustment asked for. */
function MemberPoints({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const { balance } = useMemberBalance(request.member_id ?? undefined);
  const { result: ledger } = useList<LedgerEntry>({
    resource: "ledger_entries",
    filters: [{ field: "member_id", operator: "eq", value: request.member_id }],
    sorters: [{ field: "id", order: "desc" }],
    pagination: { currentPage: 1, pageSize: 5 },
    queryOptions: { enabled: !!request.member_id },
  });
  return (
    <Card size="small" title={t("approvals.memberPoints")}>
      <Typography.Paragraph>
        {t("approvals.currentBalance")}<Typography.Text strong className="nowrap">{formatCount(balance)}</Typography.Text>
      </Typography.Paragraph>
      <Table<LedgerEntry> size="small" rowKey="id" pagination={false} dataSource={ledger.data ?? []} scroll={{ x: true }}>
        <Table.Column<LedgerEntry> dataIndex="occurred_at" title={t("approvals.fields.at")} render={formatDateTime} className="nowrap" />
        <Table.Column<LedgerEntry> dataIndex="points" title={t("approvals.fields.points")} render={(points: number) => <SignedPoints value={points} />} />
        <Table.Column<LedgerEntry> dataIndex="business_unit_id" title={t("approvals.fields.unit")} render={unitName} className="nowrap" />
      </Table>
    </Card>
  );
}

/** A points grant or deduction for one member (the points-compensation form). */
export const pointsAdjustmentView: ApprovalActionView = {
  subject: (request, t) => request.members?.name ?? t("approvals.fields.member"),
  Details: AdjustmentDetails,
  Amount: ({ request }) => <SignedPoints value={request.points ?? 0} />,
  Context: MemberPoints,
  resubmitPath: (request) => `/approvals/new?from=${request.id}`,
};
