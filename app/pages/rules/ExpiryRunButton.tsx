import { useCan } from "@refinedev/core";
import { Button, Space, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { useLatestExpiryRun, useRequestExpiryRun } from "../../data/rules/queries";
import type { EngineRun, ExpiryRunResult } from "../../data/rules/types";
import { formatCount, formatDateTime } from "../../lib/format";

/** What a finished expiry run did: lots and points expired. */
function ExpiryCounts({ run }: { run: EngineRun }) {
  const { t } = useTranslation();
  const result = run.result as ExpiryRunResult | null;
  if (!run.ok || !result || typeof result.points !== "number") return null;
  if (result.expired === 0) return <>{t("rules.expiry.nothingDue")}</>;
  return <>{t("rules.expiry.counts", { lots: formatCount(result.expired), points: formatCount(result.points) })}</>;
}

/** 立即执行积分过期, for those who run the engine's operations (rule_operations: administrators). */
export function ExpiryRunButton() {
  const { data: can } = useCan({ resource: "rule_operations", action: "edit" });
  return can?.can ? <ExpiryRun /> : null;
}

/** request_expiry_run(), then the latest engine_runs row of job expire_lots. */
function ExpiryRun() {
  const { t } = useTranslation();
  const [requested, setRequested] = useState<number | null>(null);
  const latest = useLatestExpiryRun(requested);
  const request = useRequestExpiryRun();
  const { error, result, confirm } = useConfirmedCall<{ job_id: number }>();
  const run = latest.data;

  return (
    <Space direction="vertical" size={4} style={{ alignItems: "flex-end" }}>
      <Button
        danger
        onClick={() =>
          confirm({
            title: t("rules.expiry.confirmTitle"),
            content: t("rules.expiry.confirmContent"),
            okText: t("rules.expiry.run"),
            danger: true,
            run: async () => {
              const answer = await request.mutateAsync();
              setRequested(Date.now());
              return answer;
            },
          })
        }
      >
        {t("rules.expiry.run")}
      </Button>
      <RpcErrorAlert message={error} />
      {result && <Typography.Text type="secondary">{t("rules.expiry.queued", { job: result.job_id })}</Typography.Text>}
      <Typography.Text type="secondary" data-testid="expiry-latest">
        {run ? (
          <>
            {t("rules.expiry.latest", { time: formatDateTime(run.finished_at) })}{" "}
            {/* the engine's own failure text is for administrators' diagnosis: shown on hover, not as UI text */}
            <Tooltip title={run.error}>
              <Tag color={run.ok ? "green" : "red"}>{run.ok ? t("rules.expiry.ok") : t("rules.expiry.failed")}</Tag>
            </Tooltip>
            <ExpiryCounts run={run} />
          </>
        ) : (
          t("rules.expiry.none")
        )}
      </Typography.Text>
    </Space>
  );
}
