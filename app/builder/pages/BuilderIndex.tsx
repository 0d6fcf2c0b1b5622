import { useCan } from "@refinedev/core";
import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Space, Table, Tag } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { definitionStatusLabel } from "../../../core/enums/index.ts";
import { loadLatest, type DefinitionKind, type DefinitionRow } from "../data";
import { NewEntityModal } from "../NewEntityModal";

const STATUS_COLOR = { draft: "gold", published: "green", archived: "default" } as const;

function Definitions({ kind, rows }: { kind: DefinitionKind; rows: DefinitionRow[] | null }) {
  const { t, i18n } = useTranslation();
  return (
    <Table<DefinitionRow> rowKey="key" size="small" loading={!rows} dataSource={rows ?? []} pagination={false}>
      <Table.Column<DefinitionRow> dataIndex="title" title={t("builder.name")} render={(title: string, row) => (
        <Link to={`/builder/${kind}/${row.key}`}>{(i18n.language === "en" && row.title_en) || title}</Link>
      )} />
      <Table.Column dataIndex="key" title={t("builder.key")} render={(key: string) => <code>{key}</code>} />
      <Table.Column<DefinitionRow> dataIndex="version" title={t("builder.latestVersion")} render={(v: number, row) => (
        <Space><span>v{v}</span><Tag color={STATUS_COLOR[row.status]}>{t(definitionStatusLabel(row.status))}</Tag></Space>
      )} />
      {kind === "entities" && (
        <Table.Column<DefinitionRow> key="open" render={(_, row) => row.status !== "draft" && <Link to={`/e/${row.key}`}>{t("builder.openPages")}</Link>} />
      )}
    </Table>
  );
}

/** `/builder`: the forms drafters design, and for administrators the entities and a way to add one. */
export function BuilderIndex() {
  const { t } = useTranslation();
  const [forms, setForms] = useState<DefinitionRow[] | null>(null);
  const [entities, setEntities] = useState<DefinitionRow[] | null>(null);
  const [creating, setCreating] = useState(false);
  const { data: entityRights } = useCan({ resource: "builder", action: "create" });
  useEffect(() => {
    void loadLatest("forms").then(setForms);
    void loadLatest("entities").then(setEntities);
  }, []);
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      {entityRights?.can && (
        <Card title={t("builder.entities")} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t("builder.newEntity")}</Button>}>
          <Definitions kind="entities" rows={entities} />
        </Card>
      )}
      <Card title={t("builder.forms")}>
        <Definitions kind="forms" rows={forms} />
      </Card>
      <NewEntityModal open={creating} onClose={() => setCreating(false)} existing={new Set(entities?.map((e) => e.key))} />
    </Space>
  );
}
