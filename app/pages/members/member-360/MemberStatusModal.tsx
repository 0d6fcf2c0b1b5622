import { Alert, Button, Form, Input, Modal, Radio, Result } from "antd";
import { useTranslation } from "react-i18next";
import { MAX_REASON_LENGTH, MEMBER_STATUSES, memberStatusLabel, type MemberStatus } from "../../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { useSetMemberStatusMutation } from "../../../data/members/set-member-status-mutation";
import type { Member } from "../../../lib/types";

interface StatusForm {
  status: MemberStatus;
  reason: string;
}

/** 变更会员状态: freeze, unfreeze or cancel (cancelling asks once more: it is final), with a reason for the audit trail. */
export function MemberStatusModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<StatusForm>();
  const setStatus = useSetMemberStatusMutation();
  const { error, result, confirm } = useConfirmedCall<MemberStatus>();
  const targets = MEMBER_STATUSES.filter((status) => status !== member.status);
  const chosen = Form.useWatch("status", form);

  const submit = ({ status, reason }: StatusForm) =>
    confirm({
      title: t("members.statusChange.confirmTitle", { status: t(memberStatusLabel(status)) }),
      content: t(status === "cancelled" ? "members.statusChange.confirmCancel" : "members.statusChange.confirmContent", {
        name: member.name, status: t(memberStatusLabel(status)),
      }),
      okText: t("members.statusChange.confirm"),
      danger: status !== "active",
      run: () => setStatus.mutateAsync({ memberId: member.id, status, reason: reason.trim() }),
    });

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="submit" type="primary" danger={chosen !== "active"} onClick={() => form.submit()}>{t("members.statusChange.confirm")}</Button>,
      ];

  return (
    <Modal open={open} title={t("members.statusChange.title")} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result status="success" title={t("members.statusChange.success", { status: t(memberStatusLabel(result)) })} />
      ) : (
        <>
          <RpcErrorAlert message={error} />
          <Form<StatusForm> form={form} layout="vertical" onFinish={submit} requiredMark>
            <Form.Item name="status" label={t("members.statusChange.target")} rules={[{ required: true, message: t("members.statusChange.targetRequired") }]}>
              <Radio.Group options={targets.map((status) => ({ value: status, label: t(memberStatusLabel(status)) }))} />
            </Form.Item>
            {chosen === "cancelled" && <Alert type="warning" showIcon message={t("members.statusChange.cancelFinal")} style={{ marginBottom: 16 }} />}
            {chosen === "frozen" && <Alert type="info" showIcon message={t("members.statusChange.freezeEffect")} style={{ marginBottom: 16 }} />}
            <Form.Item
              name="reason"
              label={t("members.statusChange.reason")}
              rules={[{ required: true, whitespace: true, message: t("members.statusChange.reasonRequired") }, { max: MAX_REASON_LENGTH }]}
            >
              <Input.TextArea rows={3} maxLength={MAX_REASON_LENGTH} showCount placeholder={t("members.statusChange.reasonPlaceholder")} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
