import { Descriptions } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { tierOfferPeriodLabel } from "../../../../core/enums/index.ts";
import { useLookup } from "../../../components/useLookup";
import { useUnitName } from "../../../components/useUnitName";
import type { ApprovalRequest } from "../../../data/approvals/types";
import type { TierSaleRequestData } from "../../../data/tiers/sell-membership-mutation";
import { formatMoney, localizedName } from "../../../lib/format";
import type { Tier } from "../../../lib/types";
import type { ApprovalActionView } from "./types";

const dataOf = (request: ApprovalRequest) => request.data as unknown as TierSaleRequestData;

function TierSaleDetails({ request }: { request: ApprovalRequest }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const tiers = useLookup<Tier>("tiers", "code");
  const data = dataOf(request);
  const r = (key: string) => t(`approvals.tierSale.${key}`);
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t("approvals.fields.member")}>
        <Link to={`/members/show/${request.member_id}`}>{request.members?.name} · {request.members?.member_no}</Link>
      </Descriptions.Item>
      <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={r("tier")}>{localizedName(tiers.map.get(data.tier_code), i18n.language)}</Descriptions.Item>
      <Descriptions.Item label={r("period")}>{t(tierOfferPeriodLabel(data.period))}</Descriptions.Item>
      <Descriptions.Item label={r("price")}><span className="nowrap">{formatMoney(data.price_fen / 100)}</span></Descriptions.Item>
      <Descriptions.Item label={r("paymentRef")}><span translate="no">{data.payment_ref}</span></Descriptions.Item>
    </Descriptions>
  );
}

/** A paid membership sold to a member, once the payment is checked. */
export const tierSaleView: ApprovalActionView = {
  subject: (request, t) => t("approvals.tierSale.subject", { name: request.members?.name ?? t("approvals.fields.member") }),
  Details: TierSaleDetails,
  Amount: ({ request }) => <span className="nowrap">{formatMoney(dataOf(request).price_fen / 100)}</span>,
  executedLabel: "approvals.tierSale.executed",
  approvedMessage: "approvals.tierSale.approved",
};
