import { Form, Input, Select } from "antd";
import { useTranslation } from "react-i18next";
import { PAYMENT_CHANNELS, paymentChannelLabel } from "../../../core/enums/index.ts";
import { RECHARGE_FORM } from "../../data/cards/types";
import { usePublishedForm } from "../../data/forms/use-published-form";

interface RefRules { pattern?: string; minLength?: number; maxLength?: number }

/**
 * How a recharge was paid: the channel and the payment's reference, which the approving manager checks. The
 * reference's rules are those of the published recharge form, which the server checks the request against.
 */
export function PaymentFields() {
  const { t } = useTranslation();
  const f = (key: string, values?: Record<string, unknown>) => t(`stored_value_cards.form.${key}`, values);
  const form = usePublishedForm(RECHARGE_FORM);
  const ref = ((form?.schema as { properties?: Record<string, RefRules> } | undefined)?.properties?.payment_ref ?? {}) as RefRules;
  const invalid = f("paymentRefInvalid", { min: ref.minLength ?? 1, max: ref.maxLength ?? 64 });
  return (
    <>
      <Form.Item name="channel" label={f("channel")} rules={[{ required: true, message: f("channelRequired") }]}>
        <Select options={PAYMENT_CHANNELS.map((ch) => ({ value: ch, label: t(paymentChannelLabel(ch)) }))} />
      </Form.Item>
      <Form.Item name="payment_ref" label={f("paymentRef")} extra={f("paymentRefHint")}
        rules={[
          { required: true, whitespace: true, message: f("paymentRefRequired") },
          ...(ref.pattern ? [{ pattern: new RegExp(ref.pattern), message: invalid }] : []),
          { min: ref.minLength, max: ref.maxLength, message: invalid },
        ]}>
        <Input maxLength={ref.maxLength} />
      </Form.Item>
    </>
  );
}
