import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { runCase, type CaseOutcome } from "../../../core/rule-tests/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useDeleteTestCase, useLatestVerdict, type RuleTestCaseRow } from "../../data/rules/test-cases";
import type { Rule } from "../../data/rules/types";
import { formatDateTime } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import { MONO } from "./mono";
import { TestCaseDialog, type CaseDraft } from "./TestCaseDialog";
import { useTestGate } from "./useTestGate";

const json = (value: unknown) => JSON.stringify(value ?? null);

function Outcome({ outcome }: { outcome: CaseOutcome | undefined }) {
  const { t } = useTranslation();
  if (!outcome) return <Typography.Text type="secondary">—</Typography.Text>;
  const tag = <Tag color={outcome.passed ? "green" : "red"}>{t(outcome.passed ? "rules.cases.pass" : "rules.cases.fail")}</Tag>;
  return (
    <Space size={4}>
      {tag}
      {outcome.error ? (
        <Tooltip title={outcome.error.slice(0, 300)}><Typography.Text type="danger">{t("rules.cases.error")}</Typography.Text></Tooltip>
      ) : (
        <Typography.Text style={MONO} translate="no">{json(outcome.actual)}</Typography.Text>
      )}
    </Space>
  );
}

interface Props {
  rule: Rule;
  /** The logic being edited (null while it is invalid): every case runs on it live in the browser. */
  logic: unknown;
  tierLadder: readonly string[] | undefined;
  /** The bench's current sample and its result, for "save as a test case". */
  sample: { input: unknown; expected: unknown } | null;
  canEdit: boolean;
  /** Saves the editor's changes first (the engine verifies the saved draft). */
  beforeRun?: () => Promise<void>;
  onLoad: (input: unknown) => void;
}

/** The rule key's saved test cases: live pass/fail on the edited logic, and the rules engine's verdict on the draft. */
export function TestCases({ rule, logic, tierLadder, sample, canEdit, beforeRun, onLoad }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const gate = useTestGate(rule);
  const verdict = useLatestVerdict(rule.id, null);
  const remove = useDeleteTestCase();
  const [draft, setDraft] = useState<CaseDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const rows = useMemo(() => gate.cases ?? [], [gate.cases]);
  const live = useMemo(
    () => new Map(logic === null ? [] : rows.map((c) => [c.id, runCase(rule.kind, logic, c, tierLadder)])),
    [logic, rows, rule.kind, tierLadder],
  );
  const engine = verdict.data;
  const engineById = new Map((engine?.details ?? []).map((d) => [d.id, d]));
  const isDraft = rule.status === "draft";
  /** The verdict no longer describes the draft and its cases (the database compares exact digests; this is the page's view). */
  const checkedAt = engine ? Date.parse(engine.checked_at) : 0;
  const stale = !!engine && (Date.parse(rule.updated_at) > checkedAt || rows.length !== engine.case_count ||
    rows.some((c) => !engineById.has(c.id) || Date.parse(c.updated_at) > checkedAt));

  const run = async () => {
    setError(null);
    setRunning(true);
    try {
      await beforeRun?.();
      await gate.verify();
      await verdict.refetch();
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card
      size="small"
      title={t("rules.cases.title")}
      data-testid="rule-test-cases"
      extra={
        <Space>
          {canEdit && (
            <Button size="small" disabled={!sample} onClick={() => sample && setDraft({ name: "", input: sample.input, expected: sample.expected })}>
              {t("rules.cases.add")}
            </Button>
          )}
          {canEdit && isDraft && (
            <Button size="small" type="primary" ghost onClick={run} loading={running} disabled={!rows.length}>
              {t("rules.cases.runEngine")}
            </Button>
          )}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <RpcErrorAlert message={error} />
        {running ? (
          <Alert type="info" showIcon message={t("rules.cases.running")} />
        ) : engine && isDraft && rows.length > 0 && stale ? (
          <Alert data-testid="rule-test-verdict" type="warning" showIcon message={t("rules.cases.stale")} />
        ) : engine && isDraft && rows.length > 0 ? (
          <Alert
            data-testid="rule-test-verdict"
            type={engine.passed ? "success" : "error"}
            showIcon
            message={t(engine.passed ? "rules.cases.verdictPassed" : "rules.cases.verdictFailed", {
              count: engine.case_count, failed: engine.details.filter((d) => !d.passed).length, time: formatDateTime(engine.checked_at),
            })}
          />
        ) : null}
        {rows.length > 0 && isDraft && <Typography.Text type="secondary">{t("rules.cases.gateNote")}</Typography.Text>}
        <Table<RuleTestCaseRow>
          size="small"
          rowKey="id"
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t("rules.cases.empty") }}
        >
          <Table.Column<RuleTestCaseRow> dataIndex="name" title={t("rules.cases.name")} />
          <Table.Column<RuleTestCaseRow> title={t("rules.cases.expected")} render={(_, c) => <Typography.Text style={MONO} translate="no">{json(c.expected)}</Typography.Text>} />
          <Table.Column<RuleTestCaseRow> title={t("rules.cases.live")} render={(_, c) => <Outcome outcome={live.get(c.id)} />} />
          {isDraft && (
            <Table.Column<RuleTestCaseRow> title={t("rules.cases.engineResult")} render={(_, c) => <Outcome outcome={stale ? undefined : engineById.get(c.id)} />} />
          )}
          <Table.Column<RuleTestCaseRow>
            title=""
            render={(_, c) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => onLoad(c.input)}>{t("rules.cases.load")}</Button>
                {canEdit && <Button size="small" type="link" onClick={() => setDraft(c)}>{t("rules.cases.edit")}</Button>}
                {canEdit && (
                  <Popconfirm
                    title={t("rules.cases.deleteConfirm", { name: c.name })}
                    okText={t("rules.cases.delete")}
                    cancelText={t("buttons.cancel")}
                    onConfirm={async () => {
                      await remove.mutateAsync(c.id);
                      message.success(t("rules.cases.deleted"));
                    }}
                  >
                    <Button size="small" type="link" danger>{t("rules.cases.delete")}</Button>
                  </Popconfirm>
                )}
              </Space>
            )}
          />
        </Table>
      </Space>
      {draft && (
        <TestCaseDialog
          key={draft.id ?? "new"}
          ruleKey={rule.key}
          draft={draft}
          onClose={(saved) => {
            setDraft(null);
            if (saved) message.success(t("rules.cases.saved"));
          }}
        />
      )}
    </Card>
  );
}
