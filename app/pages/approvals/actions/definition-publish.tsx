import { useCan } from "@refinedev/core";
import { Descriptions } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { ApprovalRequest } from "../../../data/approvals/types";
import type { ApprovalActionView } from "./types";

function PublishDetails({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  const { data: canOpenFlows } = useCan({ resource: "approval_flows", action: "show" });
  const link = request.data.kind === "rule" ? `/rules/show/${request.data.key}`
    : request.data.kind === "segment" ? `/segments/${request.data.key}` : canOpenFlows?.can ? `/approvals/flows/${request.data.key}` : null;
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("approvals.publishRequest.kind")}>{t(`approvals.publishKinds.${request.data.kind}`)}</Descriptions.Item>
      <Descriptions.Item label={t("approvals.publishRequest.definition")}>
        {link ? <Link to={link}>{request.data.name}</Link> : request.data.name}
        {" · "}<code translate="no">{request.data.key}</code>
      </Descriptions.Item>
      <Descriptions.Item label={t("approvals.publishRequest.version")}>v{request.data.version}</Descriptions.Item>
    </Descriptions>
  );
}

/** A request to publish a definition version (rule, form, flow). */
export const definitionPublishView: ApprovalActionView = {
  subject: (request, t) =>
    t("approvals.publishRequest.subject", { kind: t(`approvals.publishKinds.${request.data.kind}`), name: request.data.name, version: request.data.version }),
  Details: PublishDetails,
  executedLabel: "approvals.publishRequest.executed",
  approvedMessage: "approvals.decided.published",
};
