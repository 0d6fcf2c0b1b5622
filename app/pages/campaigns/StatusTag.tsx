import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { campaignStatusLabel, type CampaignStatus } from "../../../core/enums/index.ts";

const COLORS: Record<CampaignStatus, string> = {
  draft: "default", pending: "gold", approved: "blue", running: "green", ended: "purple", rejected: "red", cancelled: "default",
};

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? "default"} style={{ whiteSpace: "nowrap" }}>{t(campaignStatusLabel(status))}</Tag>;
}
