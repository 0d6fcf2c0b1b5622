import { useList } from "@refinedev/core";
import { Button, Form, Input, Modal, Result, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MAX_PAYMENT_REF_LENGTH, PAYMENT_REF_PATTERN, tierOfferPeriodLabel } from "../../../../core/enums/index.ts";
import { usePostingUnitField } from "../../../access/use-posting-units";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useLookup } from "../../../components/useLookup";
import { type SellMembershipResult, useSellMembershipMutation } from "../../../data/tiers/sell-membership-mutation";
import { formatCount, formatDateTime, formatMoney, localizedName, nameOptions } from "../../../lib/format";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { Member, Tier, TierOffer } from "../../../lib/types";

interface Values {
  offer_id: string;
  business_unit_id: string;
  payment_ref: string;
}

/** Selling a paid membership at the counter: the offer, the selling unit and the payment's reference. */
export function BuyMembershipModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const units = usePostingUnitField(form, member.home_business_unit_id);
  const tiers = useLookup<Tier>("tiers");
  const tiersByCode = useLookup<Tier>("tiers", "code");
  const { result: offers } = useList<TierOffer>({
    resource: "tier_offers",
    filters: [{ field: "active", operator: "eq", value: true }],
    sorters: [{ field: "price_fen", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const sell = useSellMembershipMutation();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SellMembershipResult | null>(null);
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
      setResult(await sell.mutateAsync({
        memberId: member.id, offerId: values.offer_id, businessUnitId: values.business_unit_id, paymentRef: values.payment_ref,
      }));
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="sell" type="primary" loading={sell.isPending} onClick={() => void submit()}>{s("submit")}</Button>,
      ];

  return (
    <Modal open={open} title={`${s("title")} · ${member.name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result
          status={result.duplicate ? "info" : "success"}
          title={result.duplicate ? s("duplicate") : s("success")}
          subTitle={
            <>
              <Typography.Text>
                {s("result", { tier: localizedName(tiersByCode.map.get(result.tier_code), i18n.language), ends: formatDateTime(result.ends_at) })}
              </Typography.Text>
              {!!result.gift_points && (
                <div><Typography.Text>{s("gift", { points: formatCount(result.gift_points) })}</Typography.Text></div>
              )}
            </>
          }
        />
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
