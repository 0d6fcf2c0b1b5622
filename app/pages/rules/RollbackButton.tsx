import { App, Button, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useRollbackDraft } from "../../data/rules/test-cases";
import type { Rule } from "../../data/rules/types";
import { localizeRpcError } from "../../lib/rpc-errors";

/**
 * Rolls a rule back to an earlier published version: a new draft with that version's content (create_rule_rollback_draft,
 * the reason kept in the audit log), which then publishes the normal way (test cases, approval).
 */
export function RollbackButton({ from, onCreated }: { from: Rule; onCreated: (draft: Rule) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rollback = useRollbackDraft();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setError(null);
    try {
      const draft = await rollback.mutateAsync({ key: from.key, fromVersion: from.version, reason: reason.trim() });
      message.success(t("rules.rollback.created", { from: from.version, version: draft.version }));
      setOpen(false);
      onCreated(draft);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <>
      <Button size="small" onClick={(e) => { e.stopPropagation(); setReason(""); setError(null); setOpen(true); }}>
        {t("rules.rollback.button")}
      </Button>
      <Modal open={open} title={t("rules.rollback.title", { version: from.version })} okText={t("rules.rollback.button")}
        cancelText={t("buttons.cancel")} onOk={run} onCancel={() => setOpen(false)} confirmLoading={rollback.isPending}
        okButtonProps={{ disabled: !reason.trim() }} destroyOnHidden>
        <p>{t("rules.rollback.content", { version: from.version })}</p>
        <RpcErrorAlert message={error} />
        <Form layout="vertical">
          <Form.Item label={t("rules.rollback.reason")} required>
            <Input.TextArea aria-label={t("rules.rollback.reason")} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
