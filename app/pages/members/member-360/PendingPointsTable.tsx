import { Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { lotKindLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import { numberColumn, oneLineColumn } from "../../../components/table-columns";
import { useMemberPendingPoints } from "../../../data/points/use-member-pending";
import { formatCount, formatDateTime } from "../../../lib/format";
import type { PendingPoints } from "../../../lib/types";

const STATUS_COLORS: Record<PendingPoints["status"], string> = { held: "gold", released: "green", cancelled: "default", lapsed: "default" };

/** The points of recent purchases held for their return window (待入账), and what became of them. */
export function PendingPointsTable({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const { rows, loading, error } = useMemberPendingPoints(memberId);
  if (!loading && !error && rows.length === 0) return null;
  return (
    <div data-testid="pending-points">
      <Typography.Title level={5}>{t("pending.title")}</Typography.Title>
      <Table<PendingPoints>
        dataSource={rows}
        loading={loading}
        rowKey="id"
        size="small"
        pagination={false}
        locale={error ? { emptyText: t("common.loadFailed") } : undefined}
      >
        <Table.Column<PendingPoints> dataIndex="earned_at" title={t("pending.earnedAt")} render={formatDateTime} {...oneLineColumn} />
        <Table.Column<PendingPoints>
          dataIndex="status"
          title={t("pending.status")}
          {...oneLineColumn}
          render={(status: PendingPoints["status"]) => <Tag color={STATUS_COLORS[status]}>{t(`pending.statuses.${status}`)}</Tag>}
        />
        <Table.Column<PendingPoints> dataIndex="business_unit_id" title={t("points.ledger.business_unit")} render={unitName} />
        <Table.Column<PendingPoints> dataIndex="kind" title={t("pending.kind")} render={(kind: string) => t(lotKindLabel(kind))} />
        <Table.Column<PendingPoints> dataIndex="points" title={t("points.ledger.points")} {...numberColumn} render={formatCount} />
        <Table.Column<PendingPoints> dataIndex="release_at" title={t("pending.releaseAt")} render={formatDateTime} {...oneLineColumn} />
      </Table>
    </div>
  );
}
