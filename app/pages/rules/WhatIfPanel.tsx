import { Alert, Button, Card, InputNumber, Progress, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { localizeRpcError } from "../../lib/rpc-errors";
import { formatCount, formatDateTime } from "../../lib/format";
import { useRequestWhatIf, useWhatIfRun } from "../../data/rules/queries";
import type { WhatIfCell, WhatIfResult } from "../../data/rules/types";

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : formatCount(n));

/** The engine's result (engine/what-if.ts WhatIfResult): per business unit and tier, issued vs simulated, liability change. */
function WhatIfReport({ result }: { result: WhatIfResult }) {
  const { t } = useTranslation();
  const totalRow: WhatIfCell = { business_unit: t("rules.whatIf.total"), tier: "", ...result.totals };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("rules.whatIf.asOf", { time: formatDateTime(result.as_of), count: result.transactions })}</Typography.Text>
      <Table<WhatIfCell>
        size="small"
        data-testid="what-if-result"
        rowKey={(r) => `${r.business_unit}|${r.tier}`}
        dataSource={result.by_unit_tier}
        pagination={false}
        scroll={{ x: true }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <Typography.Text strong>{totalRow.business_unit}</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">{formatCount(totalRow.transactions)}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">{formatCount(totalRow.issued)}</Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">{formatCount(totalRow.simulated)}</Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">{signed(totalRow.delta)}</Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="right">{formatCount(totalRow.issued_outstanding)}</Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">{formatCount(totalRow.simulated_outstanding)}</Table.Summary.Cell>
            <Table.Summary.Cell index={8} align="right">{signed(totalRow.liability_delta)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      >
        <Table.Column<WhatIfCell> dataIndex="business_unit" title={t("rules.whatIf.businessUnit")} />
        <Table.Column<WhatIfCell> dataIndex="tier" title={t("rules.whatIf.tier")} />
        <Table.Column<WhatIfCell> dataIndex="transactions" title={t("rules.whatIf.transactions")} align="right" render={formatCount} />
        <Table.Column<WhatIfCell> dataIndex="issued" title={t("rules.whatIf.issued")} align="right" render={formatCount} />
        <Table.Column<WhatIfCell> dataIndex="simulated" title={t("rules.whatIf.simulated")} align="right" render={formatCount} />
        <Table.Column<WhatIfCell> dataIndex="delta" title={t("rules.whatIf.delta")} align="right" render={signed} />
        <Table.Column<WhatIfCell> dataIndex="issued_outstanding" title={t("rules.whatIf.issuedOutstanding")} align="right" render={formatCount} />
        <Table.Column<WhatIfCell> dataIndex="simulated_outstanding" title={t("rules.whatIf.simulatedOutstanding")} align="right" render={formatCount} />
        <Table.Column<WhatIfCell> dataIndex="liability_delta" title={t("rules.whatIf.liabilityDelta")} align="right" render={signed} />
      </Table>
      {result.errors.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t("rules.whatIf.problems")}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {result.errors.map((e, i) => (
                <li key={i}>{`${t("rules.errors.item", { key: e.rule_key, version: e.rule_version, stage: e.stage, message: e.message.slice(0, 200) })} ×${e.count}`}</li>
              ))}
            </ul>
          }
        />
      )}
      {result.rules?.length > 0 && (
        <Typography.Text type="secondary">
          {`${t("rules.whatIf.rules")}: `}
          {result.rules.map((r) => (
            <Tag key={r.key} color={r.source === "draft" ? "gold" : undefined}>{`${r.key} v${r.version}`}</Tag>
          ))}
        </Typography.Text>
      )}
    </Space>
  );
}

/**
 * What-if for one rule key: inserts a what_if_runs row (rule_keys = [key], days), the engine replaces the
 * key's published version by its newest draft; the row is polled every second until done.
 * `beforeRun` saves unsaved edits first (the engine reads the draft from the database).
 */
export function WhatIfPanel({ ruleKey, beforeRun, disabled }: { ruleKey: string; beforeRun: () => Promise<void>; disabled: boolean }) {
  const { t } = useTranslation();
  const [days, setDays] = useState(30);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRequestWhatIf();
  const run = useWhatIfRun(runId);
  const row = run.data;
  const percent = row ? Math.round(Number(row.progress) * 100) : 0;
  const busy = request.isPending || (!!row && (row.status === "queued" || row.status === "running")) || (!!runId && !row);

  const start = async () => {
    setError(null);
    try {
      await beforeRun();
      const created = await request.mutateAsync({ ruleKeys: [ruleKey], days });
      setRunId(created.id);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Card size="small" title={t("rules.whatIf.title")} data-testid="what-if">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{t("rules.whatIf.help", { days })}</Typography.Text>
        <Space>
          <span>{t("rules.whatIf.days")}</span>
          <InputNumber aria-label={t("rules.whatIf.days")} min={1} max={3660} precision={0} value={days} onChange={(v) => setDays(v ?? 30)} />
          <Button type="primary" onClick={start} loading={busy} disabled={disabled}>
            {t("rules.whatIf.run")}
          </Button>
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        {row && (
          <>
            <Space>
              <Tag color={row.status === "done" ? "green" : row.status === "failed" ? "red" : "blue"}>{t(`rules.whatIf.status.${row.status}`)}</Tag>
            </Space>
            <Progress percent={percent} status={row.status === "failed" ? "exception" : row.status === "done" ? "success" : "active"} />
            {row.status === "failed" && <Alert type="error" showIcon message={row.error} />}
            {row.status === "done" && row.result && <WhatIfReport result={row.result} />}
          </>
        )}
      </Space>
    </Card>
  );
}
