import { Button, DatePicker, Form, Input, InputNumber, Select, Space, type FormProps } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { allProperties } from "../../forms/schema-properties";
import { enumLabels, fieldLabel } from "../../forms/localize";
import { useReferenceOptions } from "../../forms/widgets/use-reference-options";
import type { EntityDefinition } from "../definitions";
import { typeOf } from "./filters";

function ReferenceSelect({ resource, ...props }: { resource: string; value?: string; onChange?: (v: string) => void; placeholder: string }) {
  const { i18n } = useTranslation();
  const { rows } = useReferenceOptions(resource);
  return (
    <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} {...props}
      options={rows.map((r) => ({ value: r.id, label: (i18n.language === "en" && r.name_en) || r.name }))} />
  );
}

/** How a page shows its search box: "large" for a lookup page (members), with a hint below. */
export interface SearchOptions {
  size?: "middle" | "large";
  hint?: string;
}

/** "Search by member no., name or mobile": the search fields' labels in the language. */
function searchPlaceholder(definition: EntityDefinition, language: string, t: TFunction) {
  const properties = allProperties(definition.schema);
  const labels = definition.search_fields.map((name) => fieldLabel(properties[name], language, name));
  const fields = labels.length > 1 ? `${labels.slice(0, -1).join(t("builder.runtime.listSeparator"))}${t("builder.runtime.lastSeparator")}${labels.at(-1)}` : labels[0];
  return t("builder.runtime.searchBy", { fields });
}

/** Search box plus one control per filter field of the definition, wired to useTable's searchFormProps. */
export function EntityFilters({ definition, formProps, search = {} }: { definition: EntityDefinition; formProps: FormProps; search?: SearchOptions }) {
  const { t, i18n } = useTranslation();
  const properties = allProperties(definition.schema);
  const placeholder = searchPlaceholder(definition, i18n.language, t);
  const large = search.size === "large";
  const control = (name: string, label: string) => {
    const type = typeOf(definition, name);
    const ui = definition.ui_schema[name];
    const { control } = type.filter;
    if (control === "options") {
      const labels = enumLabels(properties[name], ui, i18n.language);
      return <Select allowClear placeholder={label} aria-label={label} style={{ width: 160 }} options={[...labels].map(([value, l]) => ({ value: value as string, label: l }))} />;
    }
    if (control === "yesNo")
      return <Select allowClear placeholder={label} aria-label={label} style={{ width: 120 }} options={[{ value: true, label: t("common.yes") }, { value: false, label: t("common.no") }]} />;
    if (control === "numberRange") return <NumberRange label={label} />;
    if (control === "dateRange") return <DatePicker.RangePicker aria-label={label} />;
    if (control === "reference") {
      const resource = String(type.references?.((ui ?? {}) as Record<string, unknown>));
      return <ReferenceSelect resource={resource} placeholder={label} />;
    }
    return <Input allowClear placeholder={label} aria-label={label} style={{ width: 160 }} />;
  };
  return (
    <Form {...formProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
      {definition.search_fields.length > 0 && (
        <Form.Item name="q" extra={search.hint} style={large ? { width: 640, maxWidth: "100%" } : undefined}>
          <Input.Search
            allowClear
            size={search.size}
            enterButton={large}
            autoFocus={large}
            placeholder={placeholder}
            aria-label={placeholder}
            style={large ? undefined : { width: 300 }}
            onSearch={() => formProps.form?.submit()}
          />
        </Form.Item>
      )}
      {definition.filter_fields.map((name) => {
        const label = fieldLabel(properties[name], i18n.language, name);
        return (
          <Form.Item key={name} name={name} label={label}>
            {control(name, label)}
          </Form.Item>
        );
      })}
      {definition.filter_fields.length > 0 && (
        <Form.Item>
          <Space>
            <Button htmlType="submit">{t("builder.runtime.applyFilters")}</Button>
            <Button onClick={() => { formProps.form?.resetFields(); formProps.form?.submit(); }}>{t("builder.runtime.resetFilters")}</Button>
          </Space>
        </Form.Item>
      )}
    </Form>
  );
}

function NumberRange({ label, value, onChange }: { label: string; value?: [number | null, number | null]; onChange?: (v: [number | null, number | null]) => void }) {
  const [from, to] = value ?? [null, null];
  return (
    <Space.Compact>
      <InputNumber aria-label={`${label} ≥`} placeholder="≥" value={from} onChange={(v) => onChange?.([v as number | null, to])} style={{ width: 100 }} />
      <InputNumber aria-label={`${label} ≤`} placeholder="≤" value={to} onChange={(v) => onChange?.([from, v as number | null])} style={{ width: 100 }} />
    </Space.Compact>
  );
}
