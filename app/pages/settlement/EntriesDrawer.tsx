import { useTable } from "@refinedev/antd";
import { useList } from "@refinedev/core";
import { Drawer, Table, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import type { SettlementEntry, SettlementStatement } from "../../data/settlement/types";
import { formatDateTime, localizedName } from "../../lib/format";
import { Money, eventKindLabel, monthLabel } from "./shared";

/** The entries behind a statement (settlement_entries of the month for the unit against the counterparty), newest first, paged. */
export function EntriesDrawer({ statement, onClose, unitName }: { statement: SettlementStatement | null; onClose: () => void; unitName: (id: string) => string }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={!!statement}
      onClose={onClose}
      width={960}
      destroyOnHidden
      title={statement && t("settlement.drawer.title", { unit: unitName(statement.business_unit_id), counterparty: unitName(statement.counterparty_unit_id), month: monthLabel(statement.period) })}
    >
      {statement && <Entries statement={statement} />}
    </Drawer>
  );
}

interface RuleName {
  key: string;
  version: number;
  name: string;
  name_en: string | null;
}

function Entries({ statement }: { statement: SettlementStatement }) {
  const { t, i18n } = useTranslation();
  const { tableProps } = useTable<SettlementEntry>({
    resource: "settlement_entries",
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: "id", order: "desc" }] },
    filters: {
      permanent: [
        { field: "period", operator: "eq", value: statement.period },
        { field: "business_unit_id", operator: "eq", value: statement.business_unit_id },
        { field: "counterparty_unit_id", operator: "eq", value: statement.counterparty_unit_id },
      ],
    },
  });
  // The settlement rules that priced this page's entries, by key and version (staff read rules).
  const keys = [...new Set((tableProps.dataSource ?? []).flatMap((row) => (row.rule_key ? [row.rule_key] : [])))];
  const rules = useList<RuleName>({
    resource: "rules",
    filters: [{ field: "key", operator: "in", value: keys }],
    meta: { select: "key,version,name,name_en" },
    pagination: { mode: "off" },
    queryOptions: { enabled: keys.length > 0 },
    errorNotification: false,
  });
  const ruleName = (key: string, version: number | null) => {
    const found = (rules.result.data ?? []).find((r) => r.key === key && (version == null || r.version === version));
    return found ? localizedName(found, i18n.language) : null;
  };
  return (
    <Table<SettlementEntry>
      {...tableProps}
      size="small"
      rowKey="id"
      scroll={{ x: "max-content" }}
      locale={{ emptyText: t("settlement.drawer.none") }}
      aria-label={t("settlement.entries")}
      columns={[
        { key: "created_at", title: t("settlement.drawer.createdAt"), ...oneLineColumn, render: (_, row) => formatDateTime(row.created_at) },
        { key: "kind", title: t("settlement.drawer.eventKind"), ...oneLineColumn, render: (_, row) => eventKindLabel(t, row.event_kind) },
        { key: "ref", title: t("settlement.drawer.eventRef"), ...oneLineColumn, render: (_, row) => (row.event_ref ? <Typography.Text code translate="no">{row.event_ref}</Typography.Text> : "—") },
        { key: "amount", title: t("settlement.drawer.amount"), ...numberColumn, render: (_, row) => <Money fen={row.amount_fen} /> },
        {
          key: "rule",
          title: t("settlement.drawer.rule"),
          ...oneLineColumn,
          render: (_, row) =>
            row.rule_key ? (
              <Tooltip title={<span translate="no">{row.rule_key}</span>}>
                <span>
                  {ruleName(row.rule_key, row.rule_version) ?? <Typography.Text code translate="no">{row.rule_key}</Typography.Text>}
                  {row.rule_version != null && ` · ${t("settlement.drawer.ruleVersion", { version: row.rule_version })}`}
                </span>
              </Tooltip>
            ) : (
              t("settlement.drawer.defaultRule")
            ),
        },
        { key: "reverses", title: t("settlement.drawer.reverses"), ...oneLineColumn, render: (_, row) => (row.reverses_entry_id ? <Tag>#{row.reverses_entry_id}</Tag> : "—") },
        { key: "correction", title: t("settlement.drawer.correctionOf"), ...oneLineColumn, render: (_, row) => (row.correction_of_period ? monthLabel(row.correction_of_period) : "—") },
      ]}
    />
  );
}
