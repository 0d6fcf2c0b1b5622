import { EditButton } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Button, Space } from "antd";
import { AuditOutlined, GiftOutlined, MergeCellsOutlined, ShoppingCartOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Member } from "../../../lib/types";
import { ExportLedgerButton } from "./ExportLedgerButton";
import { MergeMembersModal } from "./MergeMembersModal";
import { RecordTransactionModal } from "./RecordTransactionModal";
import { RedeemPointsModal } from "./RedeemPointsModal";

type Dialog = "record" | "redeem" | "merge";

/**
 * The 360 page's buttons, each shown only to roles the access matrix allows (the database refuses
 * the rest anyway). Every opening mounts its dialog anew (`session` key): fresh form, fresh idempotency key.
 */
export function MemberActions({ member, balance }: { member: Member; balance: number | undefined }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // The last dialog opened stays mounted after closing (for its closing animation), no other.
  const [last, setLast] = useState<Dialog | null>(null);
  const [session, setSession] = useState(0);
  const { data: canRecord } = useCan({ resource: "transactions", action: "create" });
  const { data: canRedeem } = useCan({ resource: "ledger_entries", action: "create" });
  const { data: canMerge } = useCan({ resource: "member_merges", action: "create" });
  const { data: canRequest } = useCan({ resource: "approvals", action: "create" });
  const navigate = useNavigate();
  const open = (next: Dialog) => {
    setSession((value) => value + 1);
    setLast(next);
    setDialog(next);
  };
  const close = () => setDialog(null);

  return (
    <Space wrap>
      {canRecord?.can && (
        <Button type="primary" icon={<ShoppingCartOutlined />} onClick={() => open("record")}>
          {t("transactions.record.button")}
        </Button>
      )}
      {canRedeem?.can && (
        <Button icon={<GiftOutlined />} onClick={() => open("redeem")}>
          {t("points.redeem.button")}
        </Button>
      )}
      {canRequest?.can && !member.merged_into && (
        <Button icon={<AuditOutlined />} onClick={() => navigate(`/approvals/new?member=${member.id}`)}>
          {t("approvals.actions.adjustPoints")}
        </Button>
      )}
      {canMerge?.can && (
        <Button icon={<MergeCellsOutlined />} onClick={() => open("merge")}>
          {t("merge.button")}
        </Button>
      )}
      {!member.merged_into && <EditButton resource="members" recordItemId={member.id} />}
      <ExportLedgerButton member={member} />
      {last === "record" && <RecordTransactionModal key={session} member={member} open={dialog === "record"} onClose={close} />}
      {last === "redeem" && (
        <RedeemPointsModal key={session} member={member} balance={balance} open={dialog === "redeem"} onClose={close} />
      )}
      {last === "merge" && <MergeMembersModal key={session} member={member} open={dialog === "merge"} onClose={close} />}
    </Space>
  );
}
