import { Show } from "@refinedev/antd";
import { useOne, type BaseRecord } from "@refinedev/core";
import { Descriptions, Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { formatDateTime } from "../../lib/format";
import { useEntityPage } from "../components/useEntityPage";
import { entityTitle, useDefinitionVersion, type EntityDefinition } from "../definitions";
import { resourceName } from "../entity-data-provider";
import { SchemaFields } from "../SchemaFields";
import { dataOf } from "../values";

/** Generated detail page: the record shown with the schema of the version it was saved with. */
export function EntityShow() {
  const { definition, fallback } = useEntityPage();
  return definition ? <EntityShowView key={definition.id} definition={definition} /> : fallback;
}

function EntityShowView({ definition }: { definition: EntityDefinition }) {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const { result: record, query } = useOne<BaseRecord>({ resource: resourceName(definition.key), id, dataProviderName: "entities" });
  const version = (record?.entity_version as number | undefined) ?? definition.version;
  const own = useDefinitionVersion<EntityDefinition>("entity_definitions", definition.key, version === definition.version ? null : version);
  const shownWith = version === definition.version ? definition : own;

  return (
    <Show
      resource={resourceName(definition.key)}
      recordItemId={id}
      dataProviderName="entities"
      title={entityTitle(definition, i18n.language)}
      isLoading={query.isLoading || !shownWith}
    >
      {record && shownWith && (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <SchemaFields schema={shownWith.schema} uiSchema={shownWith.ui_schema} data={dataOf(definition, record)} />
          <Descriptions size="small" column={3}>
            {!definition.source_table && (
              <Descriptions.Item label={t("builder.runtime.version")}>
                <Tag>v{version}</Tag>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t("builder.runtime.createdAt")}>{formatDateTime(record.created_at as string)}</Descriptions.Item>
            <Descriptions.Item label={t("builder.runtime.updatedAt")}>{formatDateTime(record.updated_at as string)}</Descriptions.Item>
          </Descriptions>
        </Space>
      )}
    </Show>
  );
}
