import { Card, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useMemberBalance } from "../../../data/points/use-member-balance";
import { useMemberLots } from "../../../data/points/use-member-lots";
import { useMemberPointSummary } from "../../../data/points/use-member-pending";
import { formatCount, formatDateTime } from "../../../lib/format";

/**
 * The member's spendable points as one big number, what of it expires within 30 days, and apart from it the points
 * of recent purchases still in their return window (待入账), which cannot be spent until released.
 */
export function BalanceCard({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const { balance, loading, error } = useMemberBalance(memberId);
  const { expiringPoints } = useMemberLots(memberId);
  const { pending, nextReleaseAt } = useMemberPointSummary(memberId);
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
      {pending > 0 && (
        <div>
          <Typography.Text type="warning" data-testid="pending-line">
            {t("pending.balanceLine", { points: formatCount(pending), at: nextReleaseAt ? formatDateTime(nextReleaseAt) : "" })}
          </Typography.Text>
        </div>
      )}
    </Card>
  );
}
