import { List, useTable } from "@refinedev/antd";
import { Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { SearchBar } from "../../components/SearchBar";
import { useLookup } from "../../components/useLookup";
import { formatCount, formatDateTime, localizedName } from "../../lib/format";
import type { BusinessUnit, Member, Tier } from "../../lib/types";
import { numberColumn, oneLineColumn } from "../../components/table-columns";

const STATUS_COLORS: Record<Member["status"], string> = { active: "green", frozen: "orange", cancelled: "default" };

export function MemberList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const tiers = useLookup<Tier>("tiers");
  const units = useLookup<BusinessUnit>("business_units");
  const { tableProps, searchFormProps } = useTable<Member, { message: string; statusCode: number }, { q?: string }>({
    resource: "members",
    sorters: { initial: [{ field: "created_at", order: "desc" }] },
    onSearch: ({ q }) => {
      const value = q?.trim();
      return [
        {
          operator: "or",
          key: "search",
          value: value
            ? ["member_no", "name", "phone"].map((field) => ({ field, operator: "contains" as const, value }))
            : [],
        },
      ];
    },
  });

  return (
    <List title={t("members.titles.list")} createButtonProps={{ children: t("members.titles.create") }}>
      <SearchBar formProps={searchFormProps} placeholder={t("members.searchPlaceholder")} size="large" hint={t("members.searchHint")} />
      <Table
        {...tableProps}
        rowKey="id"
        onRow={(member) => ({ onClick: () => navigate(`/members/show/${member.id}`), style: { cursor: "pointer" } })}
      >
        <Table.Column<Member>
          dataIndex="member_no"
          title={t("members.fields.member_no")}
          {...oneLineColumn}
          render={(memberNo: string, member) => (
            <Link to={`/members/show/${member.id}`} aria-label={t("members.openMember", { name: member.name })}>
              {memberNo}
            </Link>
          )}
        />
        <Table.Column dataIndex="name" title={t("members.fields.name")} />
        <Table.Column dataIndex="phone" title={t("members.fields.phone")} {...oneLineColumn} render={(phone: string | null) => phone || "—"} />
        <Table.Column<Member>
          dataIndex="tier_id"
          title={t("members.fields.tier")}
          render={(id: string) => localizedName(tiers.map.get(id), i18n.language)}
        />
        <Table.Column<Member>
          dataIndex="growth_value"
          title={t("members.fields.growth_value")}
          {...numberColumn}
          render={(value: number) => formatCount(value)}
        />
        <Table.Column<Member>
          dataIndex="status"
          title={t("members.fields.status")}
          render={(status: Member["status"]) => <Tag color={STATUS_COLORS[status]}>{t(`members.status.${status}`)}</Tag>}
        />
        <Table.Column<Member>
          dataIndex="home_business_unit_id"
          title={t("members.fields.home_business_unit")}
          render={(id: string | null) => (id ? localizedName(units.map.get(id), i18n.language) : "—")}
        />
        <Table.Column<Member>
          dataIndex="created_at"
          title={t("members.fields.created_at")}
          {...oneLineColumn}
          sorter
          render={(value: string) => formatDateTime(value)}
        />
      </Table>
    </List>
  );
}
