import { Card, Statistic, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  title: string;
  value: number | undefined;
  loading?: boolean;
  error?: boolean;
  footer?: ReactNode;
}

/** One real number from the database; while loading or on error, no number is shown. */
export function StatCard({ title, value, loading, error, footer }: Props) {
  const { t } = useTranslation();
  return (
    <Card size="small" loading={loading} role="region" aria-label={title} style={{ height: "100%" }}>
      {error ? (
        <Statistic title={title} value={t("common.loadFailed")} valueStyle={{ fontSize: 16 }} />
      ) : (
        <Statistic title={title} value={value ?? 0} groupSeparator="," />
      )}
      {footer && !error && <Typography.Text type="secondary">{footer}</Typography.Text>}
    </Card>
  );
}
