import { Card, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useMemberBalance } from "../../../data/points/use-member-balance";
import { useMemberLots } from "../../../data/points/use-member-lots";
import { formatCount } from "../../../lib/format";

/** The member's points balance as one big number, and what of it expires within 30 days. */
export function BalanceCard({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const { balance, loading, error } = useMemberBalance(memberId);
  const { expiringPoints } = useMemberLots(memberId);
  const title = t("members.show.balance");

  return (
    <Card role="region" aria-label={title} loading={loading} style={{ height: "100%" }}>
      {error ? (
        <Statistic title={title} value={t("common.loadFailed")} valueStyle={{ fontSize: 16 }} />
      ) : (
        <Statistic
          title={title}
          value={formatCount(balance ?? 0)}
          valueStyle={{ fontSize: 44, fontWeight: 600 }}
          suffix={<Typography.Text type="secondary">{t("points.unit")}</Typography.Text>}
        />
      )}
      <Typography.Text type={expiringPoints > 0 ? "warning" : "secondary"}>
        {t("members.show.expiringLine", { points: formatCount(expiringPoints) })}
      </Typography.Text>
    </Card>
  );
}
