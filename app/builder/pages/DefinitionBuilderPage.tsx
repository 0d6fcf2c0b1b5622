import { useCan } from "@refinedev/core";
import { Alert, Button, Card, Result, Spin, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { BuilderToolbar } from "../BuilderToolbar";
import { BuilderWorkbench } from "../BuilderWorkbench";
import type { DefinitionKind } from "../data";
import { useDefinitionEditor } from "../useDefinitionEditor";

/** Keys of the member form that map to columns of `members`: they stay (label and rules may change). */
const LOCKED: Record<string, string[]> = { "forms:member": ["name", "phone", "email", "birthday", "gender", "tags"] };

/** `/builder/forms/:key` and `/builder/entities/:key`. */
export function DefinitionBuilderPage({ kind }: { kind: DefinitionKind }) {
  const { t } = useTranslation();
  const { key = "" } = useParams();
  const { data: can, isLoading } = useCan({ resource: kind === "forms" ? "form_definitions" : "builder", action: "edit" });
  if (isLoading) return <Spin style={{ margin: 48 }} />;
  if (!can?.can) return <Result status="403" title="403" subTitle={t("common.forbidden")} />;
  return <Builder key={`${kind}:${key}`} kind={kind} name={key} />;
}

function Builder({ kind, name }: { kind: DefinitionKind; name: string }) {
  const { t, i18n } = useTranslation();
  const editor = useDefinitionEditor(kind, name);
  const title = (i18n.language === "en" && editor.doc.title_en) || editor.doc.title || name;
  const lockedKeys = useMemo(() => new Set(LOCKED[`${kind}:${name}`] ?? []), [kind, name]);
  const builtIn = kind === "entities" && !!editor.latest?.source_table;
  if (!editor.loaded) return <Spin style={{ margin: 48 }} />;
  // a new entity is saved as a draft when it is created, so an address without one names nothing
  if (!editor.exists)
    return <Result status="404" title="404" subTitle={t("builder.notFound")} extra={<Link to="/builder"><Button type="primary">{t("builder.backToBuilder")}</Button></Link>} />;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(kind === "forms" ? "builder.formTitle" : "builder.entityTitle", { title })} <Typography.Text type="secondary" code>{name}</Typography.Text>
        </Typography.Title>
      }
      extra={<BuilderToolbar editor={editor} name={name} entity={kind === "entities"} />}
    >
      {editor.latest?.status === "published" && editor.dirty && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("builder.newVersionHint", { version: editor.latest.version, next: editor.latest.version + 1 })} />
      )}
      {builtIn && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t("builder.builtInHint")} />}
      {editor.problems.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={editor.problems.map((p) => t(`builder.problems.${p.problem}`)).filter((v, i, a) => a.indexOf(v) === i).join("；")} />
      )}
      <BuilderWorkbench editor={editor} entity={kind === "entities"} lockedKeys={lockedKeys} />
    </Card>
  );
}
