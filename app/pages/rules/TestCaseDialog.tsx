import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useSaveTestCase } from "../../data/rules/test-cases";
import { localizeRpcError } from "../../lib/rpc-errors";
import { MONO } from "./mono";

export interface CaseDraft {
  id?: string;
  name: string;
  input: unknown;
  expected: unknown;
}

const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** Adds or edits one saved test case: its name, input (JSON object) and expected result (JSON). Mounted while open. */
export function TestCaseDialog({ ruleKey, draft, onClose }: { ruleKey: string; draft: CaseDraft; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const save = useSaveTestCase();
  const [name, setName] = useState(draft.name);
  const [input, setInput] = useState(() => JSON.stringify(draft.input ?? {}, null, 2));
  const [expected, setExpected] = useState(() => JSON.stringify(draft.expected ?? null));
  const [error, setError] = useState<string | null>(null);
  const parsedInput = parse(input);
  const parsedExpected = parse(expected);
  const inputOk = parsedInput.ok && !!parsedInput.value && typeof parsedInput.value === "object" && !Array.isArray(parsedInput.value);

  const onOk = async () => {
    if (!name.trim() || !inputOk || !parsedExpected.ok) return;
    setError(null);
    try {
      await save.mutateAsync({ id: draft.id, rule_key: ruleKey, name: name.trim(), input: parsedInput.value, expected: parsedExpected.value });
      onClose(true);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Modal
      open
      title={t("rules.cases.dialogTitle")}
      okText={t("buttons.save")}
      cancelText={t("buttons.cancel")}
      onOk={onOk}
      onCancel={() => onClose(false)}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: !name.trim() || !inputOk || !parsedExpected.ok }}
      destroyOnHidden
    >
      <RpcErrorAlert message={error} />
      <Form layout="vertical">
        <Form.Item label={t("rules.cases.name")} required validateStatus={name.trim() ? undefined : "error"} help={name.trim() ? undefined : t("rules.cases.nameRequired")}>
          <Input aria-label={t("rules.cases.name")} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t("rules.cases.expected")} extra={t("rules.cases.expectedHint")} validateStatus={parsedExpected.ok ? undefined : "error"}
          help={parsedExpected.ok ? undefined : t("rules.cases.expectedInvalid")}>
          <Input aria-label={t("rules.cases.expected")} value={expected} onChange={(e) => setExpected(e.target.value)} style={MONO} />
        </Form.Item>
        <Form.Item label={t("rules.bench.input")} validateStatus={inputOk ? undefined : "error"}
          help={inputOk ? undefined : t("rules.cases.inputInvalid")}>
          <Input.TextArea aria-label={t("rules.bench.input")} value={input} onChange={(e) => setInput(e.target.value)} autoSize={{ minRows: 6, maxRows: 16 }} spellCheck={false} style={MONO} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
