import { Button, Descriptions, Form, InputNumber, Modal, Result, Switch } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { BENEFIT_LIMITS } from "../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import type { CounterMember } from "../../data/benefits/find-member";
import { benefitRefusalLabel } from "../../data/benefits/labels";
import { useVerifyBenefitUse } from "../../data/benefits/mutations";
import type { UsableBenefit } from "../../data/benefits/types";
import { formatDateTime, localizedName } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import { benefitKindText, stackingText } from "../benefits/describe";

/** Kinds used alongside a payment, where "with points" is a question. */
const PAYMENT_KINDS = new Set(["discount_percent", "coupon", "free_item"]);

interface Values {
  uses: number;
  with_points: boolean;
}

/**
 * 核销 one grant: how many uses (and with points?), refused here first for what the server would refuse
 * (not usable, more than is left, not stackable with points), then a confirmation. Mounted anew for each
 * opening, so its idempotency key is drawn once and a double click posts once.
 */
export function VerifyModal({ benefit, member, unitId, unitLabel, withPoints, onClose }: {
  benefit: UsableBenefit;
  member: CounterMember;
  unitId: string;
  unitLabel: string;
  /** The counter's "paying with points" choice, the switch's starting value. */
  withPoints: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const verify = useVerifyBenefitUse();
  const { error, result, confirm } = useConfirmedCall<string>();
  const [problem, setProblem] = useState<string | null>(null);
  const name = localizedName(benefit, i18n.language);
  const c = (key: string, values?: Record<string, unknown>) => t(`counter.verify.${key}`, values);
  const worth = (uses: number) => (benefit.kind === "parking_hours" && benefit.value ? c("hours", { hours: uses * benefit.value }) : "");

  const next = async () => {
    setProblem(null);
    // A change still being validated makes antd reject as out of date: validate the settled value again.
    const v = await form.validateFields().catch((failure: { outOfDate?: boolean; errorFields?: unknown[] }) =>
      failure?.outOfDate && !failure.errorFields?.length ? form.validateFields().catch(() => null) : null);
    if (!v) return;
    if (v.with_points && !benefit.stacks_with_points) {
      setProblem(t(benefitRefusalLabel("does_not_stack")) + "：" + t("benefitsUi.stacking.notWithPoints"));
      return;
    }
    confirm({
      title: c("confirmTitle"),
      content: c("confirmContent", { member: `${member.name}（${member.member_no}）`, benefit: name, uses: v.uses, worth: worth(v.uses), unit: unitLabel })
        + (v.with_points ? c("withPointsNote") : ""),
      okText: c("ok"),
      run: async () => {
        const r = await verify.mutateAsync({ grantId: benefit.grant_id, businessUnitId: unitId, uses: v.uses, withPoints: !!v.with_points, idempotencyKey });
        return c("done", { benefit: name, uses: r.uses, worth: worth(r.uses), left: r.uses_left });
      },
    });
  };

  const footer = result || !benefit.usable
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={verify.isPending} onClick={() => void next()}>{c("next")}</Button>,
      ];

  return (
    <Modal open title={`${c("title")} · ${name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={result} />
      ) : (
        <>
          <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t("benefitsUi.fields.member")}>{`${member.name} · ${member.member_no}`}</Descriptions.Item>
            <Descriptions.Item label={t("benefitsUi.fields.kind")}>{benefitKindText(benefit.kind, benefit.value, t)}</Descriptions.Item>
            <Descriptions.Item label={t("benefitsUi.fields.uses_left")}>{benefit.uses_left}</Descriptions.Item>
            <Descriptions.Item label={t("benefitsUi.fields.valid_until")}>{formatDateTime(benefit.valid_until)}</Descriptions.Item>
            <Descriptions.Item label={t("benefitsUi.fields.stacking")}>{stackingText(benefit, t)}</Descriptions.Item>
            <Descriptions.Item label={t("benefitsUi.fields.unit")}>{unitLabel}</Descriptions.Item>
          </Descriptions>
          {!benefit.usable ? (
            <RpcErrorAlert message={c("unusable", { reason: t(benefitRefusalLabel(benefit.refusal ?? "not_eligible")) })} />
          ) : (
            <Form form={form} layout="vertical" initialValues={{ uses: 1, with_points: withPoints && PAYMENT_KINDS.has(benefit.kind) }}>
              <RpcErrorAlert message={error ?? problem} />
              <Form.Item name="uses" label={c("uses")} extra={benefit.kind === "parking_hours" && benefit.value ? c("usesHint", { hours: benefit.value }) : undefined}
                rules={[
                  { required: true, message: c("usesRequired") },
                  { type: "integer", min: 1, message: c("usesRequired") },
                  { type: "integer", max: benefit.uses_left, message: c("usesOverLeft", { left: benefit.uses_left }) },
                  { type: "integer", max: BENEFIT_LIMITS.max_uses_per_verification, message: c("usesOverMax", { max: BENEFIT_LIMITS.max_uses_per_verification }) },
                ]}>
                <InputNumber min={1} precision={0} style={{ width: "100%" }} />
              </Form.Item>
              {PAYMENT_KINDS.has(benefit.kind) && (
                <Form.Item name="with_points" label={c("withPoints")} valuePropName="checked">
                  <Switch />
                </Form.Item>
              )}
            </Form>
          )}
        </>
      )}
    </Modal>
  );
}
