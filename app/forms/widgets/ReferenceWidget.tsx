import type { WidgetProps } from "@rjsf/utils";
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import { useReferenceOptions } from "./use-reference-options";

/**
 * A row of a small reference table by id (uiSchema `ui:options.resource`: tiers, business_units).
 * Shows the localized name; stores the id.
 */
export function ReferenceWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, options, placeholder }: WidgetProps) {
  const { i18n } = useTranslation();
  const resource = String(options.resource ?? "business_units");
  const { rows, loading } = useReferenceOptions(resource);
  return (
    <Select
      id={id}
      allowClear
      showSearch
      optionFilterProp="label"
      loading={loading}
      style={{ width: "100%" }}
      placeholder={placeholder}
      disabled={disabled || readonly}
      value={value ?? undefined}
      options={rows.map((row) => ({ value: row.id, label: (i18n.language === "en" && row.name_en) || row.name }))}
      onChange={(next) => onChange(next ?? undefined)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}

/** A business unit of the group, by id. */
export function BusinessUnitWidget(props: WidgetProps) {
  return <ReferenceWidget {...props} options={{ ...props.options, resource: "business_units" }} />;
}
