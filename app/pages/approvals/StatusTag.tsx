import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { approvalRequestStatusLabel, type ApprovalRequestStatus } from "../../../core/enums/index.ts";

const COLORS: Record<ApprovalRequestStatus, string> = {
  pending: "processing", approved: "success", rejected: "error", withdrawn: "default", failed: "warning",
};

export function RequestStatusTag({ status }: { status: ApprovalRequestStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(approvalRequestStatusLabel(status))}</Tag>;
}
