import { Alert } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { PublishApprovalKind } from "../../../core/enums/index.ts";
import type { ApprovalRequest } from "../../data/approvals/types";
import { usePublishRequests } from "../../data/definitions/publish-approval";
import { formatDateTime } from "../../lib/format";

/** The newest request to publish `version` of a definition, if any. */
export function usePublishRequestFor(kind: PublishApprovalKind, key: string, version: number | undefined): ApprovalRequest | undefined {
  const requests = usePublishRequests(kind, key);
  return requests?.find((request) => Number(request.data.version) === version);
}

/** Where the version's publish request stands: waiting, rejected or failed (with the reason), with a link to it. */
export function PublishRequestNotice({ request }: { request: ApprovalRequest | undefined }) {
  const { t } = useTranslation();
  if (!request || request.status === "approved" || request.status === "withdrawn") return null;
  const link = <Link to={`/approvals?tab=mine&request=${request.id}`}>{t("approvals.publishRequest.open")}</Link>;
  const values = { version: request.data.version, at: formatDateTime(request.requested_at) };
  if (request.status === "pending") {
    return <Alert type="info" showIcon data-testid="publish-request" message={t("approvals.publishRequest.pending", values)} action={link} />;
  }
  const reason = request.failure_code ? t(`errors.reasons.${request.failure_code}`, { defaultValue: t("approvals.failedUnknown") }) : "";
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="publish-request"
      message={t(`approvals.publishRequest.${request.status}`, values)}
      description={reason || undefined}
      action={link}
    />
  );
}
