import { Card, Col, Empty, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { localizedName } from "../../lib/format";
import type { Tier } from "../../lib/types";
import { useCount } from "./useCount";

function TierCount({ tier }: { tier: Tier }) {
  const { t, i18n } = useTranslation();
  const { total, loading, error } = useCount("members", true, [{ field: "tier_id", operator: "eq", value: tier.id }]);
  const name = localizedName(tier, i18n.language);
  return (
    <Col xs={12} md={6}>
      <Card size="small" loading={loading} role="region" aria-label={name}>
        <Statistic title={name} value={error ? t("common.loadFailed") : (total ?? 0)} groupSeparator="," />
      </Card>
    </Col>
  );
}

/** Members per tier, one real count per rung of the ladder. */
export function TierDistribution() {
  const { t } = useTranslation();
  const { rows, isLoading } = useLookup<Tier>("tiers");
  const tiers = [...rows].sort((a, b) => a.rank - b.rank);
  return (
    <Card title={t("home.tierDistribution")} loading={isLoading}>
      {tiers.length === 0 ? (
        <Empty description={t("home.noTiers")} />
      ) : (
        <Row gutter={[16, 16]}>
          {tiers.map((tier) => (
            <TierCount key={tier.id} tier={tier} />
          ))}
        </Row>
      )}
    </Card>
  );
}
