import { DeleteButton, EditButton, List, ShowButton, useTable } from "@refinedev/antd";
import { useCan, useResourceParams, type BaseRecord } from "@refinedev/core";
import { Space, Table } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { allProperties, orderedFields } from "../../forms/schema-properties";
import { fieldLabel } from "../../forms/localize";
import { formatDateTime } from "../../lib/format";
import { EntityFilters, type SearchOptions } from "../components/EntityFilters";
import { ExportButtons } from "../components/ExportButtons";
import { toCrudFilters, type FilterValues } from "../components/filters";
import { useEntityPage } from "../components/useEntityPage";
import { entityTitle, type EntityDefinition } from "../definitions";
import { entityRoute } from "../entity-route";
import { FieldValue } from "../format-value";
import { valueOf } from "../values";

/** Generated list of the page's entity (`/e/:entity`). */
export function EntityList() {
  const { definition, fallback } = useEntityPage();
  return definition ? <EntityListView key={definition.id} definition={definition} /> : fallback;
}

export interface EntityListProps {
  definition: EntityDefinition;
  /** The page's heading; the entity's title when omitted. */
  title?: string;
  search?: SearchOptions;
  /** The create button's text; "新建" when omitted. */
  createLabel?: string;
}

/** Generated list: the definition's columns, sort, search, filters, pagination and export. */
export function EntityListView({ definition, title, search, createLabel }: EntityListProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { resource, dataProviderName, path } = entityRoute(definition);
  const { resource: resourceItem } = useResourceParams({ resource });
  const params = { resource: resourceItem };
  const { data: canEdit } = useCan({ resource, action: "edit", params });
  const { data: canDelete } = useCan({ resource, action: "delete", params });
  const hasShow = !!resourceItem?.show;
  const properties = allProperties(definition.schema);
  const { tableProps, searchFormProps, filters, sorters } = useTable<BaseRecord, { message: string; statusCode: number }, FilterValues>({
    resource,
    dataProviderName,
    sorters: { initial: [{ field: definition.default_sort.field, order: definition.default_sort.order }] },
    filters: { defaultBehavior: "replace" },
    onSearch: (values) => toCrudFilters(definition, values),
  });
  const columns = definition.list_columns.length ? definition.list_columns : orderedFields(definition.schema, definition.ui_schema).slice(0, 6);
  const show = (id: unknown) => `${path}/show/${id}`;
  const actions = hasShow || canEdit?.can || (resourceItem?.meta?.canDelete && canDelete?.can);

  return (
    <List
      resource={resource}
      title={title ?? entityTitle(definition, i18n.language)}
      createButtonProps={createLabel ? { children: createLabel } : undefined}
      headerButtons={({ defaultButtons }) => (
        <Space>
          <ExportButtons definition={definition} filters={filters} sorters={sorters} />
          {defaultButtons}
        </Space>
      )}
    >
      <EntityFilters definition={definition} formProps={searchFormProps} search={search} />
      <Table
        {...tableProps}
        rowKey="id"
        scroll={{ x: true }}
        onRow={hasShow ? (record) => ({ onClick: () => navigate(show(record.id)), style: { cursor: "pointer" } }) : undefined}
      >
        {columns.map((name, index) => (
          <Table.Column<BaseRecord>
            key={name}
            dataIndex={definition.source_table || name in properties === false ? name : ["data", name]}
            title={name === "created_at" && !properties[name] ? t("builder.runtime.createdAt") : fieldLabel(properties[name], i18n.language, name)}
            sorter={{ multiple: 1 }}
            render={(_, record) => {
              const value = valueOf(definition, record, name);
              const text = name === "created_at" || name === "updated_at" ? formatDateTime(value as string) : (
                <FieldValue schema={properties[name]} fieldUi={definition.ui_schema[name]} value={value} language={i18n.language} t={t} />
              );
              return index === 0 && hasShow ? <Link to={show(record.id)} onClick={(event) => event.stopPropagation()}>{text}</Link> : text;
            }}
          />
        ))}
        {actions && (
          <Table.Column<BaseRecord>
            key="actions"
            title={t("common.actions")}
            render={(_, record) => (
              <Space onClick={(event) => event.stopPropagation()}>
                {hasShow && <ShowButton hideText size="small" resource={resource} recordItemId={record.id} />}
                <EditButton hideText size="small" resource={resource} recordItemId={record.id} />
                {resourceItem?.meta?.canDelete && <DeleteButton hideText size="small" resource={resource} recordItemId={record.id} dataProviderName={dataProviderName} />}
              </Space>
            )}
          />
        )}
      </Table>
    </List>
  );
}
