import { Button, Form, Input, Modal, Result, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { BENEFIT_LIMITS } from "../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useRevokeBenefitGrant } from "../../data/benefits/mutations";
import type { BenefitGrant } from "../../data/benefits/types";
import type { Member } from "../../lib/types";

/** 撤销权益: the grant's remaining uses are withdrawn for good, with a reason kept beside it and a notice to the member. */
export function RevokeGrantModal({ grant, name, member, onClose }: { grant: BenefitGrant; name: string; member: Member; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const revoke = useRevokeBenefitGrant();
  const { error, result, confirm } = useConfirmedCall<string>();
  const r = (key: string, values?: Record<string, unknown>) => t(`benefitsUi.revoke.${key}`, values);

  const next = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    confirm({
      title: r("confirmTitle"),
      content: r("confirmContent", { member: `${member.name}（${member.member_no}）`, benefit: name, left: grant.uses_left }),
      okText: r("ok"),
      danger: true,
      run: async () => {
        await revoke.mutateAsync({ grantId: grant.id, reason: v.reason });
        return r("done", { benefit: name });
      },
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" danger type="primary" loading={revoke.isPending} onClick={() => void next()}>{r("submit")}</Button>,
      ];

  return (
    <Modal open title={`${r("title")} · ${name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={result} />
      ) : (
        <Form form={form} layout="vertical">
          <Typography.Paragraph type="secondary">{r("explain", { left: grant.uses_left })}</Typography.Paragraph>
          <RpcErrorAlert message={error} />
          <Form.Item name="reason" label={r("reason")} rules={[{ required: true, whitespace: true, message: r("reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={BENEFIT_LIMITS.reason_max_length} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
