import { Descriptions, Space } from "antd";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { paymentChannelLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import type { ApprovalRequest } from "../../../data/approvals/types";
import type { RechargeRequestData } from "../../../data/cards/types";
import { formatFen } from "../../cards/shared";
import type { ApprovalActionView } from "./types";

const dataOf = (request: ApprovalRequest) => request.data as unknown as RechargeRequestData;

function RechargeDetails({ request }: { request: ApprovalRequest }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const data = dataOf(request);
  const r = (key: string) => t(`approvals.cardRecharge.${key}`);
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={r("cards")}>
        <Space wrap size={[8, 0]}>
          {data.cards.map((card) => <Link key={card.card_id} to={`/cards/show/${card.card_id}`}>{card.card_no}</Link>)}
        </Space>
      </Descriptions.Item>
      {request.member_id && (
        <Descriptions.Item label={t("approvals.fields.member")}>
          <Link to={`/members/show/${request.member_id}`}>{request.members?.name} · {request.members?.member_no}</Link>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t("approvals.fields.unit")}>{unitName(request.business_unit_id)}</Descriptions.Item>
      <Descriptions.Item label={r("amountPerCard")}><span className="nowrap">{formatFen(data.amount_fen)}</span></Descriptions.Item>
      <Descriptions.Item label={r("total")}><strong className="nowrap">{formatFen(data.total_fen)}</strong></Descriptions.Item>
      <Descriptions.Item label={r("channel")}>{t(paymentChannelLabel(data.payment_method))}</Descriptions.Item>
      <Descriptions.Item label={r("paymentRef")}><span translate="no">{data.payment_ref}</span></Descriptions.Item>
      {data.reason && <Descriptions.Item label={r("reason")}>{data.reason}</Descriptions.Item>}
    </Descriptions>
  );
}

/** A recharge of one or more stored-value cards, posted on final approval. */
export const cardRechargeView: ApprovalActionView = {
  subject: (request, t) => {
    const data = dataOf(request);
    return data.card_count === 1
      ? t("approvals.cardRecharge.subjectOne", { cardNo: data.cards[0]?.card_no })
      : t("approvals.cardRecharge.subjectMany", { count: data.card_count });
  },
  Details: RechargeDetails,
  Amount: ({ request }) => <span className="nowrap">{formatFen(dataOf(request).total_fen)}</span>,
  executedLabel: "approvals.cardRecharge.executed",
  approvedMessage: "approvals.cardRecharge.approved",
};
