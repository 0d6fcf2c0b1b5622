import { DownloadOutlined, EyeInvisibleOutlined } from "@ant-design/icons";
import { useCan } from "@refinedev/core";
import { App, Button, Dropdown } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMemberPrivacyExport, type MemberPrivacyExport } from "../../../data/members/privacy-mutations";
import { downloadWorkbook, type SheetSpec } from "../../../lib/excel";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { Member } from "../../../lib/types";
import { AnonymiseModal } from "./AnonymiseModal";

/** The sections of the export, in the order of the workbook's sheets. */
export const PRIVACY_SECTIONS = [
  "profile", "identities", "auto_tags", "ledger", "lot_moves", "lots", "pending_points", "transactions",
  "transaction_earnings", "tier_history", "tier_purchases", "benefit_grants", "benefit_uses", "benefit_revocations",
  "cards", "card_ledger", "approvals", "care_tasks", "followups", "segments", "notifications",
  "notification_deliveries", "audit",
] as const;

const cell = (value: unknown): string | number | null =>
  value === null || value === undefined ? null : typeof value === "number" ? value : typeof value === "string" ? value : JSON.stringify(value);

/** One sheet per section: a column per field the section's rows have. */
export function privacySheets(data: MemberPrivacyExport, sheetName: (section: string) => string): SheetSpec[] {
  return PRIVACY_SECTIONS.map((section) => {
    const rows = (Array.isArray(data[section]) ? data[section] : []) as Record<string, unknown>[];
    const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    return {
      name: sheetName(section),
      columns: keys.map((key) => ({ header: key, key, width: 20 })),
      rows: rows.map((row) => Object.fromEntries(keys.map((key) => [key, cell(row[key])]))),
    };
  });
}

function downloadJson(fileName: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * 个人数据: export everything about the member as JSON or Excel (the roles that serve members; each export is
 * audited by the database), and 匿名化 on the member's request (managers of the home unit, admins).
 */
export function PrivacyActions({ member }: { member: Member }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: canExport } = useCan({ resource: "member_privacy", action: "show" });
  const { data: canAnonymise } = useCan({ resource: "member_privacy", action: "edit" });
  const exportData = useMemberPrivacyExport();
  const [open, setOpen] = useState(false);
  const [session, setSession] = useState(0);

  const run = async (format: "json" | "xlsx") => {
    try {
      const data = await exportData.mutateAsync({ memberId: member.id });
      const base = `${t("privacy.fileName")}-${member.member_no}-${dayjs().format("YYYYMMDD-HHmm")}`;
      if (format === "json") downloadJson(`${base}.json`, data);
      else await downloadWorkbook(`${base}.xlsx`, privacySheets(data, (section) => t(`privacy.sections.${section}`)));
      message.success(t("privacy.exported"));
    } catch (failure) {
      message.error(localizeRpcError(failure, t));
    }
  };

  if (member.merged_into) return null;
  return (
    <>
      {canExport?.can && (
        <Dropdown
          trigger={["click"]}
          menu={{
            items: [
              { key: "json", label: t("privacy.exportJson") },
              { key: "xlsx", label: t("privacy.exportXlsx") },
            ],
            onClick: ({ key }) => void run(key as "json" | "xlsx"),
          }}
        >
          <Button icon={<DownloadOutlined />} loading={exportData.isPending}>
            {t("privacy.export")}
          </Button>
        </Dropdown>
      )}
      {canAnonymise?.can && !member.anonymised_at && (
        <Button
          danger
          icon={<EyeInvisibleOutlined />}
          onClick={() => {
            setSession((value) => value + 1);
            setOpen(true);
          }}
        >
          {t("privacy.anonymise")}
        </Button>
      )}
      {session > 0 && <AnonymiseModal key={session} member={member} open={open} onClose={() => setOpen(false)} />}
    </>
  );
}
