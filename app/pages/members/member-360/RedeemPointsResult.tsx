import { Result, Table } from "antd";
import { useTranslation } from "react-i18next";
import type { RedeemedLot, RedeemPointsResult } from "../../../data/points/redeem-points-mutation";
import { formatCount, formatDateTime } from "../../../lib/format";

/** What a redemption did: points taken, the new balance and, lot by lot, where the points came from. */
export function RedeemPointsResultView({ result }: { result: RedeemPointsResult }) {
  const { t } = useTranslation();
  const taken = result.lots.reduce((sum, lot) => sum + lot.points, 0);
  return (
    <Result
      status={result.duplicate ? "info" : "success"}
      title={t("points.redeem.success")}
      subTitle={
        <>
          {result.duplicate && <div>{t("points.redeem.duplicate")}</div>}
          {t("points.redeem.successSub", { points: formatCount(taken), balance: formatCount(result.balance) })}
        </>
      }
      style={{ paddingBottom: 0 }}
    >
      <Table<RedeemedLot>
        dataSource={result.lots}
        rowKey="lot_id"
        size="small"
        pagination={false}
        title={() => t("points.redeem.consumedLots")}
      >
        <Table.Column<RedeemedLot> dataIndex="lot_id" title={t("points.lots.id")} render={(id: number) => `#${id}`} />
        <Table.Column<RedeemedLot> dataIndex="points" title={t("points.ledger.move_points")} align="right" render={(points: number) => `-${formatCount(points)}`} />
        <Table.Column<RedeemedLot> dataIndex="expires_at" title={t("points.lots.expires_at")} render={formatDateTime} />
      </Table>
    </Result>
  );
}
