import { Alert, Button, Card, Input, Space, Typography } from "antd";
import { useMemo, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { ruleKind } from "../../../core/rule-kinds/index.ts";
import { useTierLadder } from "../../data/rules/queries";
import type { RuleKind } from "../../data/rules/types";
import { runBench, type LogicCheck } from "./logic";

export const MONO: CSSProperties = { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 12 };

const sample = (kind: RuleKind) => JSON.stringify(ruleKind(kind).sample, null, 2);

/** Runs the rule being edited on a sample input (the kind's data contract), live, in the browser. */
export function TestBench({ kind, check }: { kind: RuleKind; check: LogicCheck }) {
  const { t } = useTranslation();
  const [input, setInput] = useState(() => sample(kind));
  const ladder = useTierLadder();
  const outcome = useMemo(() => (check.state === "ok" ? runBench(check.logic, input, ladder.data) : null), [check, input, ladder.data]);

  return (
    <Card size="small" title={t("rules.bench.title")} extra={<Button size="small" onClick={() => setInput(sample(kind))}>{t("rules.bench.reset")}</Button>}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{t("rules.bench.input")}</Typography.Text>
        <Input.TextArea
          aria-label={t("rules.bench.input")}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          autoSize={{ minRows: 8, maxRows: 20 }}
          spellCheck={false}
          style={MONO}
        />
        <Typography.Text type="secondary">{t("rules.bench.result")}</Typography.Text>
        <div role="status" aria-label={t("rules.bench.result")} data-testid="bench-result">
          {!outcome ? (
            <Alert type="info" message={t("rules.editor.fixFirst")} />
          ) : outcome.state === "input" ? (
            <Alert type="error" message={t("rules.bench.invalidInput", { line: outcome.line, column: outcome.column })} />
          ) : outcome.state === "error" ? (
            <Alert type="error" message={t(outcome.argument ? "rules.bench.failedArgument" : "rules.bench.failed", { op: outcome.op, argument: outcome.argument })} />
          ) : (
            <pre style={{ ...MONO, margin: 0, padding: 8, background: "rgba(0,0,0,0.04)" }}>{JSON.stringify(outcome.value ?? null, null, 2)}</pre>
          )}
        </div>
      </Space>
    </Card>
  );
}
