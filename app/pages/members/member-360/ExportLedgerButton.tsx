import { DownloadOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { lotKindLabel } from "../../../../core/enums/index.ts";
import { useUnitName } from "../../../components/useUnitName";
import { fetchMemberLedger } from "../../../data/points/fetch-member-ledger";
import { ledgerReason } from "../../../data/points/ledger-reason";
import { downloadWorkbook } from "../../../lib/excel";
import { formatDateTime } from "../../../lib/format";
import type { Member } from "../../../lib/types";

/** 导出积分流水: the member's whole ledger, with each entry's lot trace, as an .xlsx file. */
export function ExportLedgerButton({ member }: { member: Member }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const unitName = useUnitName();
  const [busy, setBusy] = useState(false);
  const l = (key: string) => t(`points.ledger.${key}`);

  const run = async () => {
    setBusy(true);
    try {
      const entries = await fetchMemberLedger(member.id);
      const rows = entries.map((entry) => ({
        id: entry.id,
        occurred_at: formatDateTime(entry.occurred_at),
        kind: t(`points.entryKinds.${entry.kind}`),
        business_unit: unitName(entry.business_unit_id),
        points: entry.points,
        balance_after: entry.balance_after,
        reason: ledgerReason(entry, t),
        lots: (entry.ledger_lot_moves ?? [])
          .map((move) => {
            const lot = move.point_lots;
            const about = lot ? ` (${t(lotKindLabel(lot.kind))}, ${formatDateTime(lot.expires_at)})` : "";
            return `#${move.lot_id} ${move.points > 0 ? "+" : ""}${move.points}${about}`;
          })
          .join("; "),
      }));
      const columns = (["id", "occurred_at", "kind", "business_unit", "points", "balance_after", "reason"] as const).map(
        (key) => ({ header: l(key), key, width: key === "reason" ? 28 : 16 }),
      );
      await downloadWorkbook(`${t("points.exportFile")}-${member.member_no}-${dayjs().format("YYYYMMDD-HHmm")}.xlsx`, [
        { name: t("points.exportFile"), columns: [...columns, { header: l("lotTrace"), key: "lots", width: 60 }], rows },
      ]);
      message.success(t("points.exportDone", { count: rows.length }));
    } catch (failure) {
      message.error(t("points.exportFailed", { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()}>
      {t("points.export")}
    </Button>
  );
}
