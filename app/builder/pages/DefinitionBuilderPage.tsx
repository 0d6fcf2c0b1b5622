import { Alert, Card, Spin, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useParams } from "react-router";
import { BuilderToolbar } from "../BuilderToolbar";
import { BuilderWorkbench } from "../BuilderWorkbench";
import type { DefinitionKind } from "../data";
import { useDefinitionEditor } from "../useDefinitionEditor";

/** Keys of the member form that map to columns of `members`: they stay (label and rules may change). */
const LOCKED: Record<string, string[]> = { "forms:member": ["name", "phone", "email", "birthday", "gender", "tags"] };

/** `/builder/forms/:key` and `/builder/entities/:key`. */
export function DefinitionBuilderPage({ kind }: { kind: DefinitionKind }) {
  const { key = "" } = useParams();
  const state = useLocation().state as { title?: string; title_en?: string } | null;
  return <Builder key={`${kind}:${key}`} kind={kind} name={key} initial={state?.title ? { title: state.title, title_en: state.title_en ?? "" } : undefined} />;
}

function Builder({ kind, name, initial }: { kind: DefinitionKind; name: string; initial?: { title: string; title_en: string } }) {
  const { t, i18n } = useTranslation();
  const editor = useDefinitionEditor(kind, name, initial);
  const title = (i18n.language === "en" && editor.doc.title_en) || editor.doc.title || name;
  const lockedKeys = useMemo(() => new Set(LOCKED[`${kind}:${name}`] ?? []), [kind, name]);
  const builtIn = kind === "entities" && !!editor.latest?.source_table;
  if (!editor.loaded) return <Spin style={{ margin: 48 }} />;
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
