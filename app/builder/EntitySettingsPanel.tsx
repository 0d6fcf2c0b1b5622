import { Card, Checkbox, Form, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { GRANTABLE_ROLES as ROLES, roleLabel, type Role } from "../../core/enums/index.ts";
import { DEFAULT_ENTITY_SETTINGS, type BuilderDoc, type EntitySettings } from "./model";
const ACTIONS = ["list", "create", "edit", "delete"] as const;

/** List columns, search and filter fields, default sort and who may do what (admins always may). */
export function EntitySettingsPanel({ doc, onChange }: { doc: BuilderDoc; onChange: (settings: EntitySettings, prop: string) => void }) {
  const { t } = useTranslation();
  const settings = doc.entity ?? DEFAULT_ENTITY_SETTINGS;
  const fields = doc.fields.filter((f) => f.type !== "section").map((f) => ({ value: f.key, label: f.title || f.key }));
  const withSystem = [...fields, { value: "created_at", label: t("builder.runtime.createdAt") }];
  const set = (patch: Partial<EntitySettings>, prop: string) => onChange({ ...settings, ...patch }, prop);
  return (
    <Card size="small" title={t("builder.entity.title")}>
      <Form layout="vertical" size="small" component="div">
        <Form.Item label={t("builder.entity.listColumns")} htmlFor="entity-columns">
          <Select id="entity-columns" mode="multiple" value={settings.list_columns} options={withSystem} onChange={(v) => set({ list_columns: v }, "list_columns")} />
        </Form.Item>
        <Form.Item label={t("builder.entity.searchFields")} htmlFor="entity-search">
          <Select id="entity-search" mode="multiple" value={settings.search_fields} options={fields} onChange={(v) => set({ search_fields: v }, "search_fields")} />
        </Form.Item>
        <Form.Item label={t("builder.entity.filterFields")} htmlFor="entity-filters">
          <Select id="entity-filters" mode="multiple" value={settings.filter_fields} options={fields} onChange={(v) => set({ filter_fields: v }, "filter_fields")} />
        </Form.Item>
        <Form.Item label={t("builder.entity.defaultSort")} htmlFor="entity-sort">
          <Space.Compact style={{ width: "100%" }}>
            <Select id="entity-sort" style={{ flex: 1 }} value={settings.default_sort.field} options={withSystem}
              onChange={(field) => set({ default_sort: { ...settings.default_sort, field } }, "sort")} />
            <Select aria-label={t("builder.entity.sortOrder")} style={{ width: 96 }} value={settings.default_sort.order}
              onChange={(order) => set({ default_sort: { ...settings.default_sort, order } }, "sort")}
              options={[{ value: "asc", label: t("builder.entity.asc") }, { value: "desc", label: t("builder.entity.desc") }]} />
          </Space.Compact>
        </Form.Item>
        {ACTIONS.map((action) => (
          <Form.Item key={action} label={t(`builder.entity.can.${action}`)} style={{ marginBottom: 8 }}>
            <Checkbox.Group value={settings.permissions[action]} aria-label={t(`builder.entity.can.${action}`)}
              onChange={(roles) => set({ permissions: { ...settings.permissions, [action]: roles as Role[] } }, `perm-${action}`)}
              options={ROLES.map((role) => ({ value: role, label: t(roleLabel(role)) }))} />
          </Form.Item>
        ))}
      </Form>
    </Card>
  );
}
