import { Descriptions } from "antd";
import { useTranslation } from "react-i18next";
import { campaignOfferKindLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import type { ApprovalRequest } from "../../../data/approvals/types";
import { formatCount, formatDateTime, formatMoney } from "../../../lib/format";
import type { ApprovalActionView } from "./types";

/** What submit_campaign pins in a launch request (the campaign as submitted). */
interface LaunchData {
  campaign_id: string;
  key: string;
  name: string;
  segment_key: string;
  segment_name: string | null;
  segment_name_en: string | null;
  member_count: number;
  business_unit_ids: string[];
  starts_at: string;
  ends_at: string;
  offer: { kind: string; multiplier?: number; benefit_key?: string; uses?: number; message?: string };
  arms: { key: string; share: number }[];
  holdout_percent: number;
  budget_fen: number;
}

const launchOf = (request: ApprovalRequest) => request.data as unknown as LaunchData;

function LaunchDetails({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const c = launchOf(request);
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("campaigns.approval.name")}><span data-testid="campaign-launch-name">{c.name}</span></Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.payingUnit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.units")}>{(c.business_unit_ids ?? []).map((id) => unitName(id)).join("、")}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.period")}>{`${formatDateTime(c.starts_at)} – ${formatDateTime(c.ends_at)}`}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.members")}>{formatCount(Number(c.member_count))}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.offer")}>
        {t(campaignOfferKindLabel(c.offer?.kind ?? ""))}
        {c.offer?.kind === "points_multiplier" ? ` ×${c.offer.multiplier}` : ""}
      </Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.holdout")}>{`${Number(c.holdout_percent)}%`}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.budget")}>{formatMoney(Number(c.budget_fen) / 100)}</Descriptions.Item>
    </Descriptions>
  );
}

function LaunchBudget({ request }: { request: ApprovalRequest }) {
  return <span className="nowrap">{formatMoney(Number(launchOf(request).budget_fen) / 100)}</span>;
}

/** A campaign's launch (submit_campaign): on the final approval the segment's members are assigned and it goes live. */
export const campaignLaunchView: ApprovalActionView = {
  subject: (request, t) => t("campaigns.approval.subject", { name: launchOf(request).name }),
  Details: LaunchDetails,
  Amount: LaunchBudget,
  executedLabel: "campaigns.approval.executed",
  approvedMessage: "campaigns.approval.approved",
};
