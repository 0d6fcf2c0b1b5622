import { getDefaultSortOrder, List, useTable } from "@refinedev/antd";
import { useCan, type CrudFilter, type HttpError } from "@refinedev/core";
import { DownloadOutlined, MinusSquareOutlined, PlusSquareOutlined } from "@ant-design/icons";
import { App, Button, DatePicker, Form, Input, Select, Space, Switch, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { recordExport } from "../../data/exports/record-export";
import { formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { AuditEntry, BusinessUnit, StaffProfile } from "../../lib/types";
import { dataProvider } from "../../providers/data-provider";
import { downloadCsv, downloadXlsx } from "../../runtime/export";
import type { ApiKey } from "../api-keys/list";
import { auditDiff } from "./diff";
import { reasonText, recordLabel } from "./record-label";
import { oneLineColumn } from "../../components/table-columns";

const ACTION_COLORS: Record<AuditEntry["action"], string> = { INSERT: "green", UPDATE: "blue", DELETE: "red", EXPORT: "purple", CALL: "cyan" };
const ACTIONS = Object.keys(ACTION_COLORS) as AuditEntry["action"][];
/** The most rows one export writes. */
const EXPORT_MAX = 10_000;
const EXPORT_PAGE = 1_000;

/** The search form: fields named as the filters they make (refine's useTable fills them from the address). */
interface Search {
  actor_id?: string;
  api_key_id?: string;
  table_name?: string;
  action?: AuditEntry["action"];
  range?: [Dayjs, Dayjs] | null;
  record_id?: string;
}

/** The search as PostgREST filters: who (a user or a unit API key), what (table, action), when, which record. */
function searchFilters(search: Search): CrudFilter[] {
  const filters: CrudFilter[] = [];
  if (search.actor_id) filters.push({ field: "actor_id", operator: "eq", value: search.actor_id });
  if (search.api_key_id) filters.push({ field: "api_key_id", operator: "eq", value: search.api_key_id });
  if (search.table_name) filters.push({ field: "table_name", operator: "eq", value: search.table_name });
  if (search.action) filters.push({ field: "action", operator: "eq", value: search.action });
  if (search.range?.[0]) filters.push({ field: "at", operator: "gte", value: search.range[0].startOf("day").toISOString() });
  if (search.range?.[1]) filters.push({ field: "at", operator: "lt", value: search.range[1].add(1, "day").startOf("day").toISOString() });
  if (search.record_id?.trim()) filters.push({ field: "record_id", operator: "eq", value: search.record_id.trim() });
  return filters;
}

/** The search form's values from the filters kept in the address. */
function searchOf(filters: CrudFilter[]): Search {
  const value = (field: string, operator: string) =>
    filters.find((f) => "field" in f && f.field === field && f.operator === operator)?.value as string | undefined;
  const from = value("at", "gte");
  const to = value("at", "lt");
  return {
    actor_id: value("actor_id", "eq"),
    api_key_id: value("api_key_id", "eq"),
    table_name: value("table_name", "eq"),
    action: value("action", "eq") as AuditEntry["action"] | undefined,
    range: from && to ? [dayjs(from), dayjs(to).subtract(1, "day")] : null,
    record_id: value("record_id", "eq"),
  };
}

/** Before and after, field by field, the changed ones marked (or only those). */
function DiffView({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = useMemo(() => auditDiff(entry.before, entry.after), [entry.before, entry.after]);
  const [changedOnly, setChangedOnly] = useState(entry.action === "UPDATE");
  const shown = changedOnly ? rows.filter((row) => row.changed) : rows;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space>
        <Switch size="small" checked={changedOnly} onChange={setChangedOnly} aria-label={t("audit_log.explorer.diff.changedOnly")} />
        <span>{t("audit_log.explorer.diff.changedOnly")}</span>
      </Space>
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={shown}
        locale={{ emptyText: t("audit_log.explorer.diff.none") }}
        rowClassName={(row) => (row.changed ? "audit-diff-changed" : "")}
        columns={[
          { dataIndex: "field", title: t("audit_log.explorer.diff.field"), width: 200, render: (field: string) => <code>{field}</code> },
          {
            dataIndex: "before",
            title: t("audit_log.explorer.diff.before"),
            render: (value: string, row) => <code style={{ wordBreak: "break-all", background: row.changed && value ? "rgba(255,77,79,0.12)" : undefined }}>{value || "—"}</code>,
          },
          {
            dataIndex: "after",
            title: t("audit_log.explorer.diff.after"),
            render: (value: string, row) => <code style={{ wordBreak: "break-all", background: row.changed && value ? "rgba(82,196,26,0.15)" : undefined }}>{value || "—"}</code>,
          },
        ]}
      />
    </Space>
  );
}

/**
 * 审计日志: the append-only trail, searchable by who (a user or a unit API key), what (table, action), when
 * and which record; each row opens its before/after difference; the search exports to CSV or Excel (itself
 * audited). The search is kept in the address, so it can be shared.
 */
export function AuditLogList() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const units = useLookup<BusinessUnit>("business_units");
  const { data: seesKeys } = useCan({ resource: "api_keys", action: "list" });
  const keys = useLookup<ApiKey>("api_keys", "id", !!seesKeys?.can);
  const names = {
    staff: (id: string) => staff.map.get(id)?.display_name,
    unit: (id: string) => (units.map.has(id) ? localizedName(units.map.get(id), i18n.language) : undefined),
    language: i18n.language,
  };
  const { tableProps, sorters, filters, searchFormProps } = useTable<AuditEntry, HttpError, Search>({
    resource: "audit_log",
    sorters: { initial: [{ field: "at", order: "desc" }] },
    filters: { mode: "server", defaultBehavior: "replace" },
    syncWithLocation: true,
    onSearch: (values) => searchFilters(values),
  });
  const initial = useMemo(() => searchOf(filters), []); // eslint-disable-line react-hooks/exhaustive-deps

  const tables = useMemo(
    () => Object.keys(t("audit_log.tables", { returnObjects: true }) as Record<string, string>).map((key) => ({ value: key, label: t(`audit_log.tables.${key}`) })),
    [t],
  );
  const keyLabel = (id: string) => {
    const key = keys.map.get(id);
    return key ? `${key.name} · ${localizedName(units.map.get(key.business_unit_id), i18n.language)}` : t("apiKeys.apiKey");
  };
  const actorName = (entry: AuditEntry) => {
    const who = entry.actor_id ? names.staff(entry.actor_id) ?? t("audit_log.unknownActor") : t("audit_log.system");
    return entry.api_key_id ? `${who}（${t("audit_log.explorer.viaKey", { key: keyLabel(entry.api_key_id) })}）` : who;
  };
  const recordText = (entry: AuditEntry) =>
    entry.table_name === "api_calls" && entry.record_id
      ? [t(`apiKeys.calls.${entry.record_id}`, { defaultValue: t("audit_log.tables.api_calls") }), recordLabel(entry, t, names)].filter((x) => x && x !== "—").join(" · ")
      : recordLabel(entry, t, names);

  const exportAs = async (format: "csv" | "xlsx") => {
    setExporting(true);
    try {
      const current = filters;
      const rows: AuditEntry[] = [];
      for (let page = 1; rows.length < EXPORT_MAX; page++) {
        const { data, total } = await dataProvider.getList<AuditEntry>({
          resource: "audit_log",
          filters: current,
          sorters: [{ field: "at", order: "desc" }, { field: "id", order: "desc" }],
          pagination: { currentPage: page, pageSize: EXPORT_PAGE },
        });
        rows.push(...data);
        if (page === 1 && total > EXPORT_MAX) message.warning(t("audit_log.explorer.tooMany", { max: EXPORT_MAX }));
        if (data.length < EXPORT_PAGE) break;
      }
      const header = [
        { key: "at", header: t("audit_log.fields.at") },
        { key: "table", header: t("audit_log.fields.table_name") },
        { key: "action", header: t("audit_log.fields.action") },
        { key: "record", header: t("audit_log.fields.record_id") },
        { key: "record_id", header: t("audit_log.explorer.record") },
        { key: "actor", header: t("audit_log.fields.actor") },
        { key: "reason", header: t("audit_log.fields.reason") },
        { key: "before", header: t("audit_log.fields.before") },
        { key: "after", header: t("audit_log.fields.after") },
        { key: "chain", header: t("audit_log.explorer.chain") },
      ];
      const lines = rows.slice(0, EXPORT_MAX).map((entry) => ({
        at: dayjs(entry.at).format("YYYY-MM-DD HH:mm:ss"),
        table: t(`audit_log.tables.${entry.table_name}`, { defaultValue: entry.table_name }),
        action: t(`audit_log.actions.${entry.action}`),
        record: recordText(entry),
        record_id: entry.record_id ?? "",
        actor: actorName(entry),
        reason: reasonText(entry.reason, t),
        before: entry.before == null ? "" : JSON.stringify(entry.before),
        after: entry.after == null ? "" : JSON.stringify(entry.after),
        chain: entry.chain_seq == null ? t("audit_log.explorer.unsealed") : String(entry.chain_seq),
      }));
      await recordExport("audit_log", lines.length, format, current);
      const file = `${t("audit_log.explorer.exportFile")}-${dayjs().format("YYYYMMDD-HHmm")}`;
      if (format === "csv") downloadCsv(`${file}.csv`, header, lines);
      else await downloadXlsx(`${file}.xlsx`, t("audit_log.explorer.exportFile"), header, lines);
      message.success(t("audit_log.explorer.exported", { count: lines.length }));
    } catch (failure) {
      message.error(localizeRpcError(failure, t));
    } finally {
      setExporting(false);
    }
  };

  return (
    <List
      title={t("audit_log.titles.list")}
      canCreate={false}
      headerButtons={
        <Space>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => exportAs("csv")}>{t("audit_log.explorer.exportCsv")}</Button>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => exportAs("xlsx")}>{t("audit_log.explorer.exportXlsx")}</Button>
        </Space>
      }
    >
      <Form {...searchFormProps} layout="inline" initialValues={initial} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="actor_id" label={t("audit_log.explorer.actor")}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 180 }}
            placeholder={t("audit_log.explorer.actorPlaceholder")}
            options={staff.rows.map((s) => ({ value: s.user_id, label: s.display_name }))}
          />
        </Form.Item>
        {seesKeys?.can && (
          <Form.Item name="api_key_id" label={t("audit_log.explorer.apiKey")}>
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t("audit_log.explorer.apiKeyPlaceholder")}
              options={keys.rows.map((k) => ({ value: k.id, label: keyLabel(k.id) }))}
            />
          </Form.Item>
        )}
        <Form.Item name="table_name" label={t("audit_log.explorer.table")}>
          <Select allowClear showSearch optionFilterProp="label" style={{ width: 170 }} placeholder={t("audit_log.explorer.tablePlaceholder")} options={tables} />
        </Form.Item>
        <Form.Item name="action" label={t("audit_log.explorer.action")}>
          <Select allowClear style={{ width: 120 }} placeholder={t("audit_log.explorer.actionPlaceholder")} options={ACTIONS.map((a) => ({ value: a, label: t(`audit_log.actions.${a}`) }))} />
        </Form.Item>
        <Form.Item name="range" label={t("audit_log.explorer.range")}>
          <DatePicker.RangePicker allowEmpty={[false, false]} />
        </Form.Item>
        <Form.Item name="record_id" label={t("audit_log.explorer.record")}>
          <Input allowClear style={{ width: 220 }} placeholder={t("audit_log.explorer.recordPlaceholder")} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{t("audit_log.explorer.search")}</Button>
            <Button
              onClick={() => {
                searchFormProps.form?.setFieldsValue({ actor_id: undefined, api_key_id: undefined, table_name: undefined, action: undefined, range: undefined, record_id: undefined });
                searchFormProps.form?.submit();
              }}
            >
              {t("audit_log.explorer.reset")}
            </Button>
          </Space>
        </Form.Item>
      </Form>
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
          expandedRowRender: (entry: AuditEntry) => <DiffView entry={entry} />,
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
        <Table.Column<AuditEntry> dataIndex="record_id" title={t("audit_log.fields.record_id")} render={(_, entry) => recordText(entry)} />
        <Table.Column<AuditEntry> dataIndex="actor_id" title={t("audit_log.fields.actor")} render={(_, entry) => actorName(entry)} />
        <Table.Column dataIndex="reason" title={t("audit_log.fields.reason")} render={(v: string | null) => reasonText(v, t)} />
        <Table.Column<AuditEntry>
          dataIndex="chain_seq"
          title={t("audit_log.explorer.chain")}
          render={(seq: number | null) => <Typography.Text type="secondary">{seq ?? t("audit_log.explorer.unsealed")}</Typography.Text>}
        />
      </Table>
    </List>
  );
}
