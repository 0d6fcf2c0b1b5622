import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatCount } from "../../../lib/format";
import type { TransactionEarning } from "../../../lib/types";

/** The engine's verdict on a purchase: points earned (and the balance now), pending (待入账), none, expired or refused. */
export function EarningLine({ earning, balance }: { earning: TransactionEarning; balance: number | undefined }) {
  const { t } = useTranslation();
  switch (earning.outcome) {
    case "earned":
    case "legacy":
      return (
        <Typography.Text strong>
          {t("transactions.record.successSub", { points: formatCount(earning.points), balance: formatCount(balance) })}
        </Typography.Text>
      );
    case "held":
      return (
        <Typography.Text strong type="warning">
          {t("transactions.record.held", { points: formatCount(earning.points) })}
        </Typography.Text>
      );
    case "none":
      return <Typography.Text type="secondary">{t("transactions.record.noPoints")}</Typography.Text>;
    case "expired":
      return <Typography.Text type="warning">{t("transactions.record.expired")}</Typography.Text>;
    default:
      return <Typography.Text type="danger">{t("transactions.record.refused", { message: earning.error ?? "" })}</Typography.Text>;
  }
}
