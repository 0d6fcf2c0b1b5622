import { Button, Form, Input, InputNumber, Modal, Result, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CARD_LIMITS, paymentChannelLabel, type PaymentChannel } from "../../../core/enums/index.ts";
import { usePostingUnitField } from "../../access/use-posting-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useRequestCardRecharge } from "../../data/cards/mutations";
import type { StoredValueCard } from "../../data/cards/types";
import { nameOptions } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import { dataProvider } from "../../providers/data-provider";
import { PaymentFields } from "./PaymentFields";
import { amountRules, yuan } from "./shared";

interface Values {
  business_unit_id: string;
  cards: string;
  amount: number;
  channel: PaymentChannel;
  payment_ref: string;
  reason?: string;
}

/** 批量充值: card numbers (one per line), the same amount each, one payment channel; all or nothing. */
export function BulkRechargeModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const units = usePostingUnitField(form);
  const bulk = useRequestCardRecharge();
  const { error, result, setResult, confirm } = useConfirmedCall<string>();
  const [lookupError, setLookupError] = useState<string | null>(null);
  const f = (key: string, values?: Record<string, unknown>) => t(`stored_value_cards.form.${key}`, values);

  const next = async () => {
    setLookupError(null);
    setResult(null);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const numbers = [...new Set(v.cards.split(/[\s,，]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
    if (numbers.length === 0 || numbers.length > CARD_LIMITS.bulk_max_items) {
      setLookupError(t("errors.reasons.card_bulk_invalid"));
      return;
    }
    const { data } = await dataProvider.getList<StoredValueCard>({
      resource: "stored_value_cards",
      filters: [{ field: "card_no", operator: "in", value: numbers }],
      pagination: { mode: "off" },
      meta: { select: "id, card_no, status" },
    });
    const unknown = numbers.filter((n) => !data.some((c) => c.card_no === n));
    if (unknown.length) {
      setLookupError(f("cardsUnknown", { list: unknown.join("、") }));
      return;
    }
    const unusable = data.filter((c) => c.status !== "active");
    if (unusable.length) {
      setLookupError(f("cardsUnusable", { list: unusable.map((c) => c.card_no).join("、") }));
      return;
    }
    const fen = Math.round(v.amount * 100);
    const total = fen * numbers.length;
    if (total > CARD_LIMITS.max_amount_fen) {
      setLookupError(f("overCap", { max: yuan(CARD_LIMITS.max_amount_fen) }));
      return;
    }
    confirm({
      title: t("stored_value_cards.confirm.bulkRecharge"),
      content: t("stored_value_cards.confirm.bulkContent", { count: numbers.length, amount: yuan(fen), total: yuan(total), channel: t(paymentChannelLabel(v.channel)), ref: v.payment_ref }),
      okText: t("stored_value_cards.confirm.submitRequest"),
      run: async () => {
        await bulk.mutateAsync({
          businessUnitId: v.business_unit_id,
          cardIds: data.map((c) => c.id),
          amount: fen / 100,
          channel: v.channel,
          paymentRef: v.payment_ref,
          reason: v.reason,
          idempotencyKey,
        });
        return t("stored_value_cards.done.bulkRechargeRequested", { count: numbers.length, total: yuan(total) });
      },
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={bulk.isPending} onClick={() => void next()}>{f("next")}</Button>,
      ];

  return (
    <Modal open title={t("stored_value_cards.actions.bulkRecharge")} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={result} />
      ) : (
        <Form form={form} layout="vertical">
          <RpcErrorAlert message={error ?? lookupError} />
          <Form.Item name="business_unit_id" label={f("business_unit")} rules={[{ required: true, message: f("unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item name="cards" label={f("cards")} rules={[{ required: true, whitespace: true, message: f("cardsRequired") }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="amount" label={f("amount")} rules={amountRules(t)}>
            <InputNumber precision={2} step={1} min={0} style={{ width: "100%" }} />
          </Form.Item>
          <PaymentFields />
          <Form.Item name="reason" label={f("reason")}>
            <Input.TextArea maxLength={CARD_LIMITS.reason_max_length} rows={2} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
