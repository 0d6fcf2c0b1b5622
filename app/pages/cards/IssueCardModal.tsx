import { Button, Form, Input, Modal, Result, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { CARD_LIMITS, CARD_TYPES, cardTypeLabel } from "../../../core/enums/index.ts";
import { usePostingUnitField } from "../../access/use-posting-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useUnitName } from "../../components/useUnitName";
import { useIssueCard, type IssueCardResult } from "../../data/cards/mutations";
import { nameOptions } from "../../lib/format";
import { newIdempotencyKey } from "../../lib/ids";
import { MemberSelect } from "./shared";

interface Values {
  business_unit_id: string;
  type_code: string;
  card_no?: string;
  member_id?: string;
  reason?: string;
}

/** 开卡: unit, type, number (or the next one), holder (optional) → confirmation → open the new card. */
export function IssueCardModal({ memberId, onClose }: { memberId?: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const units = usePostingUnitField(form);
  const unitName = useUnitName();
  const issue = useIssueCard();
  const { error, result, confirm } = useConfirmedCall<IssueCardResult>();
  const f = (key: string) => t(`stored_value_cards.form.${key}`);

  const next = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    confirm({
      title: t("stored_value_cards.confirm.issue"),
      content: t("stored_value_cards.confirm.issueContent", { unit: unitName(v.business_unit_id), type: t(cardTypeLabel(v.type_code)) }),
      okText: t("stored_value_cards.confirm.ok"),
      run: () => issue.mutateAsync({ businessUnitId: v.business_unit_id, typeCode: v.type_code, cardNo: v.card_no, memberId: v.member_id, reason: v.reason, idempotencyKey }),
    });
  };

  const footer = result
    ? [
        <Button key="close" onClick={onClose}>{t("common.close")}</Button>,
        <Button key="open" type="primary" onClick={() => navigate(`/cards/show/${result.card_id}`)}>{t("stored_value_cards.titles.show")}</Button>,
      ]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={issue.isPending} onClick={() => void next()}>{f("next")}</Button>,
      ];

  return (
    <Modal open title={t("stored_value_cards.actions.issue")} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={t("stored_value_cards.done.issued", { cardNo: result.card_no })} />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ member_id: memberId }}>
          <RpcErrorAlert message={error} />
          <Form.Item name="business_unit_id" label={f("business_unit")} rules={[{ required: true, message: f("unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item name="type_code" label={f("type")} rules={[{ required: true, message: f("typeRequired") }]}>
            <Select options={CARD_TYPES.map((code) => ({ value: code, label: t(cardTypeLabel(code)) }))} />
          </Form.Item>
          <Form.Item name="card_no" label={f("card_no")} extra={f("cardNoHint")} normalize={(v: string) => v?.toUpperCase()}
            rules={[{ pattern: /^[A-Z0-9]{4,32}$/, message: f("cardNoInvalid") }]}>
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item name="member_id" label={f("member")}>
            <MemberSelect />
          </Form.Item>
          <Form.Item name="reason" label={f("reason")}>
            <Input.TextArea maxLength={CARD_LIMITS.reason_max_length} rows={2} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
