import { DeleteButton, EditButton, List, useTable } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { businessUnitKindLabel } from "../../../core/enums/index.ts";
import { formatDateTime } from "../../lib/format";
import type { BusinessUnit } from "../../lib/types";
import { oneLineColumn } from "../../components/table-columns";

export function BusinessUnitList() {
  const { t } = useTranslation();
  // Roles that may neither edit nor delete get no (empty) actions column at all.
  const { data: canEdit } = useCan({ resource: "business_units", action: "edit" });
  const { data: canDelete } = useCan({ resource: "business_units", action: "delete" });
  const { tableProps } = useTable<BusinessUnit>({
    resource: "business_units",
    sorters: { initial: [{ field: "code", order: "asc" }] },
  });

  return (
    <List title={t("business_units.titles.list")}>
      <Table {...tableProps} rowKey="id">
        <Table.Column dataIndex="code" title={t("business_units.fields.code")} sorter {...oneLineColumn} />
        <Table.Column dataIndex="name" title={t("business_units.fields.name")} />
        <Table.Column dataIndex="name_en" title={t("business_units.fields.name_en")} render={(v: string | null) => v || "—"} />
        <Table.Column<BusinessUnit>
          dataIndex="kind"
          title={t("business_units.fields.kind")}
          render={(kind: BusinessUnit["kind"]) => t(businessUnitKindLabel(kind))}
        />
        <Table.Column<BusinessUnit>
          dataIndex="active"
          title={t("business_units.fields.active")}
          render={(active: boolean) => <Tag color={active ? "green" : "default"}>{active ? t("common.yes") : t("common.no")}</Tag>}
        />
        <Table.Column<BusinessUnit>
          dataIndex="created_at"
          title={t("business_units.fields.created_at")}
          render={(value: string) => formatDateTime(value)}
        />
        {(canEdit?.can || canDelete?.can) && (
          <Table.Column<BusinessUnit>
            key="actions"
            title={t("common.actions")}
            render={(_, record) => (
              <Space>
                <EditButton hideText size="small" recordItemId={record.id} />
                <DeleteButton hideText size="small" recordItemId={record.id} />
              </Space>
            )}
          />
        )}
      </Table>
    </List>
  );
}
