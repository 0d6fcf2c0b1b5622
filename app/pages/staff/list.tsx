import { List, useTable } from "@refinedev/antd";
import { useCan, useDelete } from "@refinedev/core";
import { App, Button, Space, Table, Tag } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { formatDateTime, localizedName } from "../../lib/format";
import type { BusinessUnit, RoleAssignment, StaffProfile } from "../../lib/types";
import { AddRoleModal } from "./AddRoleModal";
import { oneLineColumn } from "../../components/table-columns";

export function StaffList() {
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const [adding, setAdding] = useState<StaffProfile | null>(null);
  const units = useLookup<BusinessUnit>("business_units");
  const assignments = useLookup<RoleAssignment>("role_assignments");
  const { data: canCreate } = useCan({ resource: "role_assignments", action: "create" });
  const { data: canDelete } = useCan({ resource: "role_assignments", action: "delete" });
  const { mutate: remove } = useDelete();
  const { tableProps } = useTable<StaffProfile>({
    resource: "staff_profiles",
    sorters: { initial: [{ field: "created_at", order: "asc" }] },
  });

  const rolesByUser = useMemo(() => {
    const byUser = new Map<string, RoleAssignment[]>();
    for (const grant of assignments.rows) byUser.set(grant.user_id, [...(byUser.get(grant.user_id) ?? []), grant]);
    return byUser;
  }, [assignments.rows]);

  const unitName = (id: string | null) => (id ? localizedName(units.map.get(id), i18n.language) : t("roles.groupWide"));

  const confirmRemove = (grant: RoleAssignment) =>
    modal.confirm({
      title: t("staff_profiles.removeRoleConfirm"),
      content: `${t(`roles.${grant.role}`)} · ${unitName(grant.business_unit_id)}`,
      okButtonProps: { danger: true },
      okText: t("buttons.delete"),
      cancelText: t("buttons.cancel"),
      onOk: () => remove({ resource: "role_assignments", id: grant.id, meta: { auditReason: t("audit_log.reasons.roleRemove") } }),
    });

  return (
    <List title={t("staff_profiles.titles.list")} canCreate={false}>
      <Table {...tableProps} rowKey="user_id">
        <Table.Column dataIndex="display_name" title={t("staff_profiles.fields.display_name")} />
        <Table.Column dataIndex="email" title={t("staff_profiles.fields.email")} render={(v: string | null) => v || "—"} />
        <Table.Column<StaffProfile>
          dataIndex="home_business_unit_id"
          title={t("staff_profiles.fields.home_business_unit")}
          render={(id: string | null) => (id ? unitName(id) : "—")}
        />
        <Table.Column<StaffProfile>
          key="roles"
          title={t("staff_profiles.fields.roles")}
          render={(_, staff) => (
            <Space size={[4, 4]} wrap>
              {(rolesByUser.get(staff.user_id) ?? []).map((grant) => (
                <Tag
                  key={grant.id}
                  closable={!!canDelete?.can}
                  onClose={(event) => {
                    event.preventDefault();
                    confirmRemove(grant);
                  }}
                >
                  {t(`roles.${grant.role}`)} · {unitName(grant.business_unit_id)}
                </Tag>
              ))}
              {canCreate?.can && (
                <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setAdding(staff)}>
                  {t("staff_profiles.addRole")}
                </Button>
              )}
            </Space>
          )}
        />
        <Table.Column<StaffProfile>
          dataIndex="created_at"
          title={t("staff_profiles.fields.created_at")}
          {...oneLineColumn}
          render={(value: string) => formatDateTime(value)}
        />
      </Table>
      <AddRoleModal staff={adding} units={units.rows} onClose={() => setAdding(null)} />
    </List>
  );
}
