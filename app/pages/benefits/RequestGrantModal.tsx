import { Button, Form, Input, InputNumber, Modal, Result, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { BENEFIT_LIMITS, GRANT_REQUEST_ROLES } from "../../../core/enums/index.ts";
import { useCounterUnits } from "../../access/use-counter-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { usePublishedDefinitions } from "../../data/benefits/member-benefits";
import { useRequestBenefitGrant } from "../../data/benefits/mutations";
import { localizedName, nameOptions } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import type { Member } from "../../lib/types";
import { benefitKindText } from "./describe";

/** The most uses one manual grant may ask for (request_benefit_grant refuses more; a coupon is one). */
const MAX_REQUEST_USES = BENEFIT_LIMITS.max_manual_uses;
const MAX_REASON = BENEFIT_LIMITS.reason_max_length;

interface Values {
  definition_key: string;
  uses: number;
  business_unit_id: string;
  reason: string;
}

/**
 * 申请发放权益: staff never grant a benefit themselves; this files an approval request (flow benefit-grant) that the
 * unit's manager (and a director above a threshold) decides. The dialog says so and links to the request.
 */
export function RequestGrantModal({ member, onClose }: { member: Member; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const { units } = useCounterUnits(GRANT_REQUEST_ROLES);
  const { definitions } = usePublishedDefinitions();
  const request = useRequestBenefitGrant();
  const { error, result, confirm } = useConfirmedCall<{ id: string }>();
  const r = (key: string, values?: Record<string, unknown>) => t(`benefitsUi.request.${key}`, values);
  const chosenKey = Form.useWatch("definition_key", form);
  // A coupon is one single-use code: one per request.
  const maxUses = definitions.find((d) => d.key === chosenKey)?.kind === "coupon" ? 1 : MAX_REQUEST_USES;

  useEffect(() => {
    if (units.length && !form.getFieldValue("business_unit_id")) {
      form.setFieldValue("business_unit_id", units.find((u) => u.id === member.home_business_unit_id)?.id ?? units[0].id);
    }
  }, [units, form, member.home_business_unit_id]);

  const next = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const def = definitions.find((d) => d.key === v.definition_key);
    confirm({
      title: r("confirmTitle"),
      content: r("confirmContent", { member: `${member.name}（${member.member_no}）`, benefit: localizedName(def, i18n.language), uses: v.uses }),
      okText: r("ok"),
      run: () => request.mutateAsync({ memberId: member.id, definitionKey: v.definition_key, uses: v.uses, reason: v.reason, businessUnitId: v.business_unit_id, idempotencyKey }),
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={request.isPending} onClick={() => void next()}>{r("submit")}</Button>,
      ];

  return (
    <Modal open title={`${r("title")} · ${member.name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={r("done")} subTitle={r("doneHint")}
          extra={<Link to={`/approvals?tab=mine&request=${result.id}`}>{r("open")}</Link>} />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ uses: 1 }}>
          <Typography.Paragraph type="secondary">{r("explain")}</Typography.Paragraph>
          <RpcErrorAlert message={error} />
          <Form.Item name="definition_key" label={r("benefit")} rules={[{ required: true, message: r("benefitRequired") }]}>
            <Select showSearch optionFilterProp="label"
              options={definitions.map((d) => ({ value: d.key, label: `${localizedName(d, i18n.language)}（${benefitKindText(d.kind, d.value, t)}）` }))} />
          </Form.Item>
          <Form.Item name="uses" label={r("uses")} dependencies={["definition_key"]}
            rules={[{ required: true, type: "integer", min: 1, max: maxUses, message: r("usesInvalid", { max: maxUses }) }]}>
            <InputNumber min={1} precision={0} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="business_unit_id" label={r("unit")} rules={[{ required: true, message: r("unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item name="reason" label={r("reason")} rules={[{ required: true, whitespace: true, message: r("reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={MAX_REASON} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
