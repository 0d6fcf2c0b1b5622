import { useOne } from "@refinedev/core";
import { Descriptions } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../../components/useLookup";
import { usePublishedSegments, type Campaign } from "../../../data/campaigns";
import { usePublishedDefinitions } from "../../../data/benefits/member-benefits";
import type { ApprovalRequest } from "../../../data/approvals/types";
import { formatCount, formatDateTime, formatMoney, localizedName } from "../../../lib/format";
import type { BusinessUnit } from "../../../lib/types";
import { offerText } from "../../campaigns/describe";
import { armsText } from "../../campaigns/show";
import type { ApprovalActionView } from "./types";

/** What submit_campaign pins in a request (the campaign as submitted); the campaign row fills in what it does not pin. */
type LaunchData = Partial<Campaign> & { campaign_id?: string; member_count?: number; segment_name?: string; segment_name_en?: string | null };

const launchOf = (request: ApprovalRequest) => request.data as unknown as LaunchData;

/** The request's pinned data over the campaign as it is now (the pinned values are what the approver decides on). */
function useLaunch(request: ApprovalRequest): LaunchData {
  const pinned = launchOf(request);
  const { result } = useOne<Campaign>({ resource: "campaigns", id: pinned.campaign_id ?? "", queryOptions: { enabled: !!pinned.campaign_id }, errorNotification: false });
  return { ...(result ?? {}), ...Object.fromEntries(Object.entries(pinned).filter(([, v]) => v !== null && v !== undefined)) } as LaunchData;
}

function LaunchDetails({ request }: { request: ApprovalRequest }) {
  const { t, i18n } = useTranslation();
  const launch = useLaunch(request);
  const units = useLookup<BusinessUnit>("business_units");
  const segments = usePublishedSegments();
  const { definitions } = usePublishedDefinitions();
  const segment = segments.rows.find((s) => s.key === launch.segment_key);
  const segmentName = launch.segment_name
    ? localizedName({ name: launch.segment_name, name_en: launch.segment_name_en ?? null }, i18n.language)
    : segment ? localizedName(segment, i18n.language) : t("campaigns.unknownSegment");
  const count = launch.member_count ?? segment?.members ?? null;
  const benefitName = (key: string) => localizedName(definitions.find((d) => d.key === key), i18n.language);
  const campaignId = launch.campaign_id ?? launch.id;
  return (
    <Descriptions column={1} size="small" bordered data-testid="campaign-launch-details">
      <Descriptions.Item label={t("campaigns.fields.name")}>
        {campaignId ? <Link to={`/campaigns/${campaignId}`}>{launch.name}</Link> : launch.name}
      </Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.segment")}>{segmentName}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.memberCount")}>
        <span style={{ whiteSpace: "nowrap" }} data-testid="campaign-launch-count">{count === null ? "—" : t("campaigns.membersValue", { formatted: formatCount(Number(count)) })}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.period")}>
        <span style={{ whiteSpace: "nowrap" }}>{`${formatDateTime(launch.starts_at)} ~ ${formatDateTime(launch.ends_at)}`}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("campaigns.approval.payingUnit")}>{localizedName(units.map.get(request.business_unit_id ?? ""), i18n.language)}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.units")}>
        {(launch.business_unit_ids ?? []).map((id) => localizedName(units.map.get(id), i18n.language)).join("、") || "—"}
      </Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.offer")}>{offerText(launch.offer, t, benefitName)}</Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.budget")}>
        <span style={{ whiteSpace: "nowrap" }}>{launch.budget_fen === undefined ? "—" : formatMoney(Number(launch.budget_fen) / 100)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("campaigns.fields.arms")}>
        {armsText({ arms: launch.arms ?? [], holdout_percent: launch.holdout_percent ?? 0 }, t)}
      </Descriptions.Item>
    </Descriptions>
  );
}

function LaunchBudget({ request }: { request: ApprovalRequest }) {
  const budget = launchOf(request).budget_fen;
  return <span style={{ whiteSpace: "nowrap" }}>{budget === undefined || budget === null ? "—" : formatMoney(Number(budget) / 100)}</span>;
}

/** A campaign launched through approval (submit_campaign, flow campaign-launch): on final approval it is approved and its members assigned. */
export const campaignLaunchView: ApprovalActionView = {
  subject: (request, t) => t("campaigns.approval.subject", { name: launchOf(request).name ?? "" }),
  Details: LaunchDetails,
  Amount: LaunchBudget,
  executedLabel: "campaigns.approval.executed",
  approvedMessage: "campaigns.approval.approved",
};
