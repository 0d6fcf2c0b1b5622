import { useList } from "@refinedev/core";
import { Table } from "antd";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../../components/useLookup";
import { formatDateTime, localizedName } from "../../../lib/format";
import type { Tier, TierHistory } from "../../../lib/types";
import { oneLineColumn } from "../../../components/table-columns";

/** Every tier change of the member, newest first. */
export function TierHistoryTable({ memberId }: { memberId: string }) {
  const { t, i18n } = useTranslation();
  const tiers = useLookup<Tier>("tiers");
  const { result, query } = useList<TierHistory>({
    resource: "tier_history",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    sorters: [{ field: "changed_at", order: "desc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const tier = (id: string | null) => (id ? localizedName(tiers.map.get(id), i18n.language) : "—");

  return (
    <Table<TierHistory>
      dataSource={result.data ?? []}
      rowKey="id"
      size="small"
      loading={query.isLoading}
      locale={query.isError ? { emptyText: t("common.loadFailed") } : undefined}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
    >
      <Table.Column<TierHistory> dataIndex="changed_at" title={t("tier_history.fields.changed_at")} {...oneLineColumn} render={formatDateTime} />
      <Table.Column<TierHistory> dataIndex="from_tier_id" title={t("tier_history.fields.from")} render={tier} />
      <Table.Column<TierHistory> dataIndex="to_tier_id" title={t("tier_history.fields.to")} render={tier} />
      <Table.Column<TierHistory> dataIndex="reason" title={t("tier_history.fields.reason")} render={(reason: TierHistory["reason"], row) => t(`tier_history.reasons.${reason}`, row.details)} />
    </Table>
  );
}
