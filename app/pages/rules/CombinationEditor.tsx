import { useUpdate } from "@refinedev/core";
import { App, Button, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ruleKind } from "../../../core/rule-kinds/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import type { RuleSet } from "../../data/rules/types";
import { localizeRpcError } from "../../lib/rpc-errors";

/**
 * Changes a rule set's combination policy (administrators: rule_sets is admin-managed; the database allows only the
 * kind's policies), with the reason recorded in the audit log.
 */
export function CombinationEditor({ set }: { set: RuleSet }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [combination, setCombination] = useState(set.combination);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const { mutateAsync, mutation } = useUpdate();

  const save = async () => {
    setError(null);
    try {
      await mutateAsync({
        resource: "rule_sets", id: set.id, values: { combination }, meta: { auditReason: reason.trim() },
        successNotification: false, errorNotification: false,
      });
      message.success(t("rules.ruleSet.combinationSaved"));
      setOpen(false);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <>
      <Button size="small" type="link" onClick={() => { setCombination(set.combination); setReason(""); setError(null); setOpen(true); }}>
        {t("rules.ruleSet.changeCombination")}
      </Button>
      <Modal open={open} title={t("rules.ruleSet.changeCombination")} okText={t("buttons.save")} cancelText={t("buttons.cancel")}
        onOk={save} onCancel={() => setOpen(false)} confirmLoading={mutation.isPending}
        okButtonProps={{ disabled: !reason.trim() || combination === set.combination }} destroyOnHidden>
        <RpcErrorAlert message={error} />
        <Form layout="vertical">
          <Form.Item label={t("rules.combination.label")}>
            <Select aria-label={t("rules.combination.label")} value={combination} onChange={setCombination}
              options={ruleKind(set.kind).combinations.map((c) => ({ value: c, label: t(`rules.combination.${c}`) }))} />
          </Form.Item>
          <Form.Item label={t("rules.ruleSet.reason")} required>
            <Input.TextArea aria-label={t("rules.ruleSet.reason")} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
