import { Descriptions } from "antd";
import { useTranslation } from "react-i18next";
import type { MergeMembersResult } from "../../../data/members/merge-members-mutation";
import { formatCount } from "../../../lib/format";

const MOVED = ["points", "lots", "ledger_entries", "transactions", "identities", "growth_value"] as const;

/** What merge_members said would move (or moved), and the survivor's balance afterwards. */
export function MergePreview({ preview, names }: { preview: MergeMembersResult; names: { survivor: string; merged: string } }) {
  const { t } = useTranslation();
  return (
    <Descriptions title={t("merge.previewTitle", names)} column={1} size="small" bordered>
      {MOVED.map((key) => (
        <Descriptions.Item key={key} label={t(`merge.moved.${key}`)}>
          {formatCount(Number(preview.moved?.[key] ?? 0))}
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t("merge.balance_after")}>{formatCount(Number(preview.balance_after ?? 0))}</Descriptions.Item>
    </Descriptions>
  );
}
