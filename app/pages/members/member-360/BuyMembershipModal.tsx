import { useList } from "@refinedev/core";
import { Button, Form, Input, Modal, Result, Select, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { MAX_PAYMENT_REF_LENGTH, PAYMENT_REF_PATTERN, tierOfferPeriodLabel } from "../../../../core/enums/index.ts";
import { usePostingUnitField } from "../../../access/use-posting-units";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useLookup } from "../../../components/useLookup";
import { useRequestTierSale } from "../../../data/tiers/sell-membership-mutation";
import { newIdempotencyKey } from "../../../lib/ids";
import { formatMoney, localizedName, nameOptions } from "../../../lib/format";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { Member, Tier, TierOffer } from "../../../lib/types";

interface Values {
  offer_id: string;
  business_unit_id: string;
  payment_ref: string;
}

/**
 * Selling a paid membership at the counter: the offer, the selling unit and the payment's reference make a request
 * the unit's manager approves once the payment is checked. Mounted anew for each opening, so a repeated click
 * submits once.
 */
export function BuyMembershipModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const units = usePostingUnitField(form, member.home_business_unit_id);
  const tiers = useLookup<Tier>("tiers");
  const { result: offers } = useList<TierOffer>({
    resource: "tier_offers",
    filters: [{ field: "active", operator: "eq", value: true }],
    sorters: [{ field: "price_fen", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const sell = useRequestTierSale();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<string | null>(null);
  const [requested, setRequested] = useState(false);
  const s = (key: string, options?: Record<string, unknown>) => t(`tiers.sell.${key}`, options ?? {});
  const offerLabel = (offer: TierOffer) =>
    s("offerOption", {
      tier: localizedName(tiers.map.get(offer.tier_id), i18n.language),
      period: t(tierOfferPeriodLabel(offer.period)),
      price: formatMoney(offer.price_fen / 100),
    });

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      await sell.mutateAsync({
        memberId: member.id, offerId: values.offer_id, businessUnitId: values.business_unit_id, paymentRef: values.payment_ref, idempotencyKey,
      });
      setRequested(true);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  const footer = requested
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="sell" type="primary" loading={sell.isPending} onClick={() => void submit()}>{s("submit")}</Button>,
      ];

  return (
    <Modal open={open} title={`${s("title")} · ${member.name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {requested ? (
        <Result status="success" title={s("requested")} subTitle={<Link to="/approvals?tab=mine">{s("openRequests")}</Link>} />
      ) : (
        <Form form={form} layout="vertical">
          <RpcErrorAlert message={error} />
          {offers.data.length === 0 && <Typography.Paragraph type="secondary">{s("noOffers")}</Typography.Paragraph>}
          <Form.Item name="offer_id" label={s("offer")} rules={[{ required: true, message: s("offerRequired") }]}>
            <Select options={offers.data.map((offer) => ({ value: offer.id, label: offerLabel(offer) }))} />
          </Form.Item>
          <Form.Item name="business_unit_id" label={s("business_unit")} rules={[{ required: true, message: t("transactions.record.unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item
            name="payment_ref"
            label={s("payment_ref")}
            rules={[{ required: true, pattern: PAYMENT_REF_PATTERN, message: s("paymentRefRequired", { max: MAX_PAYMENT_REF_LENGTH }) }]}
          >
            <Input maxLength={MAX_PAYMENT_REF_LENGTH} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
