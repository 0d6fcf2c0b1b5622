import type { RJSFSchema } from "@rjsf/utils";
import { Descriptions, Skeleton } from "antd";
import { useTranslation } from "react-i18next";
import { allProperties, orderedFields } from "../forms/schema-properties";
import type { UiSchema } from "../forms/layout";
import { fieldLabel } from "../forms/localize";
import { FieldValue } from "./format-value";

export interface SchemaFieldsProps {
  /** The JSON Schema the data was saved with (its own version: old records display as they were made); undefined while it loads. */
  schema?: RJSFSchema;
  uiSchema?: UiSchema;
  data: Record<string, unknown> | null | undefined;
  /** Only these fields (e.g. a member's custom fields); default: every field of the schema. */
  fields?: string[];
  /** Show schema fields that have no value ("—"); default true. */
  showEmpty?: boolean;
  column?: number;
  title?: string;
}

/**
 * Read-only display of form data by its schema: labels in the current language, options by label,
 * money as ¥, references by name. Keys the schema does not know (from another version) still show,
 * under their key. For detail pages and the member 360 page (`members.custom` with the member form).
 */
export function SchemaFields({ schema, uiSchema, data, fields, showEmpty = true, column = 2, title }: SchemaFieldsProps) {
  const { t, i18n } = useTranslation();
  // labels come from the schema the data was saved with: while it loads there are none to show, not keys
  if (!schema) return <Skeleton active title={!!title} paragraph={{ rows: 1 }} />;
  const properties = allProperties(schema);
  const values = data ?? {};
  const names = fields ?? [
    ...orderedFields(schema, uiSchema),
    ...Object.keys(values).filter((k) => !(k in properties)),
  ];
  const shown = names.filter((name) => showEmpty || (values[name] !== undefined && values[name] !== null && values[name] !== ""));
  return (
    <Descriptions title={title} column={{ xs: 1, md: Math.min(column, 2), xl: column }} size="small" bordered>
      {shown.map((name) => (
        <Descriptions.Item key={name} label={fieldLabel(properties[name], i18n.language, name)}>
          <FieldValue schema={properties[name]} fieldUi={uiSchema?.[name]} value={values[name]} language={i18n.language} t={t} />
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
