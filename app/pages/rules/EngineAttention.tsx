import { useCan } from "@refinedev/core";
import { Alert, Button, List, Space, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useParkedEarnings, useResumeRule, useRetryEarning, useSuspendedRules } from "../../data/rules/queries";
import { formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";

/**
 * What the rules engine stopped doing and needs an administrator for: rule versions it suspended for
 * failing repeatedly (resume) and transactions it parked as failed (retry). Shown on the home page and
 * in the rules centre; nothing when all is well.
 */
export function EngineAttention() {
  const { t, i18n } = useTranslation();
  const { data: canOperate } = useCan({ resource: "rule_operations", action: "edit" });
  const admin = !!canOperate?.can;
  const suspended = useSuspendedRules();
  const parked = useParkedEarnings();
  const resume = useResumeRule();
  const retry = useRetryEarning();
  const rules = suspended.data ?? [];
  const failed = parked.data ?? [];
  if (!rules.length && !failed.length) return null;

  return (
    <Space direction="vertical" style={{ width: "100%", marginBottom: 16 }} data-testid="engine-attention">
      {!!rules.length && (
        <Alert
          type="error"
          showIcon
          message={t("rules.suspended.title", { count: rules.length })}
          description={
            <>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t("rules.suspended.explain")}</Typography.Paragraph>
              <List
                size="small"
                dataSource={rules}
                rowKey="id"
                renderItem={(r) => (
                  <List.Item
                    actions={admin ? [
                      <Button key="resume" size="small" loading={resume.isPending && resume.variables === r.id} onClick={() => resume.mutate(r.id)}>
                        {t("rules.suspended.resume")}
                      </Button>,
                    ] : []}
                  >
                    {/* the engine's own text helps an administrator diagnose: on hover, not as UI text */}
                    <Tooltip title={r.suspended_reason?.slice(0, 500)}>
                      <Link to={`/rules/show/${encodeURIComponent(r.key)}`}>
                        {t("rules.suspended.item", { name: localizedName(r, i18n.language), key: r.key, version: r.version })}
                      </Link>
                    </Tooltip>{" "}
                    <Typography.Text type="secondary">{formatDateTime(r.suspended_at ?? null)}</Typography.Text>
                  </List.Item>
                )}
              />
              <RpcErrorAlert message={resume.error ? localizeRpcError(resume.error, t) : null} />
            </>
          }
        />
      )}
      {!!failed.length && (
        <Alert
          type="warning"
          showIcon
          message={t("rules.parked.title", { count: failed.length })}
          description={
            <>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t("rules.parked.explain")}</Typography.Paragraph>
              <List
                size="small"
                dataSource={failed}
                rowKey="transaction_id"
                renderItem={(f) => (
                  <List.Item
                    actions={admin ? [
                      <Button key="retry" size="small" loading={retry.isPending && retry.variables === f.transaction_id} onClick={() => retry.mutate(f.transaction_id)}>
                        {t("rules.parked.retry")}
                      </Button>,
                    ] : []}
                  >
                    <Tooltip title={f.error.slice(0, 500)}>
                      <span>{t("rules.parked.item", { order: f.transactions?.order_no ?? f.transaction_id.slice(0, 8), attempts: f.attempts })}</span>
                    </Tooltip>{" "}
                    <Typography.Text type="secondary">{formatDateTime(f.parked_at)}</Typography.Text>
                  </List.Item>
                )}
              />
              <RpcErrorAlert message={retry.error ? localizeRpcError(retry.error, t) : null} />
            </>
          }
        />
      )}
    </Space>
  );
}
