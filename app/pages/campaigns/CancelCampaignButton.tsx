import { useCan } from "@refinedev/core";
import { App as AntApp, Button, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CAMPAIGN_LIMITS, type CampaignStatus } from "../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useCancelCampaign, type Campaign } from "../../data/campaigns";
import { localizeRpcError } from "../../lib/rpc-errors";

/** Statuses cancel_campaign accepts (a pending one is withdrawn in the approval centre first). */
const CANCELLABLE: readonly CampaignStatus[] = ["draft", "rejected", "approved", "running"];

/** 取消活动: drafters and directors cancel a campaign not yet ended, giving a reason (cancel_campaign). */
export function CancelCampaignButton({ campaign, onCancelled }: { campaign: Campaign; onCancelled?: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { data: canEdit } = useCan({ resource: "campaigns", action: "delete" });
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const cancel = useCancelCampaign();
  if (!canEdit?.can || !CANCELLABLE.includes(campaign.status)) return null;

  const ok = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      await cancel.mutateAsync({ id: campaign.id, reason: values.reason.trim() });
      message.success(t("campaigns.cancel.done"));
      setOpen(false);
      onCancelled?.();
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <>
      <Button danger onClick={() => setOpen(true)}>{t("campaigns.cancel.button")}</Button>
      <Modal open={open} title={t("campaigns.cancel.title", { name: campaign.name })} onCancel={() => setOpen(false)} onOk={() => void ok()}
        okText={t("campaigns.cancel.ok")} okButtonProps={{ danger: true }} cancelText={t("buttons.cancel")} confirmLoading={cancel.isPending} destroyOnHidden>
        <RpcErrorAlert message={error} />
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t("campaigns.cancel.reason")}
            rules={[{ required: true, whitespace: true, message: t("campaigns.cancel.reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={CAMPAIGN_LIMITS.max_reason_length} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
