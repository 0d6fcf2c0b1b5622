import { App, Button, Form, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AUDIT_REASON_FIELD, AuditReasonField } from "../../components/AuditReasonField";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useRpcMutation } from "../../data/use-rpc";
import { localizeRpcError } from "../../lib/rpc-errors";

/** Reopens a confirmed month (administrators, with a reason for the audit log): postings may be dated in it again. */
export function ReopenPeriodButton({ month }: { month: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ [AUDIT_REASON_FIELD]: string }>();
  const reopen = useRpcMutation<{ month: string; reason: string }, unknown>("reopen_expired_period", {
    args: ({ month: m, reason }) => ({ p_month: m, p_reason: reason }),
    invalidates: ["finance_closed_periods"],
    invalidatesQueries: [["report", "report_expired_points"]],
  });
  const label = month.slice(0, 7);

  const submit = async () => {
    // The form shows its own messages when the reason is missing.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      await reopen.mutateAsync({ month, reason: values[AUDIT_REASON_FIELD].trim() });
      void message.success(t("reports.expired.reopened", { month: label }));
      setOpen(false);
      form.resetFields();
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <>
      <Button size="small" type="link" onClick={() => setOpen(true)}>
        {t("reports.expired.reopen")}
      </Button>
      <Modal
        open={open}
        title={t("reports.expired.reopenTitle", { month: label })}
        okText={t("reports.expired.reopen")}
        cancelText={t("dashboards.actions.cancel")}
        confirmLoading={reopen.isPending}
        onOk={submit}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p>{t("reports.expired.reopenText", { month: label })}</p>
        <RpcErrorAlert message={error} />
        <Form form={form} layout="vertical" preserve={false}>
          <AuditReasonField />
        </Form>
      </Modal>
    </>
  );
}
