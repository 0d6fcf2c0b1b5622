import { Alert, Button, Form, Input, Modal, Result } from "antd";
import { useTranslation } from "react-i18next";
import { MAX_REASON_LENGTH } from "../../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { useAnonymiseMember, type AnonymiseResult } from "../../../data/members/privacy-mutations";
import type { Member } from "../../../lib/types";

/** 匿名化: on the member's request, with the reason; asks once more, since it cannot be undone. */
export function AnonymiseModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const anonymise = useAnonymiseMember();
  const { error, result, confirm } = useConfirmedCall<AnonymiseResult>();

  const submit = ({ reason }: { reason: string }) =>
    confirm({
      title: t("privacy.confirmTitle"),
      content: t("privacy.confirmContent", { name: member.name, no: member.member_no }),
      okText: t("privacy.anonymise"),
      danger: true,
      run: () => anonymise.mutateAsync({ memberId: member.id, reason: reason.trim() }),
    });

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="submit" type="primary" danger onClick={() => form.submit()}>{t("privacy.anonymise")}</Button>,
      ];

  return (
    <Modal open={open} title={t("privacy.anonymiseTitle")} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={t("privacy.anonymised")} />
      ) : (
        <>
          <RpcErrorAlert message={error} />
          <Alert type="warning" showIcon message={t("privacy.anonymiseEffect")} style={{ marginBottom: 16 }} />
          <Form<{ reason: string }> form={form} layout="vertical" onFinish={submit} requiredMark>
            <Form.Item
              name="reason"
              label={t("privacy.reason")}
              rules={[{ required: true, whitespace: true, message: t("privacy.reasonRequired") }, { max: MAX_REASON_LENGTH }]}
            >
              <Input.TextArea rows={3} maxLength={MAX_REASON_LENGTH} showCount placeholder={t("privacy.reasonPlaceholder")} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
