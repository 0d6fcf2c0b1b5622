import { getDefaultSortOrder, List, useTable } from "@refinedev/antd";
import { MinusSquareOutlined, PlusSquareOutlined } from "@ant-design/icons";
import { Button, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { JsonBlock } from "../../components/JsonBlock";
import { useLookup } from "../../components/useLookup";
import { formatDateTime, localizedName } from "../../lib/format";
import type { AuditEntry, BusinessUnit, StaffProfile } from "../../lib/types";
import { reasonText, recordLabel } from "./record-label";
import { oneLineColumn } from "../../components/table-columns";

const ACTION_COLORS: Record<AuditEntry["action"], string> = { INSERT: "green", UPDATE: "blue", DELETE: "red" };

/** Append-only change trail, newest first; expand a row for its before/after images. */
export function AuditLogList() {
  const { t, i18n } = useTranslation();
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const units = useLookup<BusinessUnit>("business_units");
  const names = {
    staff: (id: string) => staff.map.get(id)?.display_name,
    unit: (id: string) => (units.map.has(id) ? localizedName(units.map.get(id), i18n.language) : undefined),
    language: i18n.language,
  };
  const { tableProps, sorters } = useTable<AuditEntry>({
    resource: "audit_log",
    sorters: { initial: [{ field: "at", order: "desc" }] },
  });

  const actorName = (id: string | null) => {
    if (!id) return t("audit_log.system");
    return names.staff(id) ?? t("audit_log.unknownActor");
  };

  return (
    <List title={t("audit_log.titles.list")} canCreate={false}>
      <Table
        {...tableProps}
        rowKey="id"
        expandable={{
          expandIcon: ({ expanded, onExpand, record }) => (
            <Button
              size="small"
              type="text"
              aria-expanded={expanded}
              aria-label={t(expanded ? "audit_log.hideChanges" : "audit_log.showChanges")}
              icon={expanded ? <MinusSquareOutlined /> : <PlusSquareOutlined />}
              onClick={(event) => onExpand(record, event)}
            />
          ),
          expandedRowRender: (entry: AuditEntry) => (
            <div style={{ display: "flex", gap: 16 }}>
              <JsonBlock title={t("audit_log.fields.before")} value={entry.before} />
              <JsonBlock title={t("audit_log.fields.after")} value={entry.after} />
            </div>
          ),
        }}
      >
        <Table.Column<AuditEntry>
          dataIndex="at"
          title={t("audit_log.fields.at")}
          {...oneLineColumn}
          sorter
          defaultSortOrder={getDefaultSortOrder("at", sorters)}
          render={(value: string) => formatDateTime(value)}
        />
        <Table.Column dataIndex="table_name" title={t("audit_log.fields.table_name")} {...oneLineColumn} render={(table: string) => t(`audit_log.tables.${table}`)} />
        <Table.Column<AuditEntry>
          dataIndex="action"
          title={t("audit_log.fields.action")}
          render={(action: AuditEntry["action"]) => <Tag color={ACTION_COLORS[action]}>{t(`audit_log.actions.${action}`)}</Tag>}
        />
        <Table.Column<AuditEntry>
          dataIndex="record_id"
          title={t("audit_log.fields.record_id")}
          render={(_, entry) => recordLabel(entry, t, names)}
        />
        <Table.Column<AuditEntry> dataIndex="actor_id" title={t("audit_log.fields.actor")} render={actorName} />
        <Table.Column dataIndex="reason" title={t("audit_log.fields.reason")} render={(v: string | null) => reasonText(v, t)} />
      </Table>
    </List>
  );
}
