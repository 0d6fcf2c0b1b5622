import { App, Card, Form, Input, List, Modal, Switch, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PUBLISH_APPROVAL_KINDS, type PublishApprovalKind } from "../../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { usePublishSettings, useSetPublishApproval } from "../../../data/definitions/publish-approval";
import { localizeRpcError } from "../../../lib/rpc-errors";

/** 发布审批设置: per kind (rules, approval flows), whether an admin's publish waits for a director or another admin. */
export function PublishApprovalSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { needsApproval, data } = usePublishSettings();
  const change = useSetPublishApproval();
  const [asking, setAsking] = useState<{ kind: PublishApprovalKind; on: boolean } | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (!asking || !reason.trim()) return;
    setError(null);
    try {
      await change.mutateAsync({ ...asking, reason: reason.trim() });
      message.success(t(asking.on ? "approvals.publishSettings.turnedOn" : "approvals.publishSettings.turnedOff"));
      setAsking(null);
      setReason("");
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Card size="small" title={t("approvals.publishSettings.title")}>
      <Typography.Paragraph type="secondary">{t("approvals.publishSettings.help")}</Typography.Paragraph>
      <List
        dataSource={[...PUBLISH_APPROVAL_KINDS]}
        loading={!data}
        renderItem={(kind) => (
          <List.Item
            actions={[
              <Switch
                key="switch"
                aria-label={t("approvals.publishSettings.switch", { kind: t(`approvals.publishKinds.${kind}`) })}
                checked={needsApproval(kind)}
                onChange={(on) => setAsking({ kind, on })}
              />,
            ]}
          >
            <List.Item.Meta
              title={t(`approvals.publishKinds.${kind}`)}
              description={t(needsApproval(kind) ? "approvals.publishSettings.onText" : "approvals.publishSettings.offText")}
            />
          </List.Item>
        )}
      />
      <Modal
        open={!!asking}
        title={asking ? t(asking.on ? "approvals.publishSettings.confirmOn" : "approvals.publishSettings.confirmOff", { kind: t(`approvals.publishKinds.${asking.kind}`) }) : ""}
        okText={t("common.confirm")}
        cancelText={t("buttons.cancel")}
        okButtonProps={{ disabled: !reason.trim(), loading: change.isPending }}
        onOk={submit}
        onCancel={() => setAsking(null)}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t("audit_log.reasonField")} required>
            <Input aria-label={t("audit_log.reasonField")} value={reason} maxLength={500} placeholder={t("audit_log.reasonPlaceholder")} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        </Form>
        <RpcErrorAlert message={error} />
      </Modal>
    </Card>
  );
}
