import { useList } from "@refinedev/core";
import { Descriptions, Typography } from "antd";
import i18next from "i18next";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useUnitName } from "../../../components/useUnitName";
import type { ApprovalRequest } from "../../../data/approvals/types";
import { formatCount, localizedName } from "../../../lib/format";
import { benefitKindText } from "../../benefits/describe";
import type { ApprovalActionView } from "./types";

/** What request_benefit_campaign pins in a request: the published version, uses per member, the count and the reason. */
interface CampaignData {
  definition_key: string;
  definition_version: number;
  name: string;
  name_en: string | null;
  kind: string;
  value: number;
  uses: number;
  member_count: number;
  total_uses: number;
  reason: string;
}

/** Members shown in a request's details; the full list stays in approval_request_members. */
const LISTED_MEMBERS = 50;

const campaignOf = (request: ApprovalRequest) => request.data as unknown as CampaignData;

function CampaignMembers({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  const { result } = useList<{ member_id: string; members: { name: string; member_no: string } | null }>({
    resource: "approval_request_members",
    filters: [{ field: "request_id", operator: "eq", value: request.id }],
    meta: { select: "member_id,members:member_directory(name,member_no)" },
    pagination: { currentPage: 1, pageSize: LISTED_MEMBERS },
    errorNotification: false,
  });
  const rows = result.data ?? [];
  const count = Number(campaignOf(request).member_count);
  return (
    <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="campaign-request-members">
      {rows.map((row, i) => (
        <span key={row.member_id}>
          {i > 0 && "、"}
          <Link to={`/members/show/${row.member_id}`}>{row.members ? `${row.members.name}（${row.members.member_no}）` : t("approvals.fields.member")}</Link>
        </span>
      ))}
      {count > rows.length && rows.length > 0 && <Typography.Text type="secondary">{t("benefitsUi.campaign.more", { count: count - rows.length })}</Typography.Text>}
    </Typography.Paragraph>
  );
}

function CampaignDetails({ request }: { request: ApprovalRequest }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const campaign = campaignOf(request);
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.approval.benefit")}>
        <span data-testid="campaign-request-benefit">{`${localizedName(campaign, i18n.language)}（${benefitKindText(campaign.kind, campaign.value, t)}）`}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.campaign.usesEach")}>{t("benefitsUi.approval.usesValue", { count: Number(campaign.uses) })}</Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.campaign.memberCount")}>{t("benefitsUi.campaign.membersValue", { count: Number(campaign.member_count) })}</Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.campaign.totalUses")}>{formatCount(Number(campaign.total_uses))}</Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.campaign.members")}><CampaignMembers request={request} /></Descriptions.Item>
      <Descriptions.Item label={t("benefitsUi.approval.reason")}>{campaign.reason || t("common.none")}</Descriptions.Item>
    </Descriptions>
  );
}

function CampaignSize({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  return <span className="nowrap">{t("benefitsUi.campaign.membersValue", { count: Number(campaignOf(request).member_count) })}</span>;
}

/** One benefit granted to a list of members (request_benefit_campaign): each member once, on the final approval. */
export const benefitCampaignView: ApprovalActionView = {
  subject: (request, t) => {
    const campaign = campaignOf(request);
    return t("benefitsUi.campaign.subject", { benefit: localizedName(campaign, i18next.language), count: Number(campaign.member_count) });
  },
  Details: CampaignDetails,
  Amount: CampaignSize,
  executedLabel: "benefitsUi.campaign.executed",
  approvedMessage: "benefitsUi.campaign.approved",
};
