import { Descriptions } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { benefitKindLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import type { ApprovalRequest } from "../../../data/approvals/types";
import type { ApprovalActionView } from "./types";

/** The data request_benefit_grant stores on a benefit-grant request. */
interface BenefitGrantData {
  member_id: string;
  definition_key: string;
  definition_version: number;
  name: string;
  name_en: string | null;
  kind: string;
  value: number;
  uses: number;
  reason: string;
}

const dataOf = (request: ApprovalRequest) => request.data as unknown as BenefitGrantData;

function BenefitGrantDetails({ request }: { request: ApprovalRequest }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const data = dataOf(request);
  const r = (key: string) => t(`approvals.benefitGrant.${key}`);
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("approvals.fields.member")}>
        <Link to={`/members/show/${request.member_id}`}>{request.members?.name} · {request.members?.member_no}</Link>
      </Descriptions.Item>
      <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={r("benefit")}>
        {(i18n.language.startsWith("en") && data.name_en) || data.name} · {t(benefitKindLabel(data.kind))}
      </Descriptions.Item>
      <Descriptions.Item label={r("uses")}><strong>{data.uses}</strong></Descriptions.Item>
      <Descriptions.Item label={r("reason")}>{data.reason}</Descriptions.Item>
    </Descriptions>
  );
}

/** A manual grant of a benefit to a member, made on final approval. */
export const benefitGrantView: ApprovalActionView = {
  subject: (request, t) => t("approvals.benefitGrant.subject", { name: dataOf(request).name, uses: dataOf(request).uses }),
  Details: BenefitGrantDetails,
  Amount: ({ request }) => <span className="nowrap">{dataOf(request).uses}</span>,
  executedLabel: "approvals.benefitGrant.executed",
  approvedMessage: "approvals.benefitGrant.approved",
};
