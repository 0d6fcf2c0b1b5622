import { Table } from "antd";
import { useTranslation } from "react-i18next";
import { lotKindLabel } from "../../../../core/enums/index.ts";
import { formatDateTime } from "../../../lib/format";
import type { LedgerLotMove } from "../../../lib/types";
import { SignedPoints } from "./SignedPoints";

/** The lots one ledger entry moved: which lot, how many points, and the lot's kind and expiry. */
export function LotTrace({ entryId, moves }: { entryId: number; moves: LedgerLotMove[] }) {
  const { t } = useTranslation();
  return (
    <section aria-label={t("points.ledger.lotTraceOf", { id: entryId })}>
      <Table<LedgerLotMove>
        dataSource={moves}
        rowKey="lot_id"
        size="small"
        pagination={false}
        title={() => t("points.ledger.lotTrace")}
        locale={{ emptyText: t("points.ledger.noMoves") }}
      >
        <Table.Column<LedgerLotMove> dataIndex="lot_id" title={t("points.ledger.lot_id")} render={(id: number) => `#${id}`} />
        <Table.Column<LedgerLotMove>
          dataIndex="points"
          title={t("points.ledger.move_points")}
          align="right"
          render={(points: number) => <SignedPoints value={points} />}
        />
        <Table.Column<LedgerLotMove>
          key="kind"
          title={t("points.ledger.lot_kind")}
          render={(_, move) => (move.point_lots ? t(lotKindLabel(move.point_lots.kind)) : "—")}
        />
        <Table.Column<LedgerLotMove>
          key="expires_at"
          title={t("points.ledger.lot_expires_at")}
          render={(_, move) => formatDateTime(move.point_lots?.expires_at)}
        />
      </Table>
    </section>
  );
}
