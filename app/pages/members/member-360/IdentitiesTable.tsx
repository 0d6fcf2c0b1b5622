import { DeleteButton } from "@refinedev/antd";
import { useCan, useGetIdentity, useList } from "@refinedev/core";
import { Table } from "antd";
import { useTranslation } from "react-i18next";
import { useUnitName } from "../../../components/useUnitName";
import { formatDateTime } from "../../../lib/format";
import type { Member, MemberIdentity } from "../../../lib/types";
import type { Identity } from "../../../providers/auth-provider";
import { LinkIdentityForm } from "./LinkIdentityForm";
import { oneLineColumn } from "../../../components/table-columns";

const UNLINKING_ROLES = ["manager", "director", "admin"];

/** The member's own id in each business unit (hotel profile no., mall card no...): link and unlink. */
export function IdentitiesTable({ member }: { member: Member }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const { data: canLink } = useCan({ resource: "member_identities", action: "create" });
  const { data: user } = useGetIdentity<Identity | null>();
  // Row-level security lets managers and directors unlink only their own unit's ids (admins: all).
  const canUnlink = (unitId: string) =>
    !!user?.roles.some((g) => UNLINKING_ROLES.includes(g.role) && (!g.business_unit_id || g.business_unit_id === unitId));
  const anyUnlink = !!user?.roles.some((g) => UNLINKING_ROLES.includes(g.role));
  const { result, query } = useList<MemberIdentity>({
    resource: "member_identities",
    filters: [{ field: "member_id", operator: "eq", value: member.id }],
    sorters: [{ field: "created_at", order: "asc" }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const active = !member.merged_into && member.status !== "cancelled";

  return (
    <>
      {canLink?.can && active && <LinkIdentityForm member={member} />}
      <Table<MemberIdentity>
        dataSource={result.data ?? []}
        rowKey={(row) => `${row.business_unit_id}:${row.external_id}`}
        size="small"
        loading={query.isLoading}
        locale={query.isError ? { emptyText: t("common.loadFailed") } : undefined}
        pagination={false}
      >
        <Table.Column<MemberIdentity> dataIndex="business_unit_id" title={t("member_identities.fields.business_unit")} render={unitName} />
        <Table.Column<MemberIdentity> dataIndex="external_id" title={t("member_identities.fields.external_id")} {...oneLineColumn} />
        <Table.Column<MemberIdentity> dataIndex="created_at" title={t("member_identities.fields.created_at")} {...oneLineColumn} render={(value?: string) => formatDateTime(value)} />
        {anyUnlink && (
          <Table.Column<MemberIdentity>
            title={t("member_identities.fields.actions")}
            render={(_, row) =>
              canUnlink(row.business_unit_id) && (
                <DeleteButton
                  resource="member_identities"
                  recordItemId={row.id}
                  size="small"
                  hideText
                  aria-label={t("member_identities.unlink", { id: row.external_id })}
                  confirmTitle={t("member_identities.unlinkConfirm", { id: row.external_id })}
                />
              )
            }
          />
        )}
      </Table>
    </>
  );
}
