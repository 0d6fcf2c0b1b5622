import { useList } from "@refinedev/core";
import { Table } from "antd";
import { useTranslation } from "react-i18next";
import { useUnitName } from "../../../components/useUnitName";
import type { MemberIdentity } from "../../../lib/types";

/** The member's own id in each business unit (hotel profile no., mall card no...). */
export function IdentitiesTable({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const { result, query } = useList<MemberIdentity>({
    resource: "member_identities",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    pagination: { mode: "off" },
    errorNotification: false,
  });

  return (
    <Table<MemberIdentity>
      dataSource={result.data ?? []}
      rowKey={(row) => `${row.business_unit_id}:${row.external_id}`}
      size="small"
      loading={query.isLoading}
      locale={query.isError ? { emptyText: t("common.loadFailed") } : undefined}
      pagination={false}
    >
      <Table.Column<MemberIdentity> dataIndex="business_unit_id" title={t("member_identities.fields.business_unit")} render={unitName} />
      <Table.Column<MemberIdentity> dataIndex="external_id" title={t("member_identities.fields.external_id")} />
    </Table>
  );
}
