import { Alert, Button, Card, Col, Input, Row, Space, Tabs, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ruleKind } from "../../../core/rule-kinds/index.ts";
import { ruleResult, traceRule } from "../../../core/rule-tests/index.ts";
import { useTierLadder } from "../../data/rules/queries";
import type { Rule, RuleKind } from "../../data/rules/types";
import { ConditionTrace } from "./ConditionTrace";
import { runBench, type LogicCheck } from "./logic";
import { MONO } from "./mono";
import { SampleInputForm } from "./SampleInputForm";
import { TestCases } from "./TestCases";
import { MemberPicker } from "./MemberPicker";
import { TransactionPicker } from "./TransactionPicker";

export { MONO };

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const sample = (kind: RuleKind) => pretty(ruleKind(kind).sample);
const asObject = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Runs the rule being edited on a sample input (the kind's data contract), live, in the browser, with the engine's
 * evaluator: the input typed in a form generated from the kind's context fields, as JSON, or filled from a recent
 * transaction; the result and which conditions held. With a rule, its saved test cases (which gate publishing).
 */
export function TestBench({ kind, check, rule, canEdit = false, beforeRun }: {
  kind: RuleKind;
  check: LogicCheck;
  rule?: Rule;
  canEdit?: boolean;
  beforeRun?: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [input, setInput] = useState(() => sample(kind));
  const [tab, setTab] = useState("form");
  /** The parts of this kind's data that a transaction gives (the rest of the sample stays). */
  const pickable = useMemo(() => (["transaction", "member"] as const).filter((part) => part in (ruleKind(kind).sample as object)), [kind]);
  /** Kinds whose rules run on a member without a transaction (tier, tagging, reminder) are filled from a real member. */
  const memberKind = pickable.length > 0 && !pickable.includes("transaction");
  const ladder = useTierLadder();
  const logic = check.state === "ok" ? check.logic : null;
  const outcome = useMemo(() => (logic !== null ? runBench(logic, input, ladder.data) : null), [logic, input, ladder.data]);
  const parsed = useMemo(() => asObject(input), [input]);
  const context = useMemo(() => (ladder.data?.length ? { tierLadder: ladder.data } : undefined), [ladder.data]);
  const trace = useMemo(() => (logic !== null && parsed ? traceRule(logic, parsed, { context }) : null), [logic, parsed, context]);
  const caseSample = useMemo(() => {
    if (logic === null || !parsed) return null;
    const result = ruleResult(kind, logic, parsed, ladder.data);
    return { input: parsed, expected: result.ok ? result.value : null };
  }, [kind, logic, parsed, ladder.data]);

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        size="small"
        title={t("rules.bench.title")}
        extra={
          <Space wrap>
            {memberKind && <MemberPicker kind={kind} onPick={(picked) => setInput(pretty({ ...(parsed ?? {}), ...picked }))} />}
            {pickable.length > 0 && !memberKind && (
              <TransactionPicker onPick={(picked) => setInput(pretty({
                ...(parsed ?? {}),
                ...Object.fromEntries(pickable.map((part) => [part, picked[part]])),
              }))} />
            )}
            <Button size="small" onClick={() => setInput(sample(kind))}>{t("rules.bench.reset")}</Button>
          </Space>
        }
      >
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Tabs
              size="small"
              activeKey={tab}
              onChange={setTab}
              items={[
                {
                  key: "form",
                  label: t("rules.bench.formTab"),
                  children: parsed ? (
                    <SampleInputForm kind={kind} value={parsed} onChange={(next) => setInput(pretty(next))} />
                  ) : (
                    <Alert type="warning" message={t("rules.cases.inputInvalid")} />
                  ),
                },
                {
                  key: "json",
                  label: t("rules.bench.jsonTab"),
                  children: (
                    <Input.TextArea
                      aria-label={t("rules.bench.input")}
                      value={input}
                      onChange={(e) => setInput(e.target.value)}
                      autoSize={{ minRows: 8, maxRows: 24 }}
                      spellCheck={false}
                      style={MONO}
                    />
                  ),
                },
              ]}
            />
          </Col>
          <Col xs={24} lg={12}>
            <Space direction="vertical" style={{ width: "100%" }}>
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
              {trace && (
                <>
                  <Typography.Text type="secondary">{t("rules.bench.trace")}</Typography.Text>
                  <ConditionTrace steps={trace} />
                </>
              )}
            </Space>
          </Col>
        </Row>
      </Card>
      {rule && (
        <TestCases
          rule={rule}
          logic={logic}
          tierLadder={ladder.data}
          sample={caseSample}
          canEdit={canEdit}
          beforeRun={beforeRun}
          onLoad={(value) => setInput(pretty(value))}
        />
      )}
    </Space>
  );
}
