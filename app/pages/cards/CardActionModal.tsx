import { Button, Form, Input, InputNumber, Modal, Result, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CARD_LIMITS, cardStatusLabel, paymentChannelLabel, type CardAction, type PaymentChannel } from "../../../core/enums/index.ts";
import { usePostingUnitField } from "../../access/use-posting-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useUnitName } from "../../components/useUnitName";
import { useConsumeCard, useRefundCard, useRequestCardRecharge, useReplaceCard, useSetCardStatus } from "../../data/cards/mutations";
import type { CardEntry, StoredValueCard } from "../../data/cards/types";
import { nameOptions } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import { PaymentFields } from "./PaymentFields";
import { amountRules, useMayPostLarge, yuan } from "./shared";

export type CardOperation =
  | { kind: "recharge" }
  | { kind: "consume" }
  | { kind: "refund"; entry: CardEntry; refundedFen: number }
  | { kind: "status"; action: CardAction }
  | { kind: "replace" };

interface Values {
  business_unit_id?: string;
  amount?: number;
  channel?: PaymentChannel;
  payment_ref?: string;
  reason?: string;
  new_card_no?: string;
}

interface Props {
  card: StoredValueCard;
  operation: CardOperation;
  onClose: () => void;
}

/**
 * One card operation: form → checks of what the server would refuse → confirmation → result. Mounted anew
 * for each opening (the parent keys it), so its idempotency key is drawn once and a repeated click posts once.
 */
