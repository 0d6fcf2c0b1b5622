import { Descriptions } from "antd";
import i18next from "i18next";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useUnitName } from "../../../components/useUnitName";
import type { ApprovalRequest } from "../../../data/approvals/types";
import { localizedName } from "../../../lib/format";
import { benefitKindText } from "../../benefits/describe";
import type { ApprovalActionView } from "./types";

/** What request_benefit_grant pins in a request: the published version asked for, the uses and the reason. */
interface GrantData {
  definition_key: string;
  definition_version: number;
  name: string;
  name_en: string | null;
  kind: string;
  value: number;
  uses: number;
  reason: string;
}

const grantOf = (request: ApprovalRequest) => request.data as unknown as GrantData;

function GrantDetails({ request }: { request: ApprovalRequest }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const grant = grantOf(request);
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("approvals.fields.member")}>
        <Link to={`/members/show/${request.member_id}`}>{request.members?.name} · {request.members?.member_no}</Link>
      </Descriptions.Item>
      <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.approval.benefit")}>
        <span data-testid="grant-request-benefit">{`${localizedName(grant, i18n.language)}（${benefitKindText(grant.kind, grant.value, t)}）`}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.approval.uses")}>{t("benefitsUi.approval.usesValue", { count: Number(grant.uses) })}</Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.approval.reason")}>{grant.reason || t("common.none")}</Descriptions.Item>
    </Descriptions>
  );
}

function GrantUses({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  return <span className="nowrap">{t("benefitsUi.approval.usesValue", { count: Number(grantOf(request).uses) })}</span>;
}

/** A manual benefit grant to one member (request_benefit_grant): granted once, on the final approval. */
export const benefitGrantView: ApprovalActionView = {
  subject: (request, t) => {
    const grant = grantOf(request);
    return t("benefitsUi.approval.subject", {
      member: request.members?.name ?? t("approvals.fields.member"),
      benefit: localizedName(grant, i18next.language),
    });
  },
  Details: GrantDetails,
  Amount: GrantUses,
  executedLabel: "benefitsUi.approval.executed",
  approvedMessage: "benefitsUi.approval.approved",
};
