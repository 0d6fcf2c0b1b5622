import { DeleteButton, EditButton, List, ShowButton, useTable } from "@refinedev/antd";
import type { BaseRecord } from "@refinedev/core";
import { Space, Table } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { allProperties, orderedFields } from "../../forms/schema-properties";
import { fieldLabel } from "../../forms/localize";
import { formatDateTime } from "../../lib/format";
import { EntityFilters } from "../components/EntityFilters";
import { ExportButtons } from "../components/ExportButtons";
import { toCrudFilters, type FilterValues } from "../components/filters";
import { useEntityPage } from "../components/useEntityPage";
import { entityTitle, type EntityDefinition } from "../definitions";
import { resourceName } from "../entity-data-provider";
import { FieldValue } from "../format-value";
import { valueOf } from "../values";

/** Generated list: the definition's columns, sort, search, filters, pagination and export. */
export function EntityList() {
  const { definition, fallback } = useEntityPage();
  return definition ? <EntityListView key={definition.id} definition={definition} /> : fallback;
}

function EntityListView({ definition }: { definition: EntityDefinition }) {
  const { t, i18n } = useTranslation();
  const resource = resourceName(definition.key);
  const properties = allProperties(definition.schema);
  const { tableProps, searchFormProps, filters, sorters } = useTable<BaseRecord, { message: string; statusCode: number }, FilterValues>({
    resource,
    dataProviderName: "entities",
    sorters: { initial: [{ field: definition.default_sort.field, order: definition.default_sort.order }] },
    filters: { defaultBehavior: "replace" },
    onSearch: (values) => toCrudFilters(definition, values),
  });
  const columns = definition.list_columns.length ? definition.list_columns : orderedFields(definition.schema, definition.ui_schema).slice(0, 6);
  const show = (id: unknown) => `/e/${definition.key}/show/${id}`;

  return (
    <List
      title={entityTitle(definition, i18n.language)}
      headerButtons={({ defaultButtons }) => (
        <Space>
          <ExportButtons definition={definition} filters={filters} sorters={sorters} />
          {defaultButtons}
        </Space>
      )}
    >
      <EntityFilters definition={definition} formProps={searchFormProps} />
      <Table {...tableProps} rowKey="id" scroll={{ x: true }}>
        {columns.map((name, index) => (
          <Table.Column<BaseRecord>
            key={name}
            dataIndex={definition.source_table || name in properties === false ? name : ["data", name]}
            title={name === "created_at" ? t("builder.runtime.createdAt") : fieldLabel(properties[name], i18n.language, name)}
            sorter={{ multiple: 1 }}
            render={(_, record) => {
              const value = valueOf(definition, record, name);
              const text = name === "created_at" || name === "updated_at" ? formatDateTime(value as string) : (
                <FieldValue schema={properties[name]} fieldUi={definition.ui_schema[name]} value={value} language={i18n.language} t={t} />
              );
              return index === 0 ? <Link to={show(record.id)}>{text}</Link> : text;
            }}
          />
        ))}
        <Table.Column<BaseRecord>
          key="actions"
          title={t("common.actions")}
          render={(_, record) => (
            <Space>
              <ShowButton hideText size="small" resource={resource} recordItemId={record.id} />
              <EditButton hideText size="small" resource={resource} recordItemId={record.id} />
              <DeleteButton hideText size="small" resource={resource} recordItemId={record.id} dataProviderName="entities" />
            </Space>
          )}
        />
      </Table>
    </List>
  );
}
