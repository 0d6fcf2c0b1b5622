import { Alert, Button, Card, InputNumber, Progress, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { useRequestWhatIf, useWhatIfRun } from "../../data/rules/queries";
import type { WhatIfCell, WhatIfResult } from "../../data/rules/types";
import { formatCount, formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit, Tier } from "../../lib/types";

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : formatCount(n));
const NUMBER_CELL = { align: "right" as const, className: "numeric-cell", onCell: () => ({ style: { whiteSpace: "nowrap" as const } }) };

/** The figures of a cell (or the totals), in report order: what the columns and the summary row show. */
const FIGURES: { key: keyof Omit<WhatIfCell, "business_unit" | "tier">; label: string; format: (n: number) => string }[] = [
  { key: "transactions", label: "transactions", format: formatCount },
  { key: "baseline", label: "baseline", format: formatCount },
  { key: "simulated", label: "simulated", format: formatCount },
  { key: "delta", label: "delta", format: signed },
  { key: "liability_delta", label: "liabilityDelta", format: signed },
  { key: "baseline_growth", label: "baselineGrowth", format: formatCount },
  { key: "simulated_growth", label: "simulatedGrowth", format: formatCount },
  { key: "growth_delta", label: "growthDelta", format: signed },
  { key: "issued", label: "issued", format: formatCount },
];

/**
 * The engine's result (engine/what-if.ts WhatIfResult): per business unit and tier, the points of the rules in force
 * without and with the draft, their difference and the change in outstanding liability; the points actually issued
 * at the time are shown last, for reference.
 */
function WhatIfReport({ result }: { result: WhatIfResult }) {
  const { t, i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units", "code");
  const tiers = useLookup<Tier>("tiers", "code");
  const unitName = (code: string) => (units.map.has(code) ? localizedName(units.map.get(code), i18n.language) : t("rules.whatIf.unknownUnit"));
  const tierName = (code: string) => (tiers.map.has(code) ? localizedName(tiers.map.get(code), i18n.language) : t("rules.whatIf.unknownTier"));
  const columns: ColumnsType<WhatIfCell> = [
    { key: "unit", title: t("rules.whatIf.businessUnit"), render: (_, r) => unitName(r.business_unit), onCell: () => ({ style: { whiteSpace: "nowrap" } }) },
    { key: "tier", title: t("rules.whatIf.tier"), render: (_, r) => tierName(r.tier), onCell: () => ({ style: { whiteSpace: "nowrap" } }) },
    ...FIGURES.map(({ key, label, format }) => ({
      key,
      dataIndex: key,
      title: key === "issued" ? <Tooltip title={t("rules.whatIf.issuedHelp")}>{t(`rules.whatIf.${label}`)}</Tooltip> : t(`rules.whatIf.${label}`),
      render: (n: number) => (key === "issued" ? <Typography.Text type="secondary">{format(n)}</Typography.Text> : format(n)),
      ...NUMBER_CELL,
    })),
  ];
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("rules.whatIf.asOf", { time: formatDateTime(result.as_of), count: formatCount(result.transactions) })}</Typography.Text>
      <Table<WhatIfCell>
        size="small"
        data-testid="what-if-result"
        rowKey={(r) => `${r.business_unit}|${r.tier}`}
        dataSource={result.by_unit_tier}
        columns={columns}
        pagination={false}
        scroll={{ x: "max-content" }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <Typography.Text strong>{t("rules.whatIf.total")}</Typography.Text>
            </Table.Summary.Cell>
            {FIGURES.map(({ key, format }, i) => (
              <Table.Summary.Cell key={key} index={i + 2} align="right">
                <span style={{ whiteSpace: "nowrap" }}>{format(result.totals[key])}</span>
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
      {result.tier_changes && (
        <div data-testid="what-if-tier-changes">
          <Typography.Text strong>{t("rules.whatIf.tierChanges")}</Typography.Text>
          {result.tier_changes.length === 0 ? (
            <div><Typography.Text type="secondary">{t("rules.whatIf.noTierChanges")}</Typography.Text></div>
          ) : (
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {result.tier_changes.map((c) => (
                <li key={`${c.from}>${c.to}`}>{t("rules.whatIf.tierChange", { from: tierName(c.from), to: tierName(c.to), count: formatCount(c.members) })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {result.errors.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t("rules.whatIf.problems")}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {result.errors.map((e, i) => (
                <li key={i}>
                  {/* the engine's own text helps an administrator diagnose: on hover, not as UI text */}
                  <Tooltip title={e.message.slice(0, 500)}>
                    {t("rules.whatIf.problem", { key: e.rule_key, version: e.rule_version, stage: t(`rules.stages.${e.stage}`), count: formatCount(e.count) })}
                  </Tooltip>
                </li>
              ))}
            </ul>
          }
        />
      )}
      {result.rules?.length > 0 && (
        <Typography.Text type="secondary">
          {`${t("rules.whatIf.rules")}: `}
          {result.rules.map((r) => (
            <Tag key={r.key} color={r.source === "draft" ? "gold" : undefined}>
              {r.source === "draft" ? t("rules.whatIf.draftVersion", { key: r.key, version: r.version }) : `${r.key} v${r.version}`}
            </Tag>
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
            {row.status === "failed" && (
              <Tooltip title={row.error}>
                <Alert type="error" showIcon message={t("rules.whatIf.failed")} />
              </Tooltip>
            )}
            {row.status === "done" && row.result && <WhatIfReport result={row.result} />}
          </>
        )}
      </Space>
    </Card>
  );
}
