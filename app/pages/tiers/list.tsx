import { List, useTable } from "@refinedev/antd";
import { Table } from "antd";
import { useTranslation } from "react-i18next";
import { formatCount } from "../../lib/format";
import type { Tier } from "../../lib/types";
import { numberColumn, oneLineColumn } from "../../components/table-columns";

export function TierList() {
  const { t } = useTranslation();
  const { tableProps } = useTable<Tier>({
    resource: "tiers",
    sorters: { initial: [{ field: "rank", order: "asc" }] },
    pagination: { mode: "off" },
  });

  return (
    <List title={t("tiers.titles.list")}>
      <Table {...tableProps} rowKey="id" pagination={false}>
        <Table.Column dataIndex="rank" title={t("tiers.fields.rank")} {...numberColumn} />
        <Table.Column dataIndex="code" title={t("tiers.fields.code")} {...oneLineColumn} />
        <Table.Column dataIndex="name" title={t("tiers.fields.name")} />
        <Table.Column dataIndex="name_en" title={t("tiers.fields.name_en")} render={(v: string | null) => v || "—"} />
        <Table.Column<Tier>
          dataIndex="growth_threshold"
          title={t("tiers.fields.growth_threshold")}
          {...numberColumn}
          render={(value: number) => formatCount(value)}
        />
      </Table>
    </List>
  );
}
