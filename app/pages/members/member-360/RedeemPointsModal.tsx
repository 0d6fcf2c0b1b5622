import { Button, Form, Input, InputNumber, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MAX_REASON_LENGTH } from "../../../../core/enums/index.ts";
import { usePostingUnitField } from "../../../access/use-posting-units";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { useUnitName } from "../../../components/useUnitName";
import { type RedeemPointsResult, useRedeemPointsMutation } from "../../../data/points/redeem-points-mutation";
import { formatCount, nameOptions } from "../../../lib/format";
import { newIdempotencyKey } from "../../../lib/ids";
import type { Member } from "../../../lib/types";
import { RedeemPointsResultView } from "./RedeemPointsResult";

interface Values {
  business_unit_id: string;
  points: number;
  reason?: string;
}

interface Props {
  member: Member;
  balance: number | undefined;
  open: boolean;
  onClose: () => void;
}

/**
 * 积分兑换: form → confirmation → the lots that paid. Mounted anew for every opening (the parent
 * keys it), so the idempotency key is drawn once per opening and a repeated click posts once.
 */
export function RedeemPointsModal({ member, balance, open, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const units = usePostingUnitField(form, member.home_business_unit_id);
  const unitName = useUnitName();
  const redeem = useRedeemPointsMutation();
  const { error, result, confirm } = useConfirmedCall<RedeemPointsResult>();
  const f = (key: string) => t(`points.redeem.${key}`);

  const next = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    confirm({
      title: f("confirmTitle"),
      content: t("points.redeem.confirmContent", {
        name: member.name,
        memberNo: member.member_no,
        points: formatCount(values.points),
        unit: unitName(values.business_unit_id),
      }),
      okText: f("confirmOk"),
      run: () =>
        redeem.mutateAsync({
          memberId: member.id,
          businessUnitId: values.business_unit_id,
          points: values.points,
          idempotencyKey,
          reason: values.reason,
        }),
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={redeem.isPending} onClick={() => void next()}>{f("submit")}</Button>,
      ];

  return (
    <Modal open={open} title={`${f("title")} · ${member.name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <RedeemPointsResultView result={result} />
      ) : (
        <Form form={form} layout="vertical">
          <RpcErrorAlert message={error} />
          {balance !== undefined && (
            <Typography.Paragraph type="secondary">{t("points.redeem.currentBalance", { balance: formatCount(balance) })}</Typography.Paragraph>
          )}
          <Form.Item name="business_unit_id" label={f("business_unit")} rules={[{ required: true, message: t("transactions.record.unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item
            name="points"
            label={f("points")}
            rules={[
              { required: true, message: f("pointsRequired") },
              { type: "number", min: 1, message: f("pointsRequired") },
              // the server refuses a shortfall anyway; say so before the confirmation, against the balance shown
              ...(balance !== undefined
                ? [{ type: "number" as const, max: balance, message: t("points.redeem.overBalance", { balance: formatCount(balance) }) }]
                : []),
            ]}
          >
            <InputNumber precision={0} step={1} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="reason" label={f("reason")}>
            <Input.TextArea maxLength={MAX_REASON_LENGTH} rows={2} placeholder={f("reasonPlaceholder")} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
