import { Button, Form, Input, InputNumber, Modal, Result, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { BENEFIT_LIMITS, GRANT_REQUEST_ROLES } from "../../../core/enums/index.ts";
import { useCounterUnits } from "../../access/use-counter-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useRequestBenefitCampaign } from "../../data/benefits/mutations";
import type { BenefitDefinition } from "../../data/benefits/types";
import { localizedName, nameOptions } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import { benefitKindText } from "./describe";

interface Values {
  members: string;
  uses: number;
  business_unit_id: string;
  reason: string;
}

/** The member numbers or phones in pasted text (one per line, or separated by commas, spaces or 、), each once. */
export const memberRefsOf = (text: string | undefined) => [...new Set((text ?? "").split(/[\s,，、;；]+/).filter(Boolean))];

/**
 * 批量发放: one published benefit to a list of members, as one approval request (flow benefit-campaign). Nothing is
 * granted until the unit's manager (and the director for large lists) approves; then each member once.
 */
export function CampaignGrantModal({ definition, onClose }: { definition: BenefitDefinition; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const { units } = useCounterUnits(GRANT_REQUEST_ROLES);
  const request = useRequestBenefitCampaign();
  const { error, result, confirm } = useConfirmedCall<{ id: string }>();
  const c = (key: string, values?: Record<string, unknown>) => t(`benefitsUi.campaign.${key}`, values);
  const refs = memberRefsOf(Form.useWatch("members", form));
  const maxUses = definition.kind === "coupon" ? 1 : BENEFIT_LIMITS.max_manual_uses;
  const name = localizedName(definition, i18n.language);

  useEffect(() => {
    if (units.length && !form.getFieldValue("business_unit_id")) form.setFieldValue("business_unit_id", units[0].id);
  }, [units, form]);

  const next = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const memberRefs = memberRefsOf(v.members);
    confirm({
      title: c("confirmTitle"),
      content: c("confirmContent", { count: memberRefs.length, benefit: name, uses: v.uses, above: BENEFIT_LIMITS.director_above_members }),
      okText: c("ok"),
      run: () => request.mutateAsync({ definitionKey: definition.key, memberRefs, uses: v.uses, reason: v.reason, businessUnitId: v.business_unit_id, idempotencyKey }),
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={request.isPending} onClick={() => void next()}>{c("submit")}</Button>,
      ];

  return (
    <Modal open title={`${c("title")} · ${name}`} onCancel={onClose} footer={footer} destroyOnHidden width={640}>
      {result ? (
        <Result status="success" title={c("done")} subTitle={c("doneHint")} extra={<Link to={`/approvals?tab=mine&request=${result.id}`}>{c("open")}</Link>} />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ uses: 1 }}>
          <Typography.Paragraph type="secondary">{c("explain", { benefit: `${name}（${benefitKindText(definition.kind, definition.value, t)}）` })}</Typography.Paragraph>
          <RpcErrorAlert message={error} />
          <Form.Item name="members" label={c("members")} extra={c("membersHint", { count: refs.length, max: BENEFIT_LIMITS.max_campaign_members })}
            rules={[{
              validator: async (_, text: string | undefined) => {
                const n = memberRefsOf(text).length;
                if (n < 1) throw new Error(c("membersRequired"));
                if (n > BENEFIT_LIMITS.max_campaign_members) throw new Error(c("membersTooMany", { max: BENEFIT_LIMITS.max_campaign_members }));
              },
            }]}>
            <Input.TextArea rows={6} placeholder={c("membersPlaceholder")} />
          </Form.Item>
          <Form.Item name="uses" label={c("uses")} rules={[{ required: true, type: "integer", min: 1, max: maxUses, message: c("usesInvalid", { max: maxUses }) }]}>
            <InputNumber min={1} precision={0} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="business_unit_id" label={c("unit")} rules={[{ required: true, message: c("unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item name="reason" label={c("reason")} rules={[{ required: true, whitespace: true, message: c("reasonRequired") }]}>
            <Input.TextArea rows={2} maxLength={BENEFIT_LIMITS.reason_max_length} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