export function CardActionModal({ card, operation, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const units = usePostingUnitField(form, card.issuing_unit_id);
  const unitName = useUnitName();
  const mayPostLarge = useMayPostLarge();
  const recharge = useRequestCardRecharge();
  const consume = useConsumeCard();
  const refund = useRefundCard();
  const setStatus = useSetCardStatus();
  const replace = useReplaceCard();
  const { error, result, confirm } = useConfirmedCall<string>();
  const f = (key: string, values?: Record<string, unknown>) => t(`stored_value_cards.form.${key}`, values);
  const c = (key: string, values?: Record<string, unknown>) => t(`stored_value_cards.confirm.${key}`, values);
  const d = (key: string, values?: Record<string, unknown>) => t(`stored_value_cards.done.${key}`, values);
  const title = operation.kind === "status" ? t(`stored_value_cards.actions.${operation.action}`) : t(`stored_value_cards.actions.${operation.kind}`);
  const moneyOp = operation.kind === "recharge" || operation.kind === "consume" || operation.kind === "refund";
  const unusable = moneyOp && card.status !== "active";
  const staffCap = CARD_LIMITS.staff_cap_fen;
  const refundLeft = operation.kind === "refund" ? -operation.entry.amount_fen - operation.refundedFen : 0;
  const roomOnCard = CARD_LIMITS.max_balance_fen - card.balance_fen;
  const done = (text: string, duplicate: boolean) => (duplicate ? `${text}（${d("duplicate")}）` : text);

  const next = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const fen = Math.round((v.amount ?? 0) * 100);
    const amount = yuan(fen);
    switch (operation.kind) {
      case "recharge":
        return confirm({
          title: c("recharge"),
          content: c("rechargeContent", { cardNo: card.card_no, amount, channel: t(paymentChannelLabel(v.channel!)), unit: unitName(v.business_unit_id), ref: v.payment_ref }),
          okText: c("submitRequest"),
          run: async () => {
            await recharge.mutateAsync({
              businessUnitId: v.business_unit_id!, cardIds: [card.id], amount: fen / 100, channel: v.channel!, paymentRef: v.payment_ref!, reason: v.reason, idempotencyKey,
            });
            return d("rechargeRequested");
          },
        });
      case "consume":
        return confirm({
          title: c("consume"),
          content: c("consumeContent", { cardNo: card.card_no, amount, unit: unitName(v.business_unit_id) }),
          okText: c("ok"),
          run: async () => {
            const r = await consume.mutateAsync({ cardId: card.id, businessUnitId: v.business_unit_id!, amountFen: fen, reason: v.reason, idempotencyKey });
            return done(d("consumed", { balance: yuan(r.balance_fen) }), r.duplicate);
          },
        });
      case "refund": {
        const entryId = operation.entry.id;
        return confirm({
          title: c("refund"),
          content: c("refundContent", { cardNo: card.card_no, amount }),
          okText: c("ok"),
          run: async () => {
            const r = await refund.mutateAsync({ entryId, amountFen: fen, reason: v.reason, idempotencyKey });
            return done(d("refunded", { balance: yuan(r.balance_fen) }), r.duplicate);
          },
        });
      }
      case "status": {
        const action = operation.action;
        const label = t(`stored_value_cards.actions.${action}`);
        return confirm({
          title: c("status", { action: label }),
          content: c("statusContent", { cardNo: card.card_no, action: label }),
          okText: c("ok"),
          danger: action === "cancel" || action === "report_loss",
          run: async () => {
            const r = await setStatus.mutateAsync({ cardId: card.id, action, reason: v.reason ?? "" });
            return d("status", { status: t(cardStatusLabel(r.status)) });
          },
        });
      }
      case "replace":
        return confirm({
          title: c("replace"),
          content: c("replaceContent", { cardNo: card.card_no, amount: yuan(card.balance_fen) }),
          okText: c("ok"),
          run: async () => {
            const r = await replace.mutateAsync({ cardId: card.id, newCardNo: v.new_card_no, reason: v.reason ?? "", idempotencyKey });
            return done(d("replaced", { cardNo: r.card_no, balance: yuan(r.balance_fen) }), r.duplicate);
          },
        });
    }
  };

  const pending = recharge.isPending || consume.isPending || refund.isPending || setStatus.isPending || replace.isPending;
  const footer = result || unusable
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={pending} onClick={() => void next()}>{f("next")}</Button>,
      ];

  const amountMax =
    operation.kind === "consume"
      ? { fen: card.balance_fen, message: f("overBalance", { balance: yuan(card.balance_fen) }) }
      : operation.kind === "refund"
        ? { fen: Math.min(refundLeft, mayPostLarge(operation.entry.business_unit_id) ? refundLeft : staffCap), message: refundLeft <= staffCap || mayPostLarge(operation.entry.business_unit_id) ? f("overRefund", { left: yuan(refundLeft) }) : f("overStaffCap", { cap: yuan(staffCap) }) }
        : operation.kind === "recharge"
          ? { fen: roomOnCard, message: f("overBalanceCap", { max: yuan(CARD_LIMITS.max_balance_fen) }) }
          : undefined;

  return (
    <Modal open title={`${title} · ${card.card_no}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={result} />
      ) : unusable ? (
        <RpcErrorAlert message={f("cardUnusable", { status: t(cardStatusLabel(card.status)) })} />
      ) : (
        <Form form={form} layout="vertical">
          <RpcErrorAlert message={error} />
          {moneyOp && (
            <Typography.Paragraph type="secondary">
              {t("stored_value_cards.fields.balance")}：¥{yuan(card.balance_fen)}
              {operation.kind === "refund" && ` · ${t("stored_value_cards.report.refundable")}：¥${yuan(refundLeft)}`}
            </Typography.Paragraph>
          )}
          {(operation.kind === "recharge" || operation.kind === "consume") && (
            <Form.Item name="business_unit_id" label={f("business_unit")} rules={[{ required: true, message: f("unitRequired") }]}>
              <Select options={nameOptions(units, i18n.language)} />
            </Form.Item>
          )}
          {moneyOp && (
            <Form.Item name="amount" label={f("amount")} dependencies={["business_unit_id"]} rules={amountRules(t, amountMax)}>
              <InputNumber precision={2} step={1} min={0} style={{ width: "100%" }} />
            </Form.Item>
          )}
          {operation.kind === "recharge" && <PaymentFields />}
          {operation.kind === "replace" && (
            <Form.Item name="new_card_no" label={f("newCardNo")} extra={f("cardNoHint")} normalize={(v: string) => v?.toUpperCase()}
              rules={[{ pattern: /^[A-Z0-9]{4,32}$/, message: f("cardNoInvalid") }]}>
              <Input maxLength={32} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={f("reason")}
            rules={operation.kind === "status" || operation.kind === "replace" ? [{ required: true, whitespace: true, message: f("reasonRequired") }] : []}>
            <Input.TextArea maxLength={CARD_LIMITS.reason_max_length} rows={2} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
