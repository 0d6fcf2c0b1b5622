import { EditButton } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Button, Space, Tooltip } from "antd";
import { AuditOutlined, CrownOutlined, GiftOutlined, MergeCellsOutlined, ShoppingCartOutlined, StopOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { memberStatusLabel } from "../../../../core/enums/index.ts";
import type { Member } from "../../../lib/types";
import { BuyMembershipModal } from "./BuyMembershipModal";
import { ExportLedgerButton } from "./ExportLedgerButton";
import { MemberStatusModal } from "./MemberStatusModal";
import { MergeMembersModal } from "./MergeMembersModal";
import { PrivacyActions } from "./PrivacyActions";
import { RecordTransactionModal } from "./RecordTransactionModal";
import { RedeemPointsModal } from "./RedeemPointsModal";

type Dialog = "record" | "redeem" | "merge" | "status" | "membership";

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
  const { data: canChangeStatus } = useCan({ resource: "member_status", action: "edit" });
  const { data: canSell } = useCan({ resource: "tier_purchases", action: "create" });
  const navigate = useNavigate();
  const open = (next: Dialog) => {
    setSession((value) => value + 1);
    setLast(next);
    setDialog(next);
  };
  const close = () => setDialog(null);
  // Points move only for active members (the ledger refuses the rest): say so on the buttons instead.
  const inactive = member.status !== "active";
  const inactiveHint = inactive ? t("members.statusChange.pointsBlocked", { status: t(memberStatusLabel(member.status)) }) : undefined;

  return (
    <Space wrap>
      {canRecord?.can && (
        <Tooltip title={inactiveHint}>
          <Button type="primary" icon={<ShoppingCartOutlined />} disabled={inactive} onClick={() => open("record")}>
            {t("transactions.record.button")}
          </Button>
        </Tooltip>
      )}
      {canRedeem?.can && (
        <Tooltip title={inactiveHint}>
          <Button icon={<GiftOutlined />} disabled={inactive} onClick={() => open("redeem")}>
            {t("points.redeem.button")}
          </Button>
        </Tooltip>
      )}
      {canSell?.can && !member.merged_into && (
        <Tooltip title={inactiveHint}>
          <Button icon={<CrownOutlined />} disabled={inactive} onClick={() => open("membership")}>
            {t("tiers.sell.button")}
          </Button>
        </Tooltip>
      )}
      {canRequest?.can && !member.merged_into && (
        <Tooltip title={inactiveHint}>
          <Button icon={<AuditOutlined />} disabled={inactive} onClick={() => navigate(`/approvals/new?member=${member.id}`)}>
            {t("approvals.actions.adjustPoints")}
          </Button>
        </Tooltip>
      )}
      {canMerge?.can && (
        <Button icon={<MergeCellsOutlined />} onClick={() => open("merge")}>
          {t("merge.button")}
        </Button>
      )}
      {canChangeStatus?.can && !member.merged_into && member.status !== "cancelled" && (
        <Button icon={<StopOutlined />} onClick={() => open("status")}>
          {t("members.statusChange.button")}
        </Button>
      )}
      {!member.merged_into && <EditButton resource="members" recordItemId={member.id} />}
      <ExportLedgerButton member={member} />
      <PrivacyActions member={member} />
      {last === "record" && <RecordTransactionModal key={session} member={member} open={dialog === "record"} onClose={close} />}
      {last === "redeem" && (
        <RedeemPointsModal key={session} member={member} balance={balance} open={dialog === "redeem"} onClose={close} />
      )}
      {last === "status" && <MemberStatusModal key={session} member={member} open={dialog === "status"} onClose={close} />}
      {last === "membership" && <BuyMembershipModal key={session} member={member} open={dialog === "membership"} onClose={close} />}
      {last === "merge" && <MergeMembersModal key={session} member={member} open={dialog === "merge"} onClose={close} />}
    </Space>
  );
}
