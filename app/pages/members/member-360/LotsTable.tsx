import { Table, Tag, theme, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { lotKindLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import { lotState, useMemberLots } from "../../../data/points/use-member-lots";
import { formatCount, formatDateTime } from "../../../lib/format";
import type { PointLot } from "../../../lib/types";
import { numberColumn, oneLineColumn } from "../../../components/table-columns";

/** Open lots, soonest expiry first; lots expiring within 30 days are highlighted and tagged. */
export function LotsTable({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const unitName = useUnitName();
  const { lots, loading, error } = useMemberLots(memberId);
  const highlight = (lot: PointLot) => (lotState(lot) === "ok" ? {} : { style: { background: token.colorWarningBg } });

  return (
    <Table<PointLot>
      dataSource={lots}
      rowKey="id"
      size="small"
      loading={loading}
      locale={error ? { emptyText: t("common.loadFailed") } : undefined}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      onRow={highlight}
    >
      <Table.Column<PointLot> dataIndex="id" title={t("points.lots.id")} {...oneLineColumn} render={(id: number) => `#${id}`} onCell={highlight} />
      <Table.Column<PointLot> dataIndex="kind" title={t("points.lots.kind")} render={(kind: string) => t(lotKindLabel(kind))} onCell={highlight} />
      <Table.Column<PointLot> dataIndex="business_unit_id" title={t("points.lots.business_unit")} render={unitName} onCell={highlight} />
      <Table.Column<PointLot> dataIndex="original_points" title={t("points.lots.original")} {...numberColumn} render={formatCount} onCell={highlight} />
      <Table.Column<PointLot>
        dataIndex="remaining_points"
        title={t("points.lots.remaining")}
        {...numberColumn}
        render={(value: number) => <Typography.Text strong>{formatCount(value)}</Typography.Text>}
        onCell={highlight}
      />
      <Table.Column<PointLot> dataIndex="earned_at" title={t("points.lots.earned_at")} {...oneLineColumn} render={formatDateTime} onCell={highlight} />
      <Table.Column<PointLot>
        dataIndex="expires_at"
        title={t("points.lots.expires_at")}
        {...oneLineColumn}
        onCell={highlight}
        render={(value: string, lot) => {
          const state = lotState(lot);
          return (
            <>
              {formatDateTime(value)}{" "}
              {state !== "ok" && (
                <Tag color={state === "expired" ? "red" : "orange"}>
                  {t(state === "expired" ? "points.lots.expiredTag" : "points.lots.expiringTag")}
                </Tag>
              )}
            </>
          );
        }}
      />
    </Table>
  );
}
