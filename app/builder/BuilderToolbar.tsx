import { CloudUploadOutlined, RedoOutlined, SaveOutlined, UndoOutlined } from "@ant-design/icons";
import { Button, Popconfirm, Space, Tag, Tooltip } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { definitionStatusLabel } from "../../core/enums/index.ts";
import { ImportExport } from "./ImportExport";
import type { useDefinitionEditor } from "./useDefinitionEditor";

/** Version state, undo/redo (also Ctrl+Z / Ctrl+Shift+Z), import/export, save draft, publish. */
export function BuilderToolbar({ editor, name, entity }: { editor: ReturnType<typeof useDefinitionEditor>; name: string; entity: boolean }) {
  const { t } = useTranslation();
  const { history, latest, dirty, busy, problems } = editor;
  const { undo, redo } = history;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z" || target?.closest("input, textarea, [contenteditable]")) return;
      event.preventDefault();
      if (event.shiftKey) redo();
      else undo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo]);

  const status = latest ? t(definitionStatusLabel(latest.status)) : t("builder.status.new");
  const nothingToPublish = !dirty && latest?.status === "published";
  return (
    <Space wrap>
      <Tag color={latest?.status === "published" ? "green" : latest?.status === "draft" ? "gold" : "default"} data-testid="builder-version">
        {latest ? `v${latest.version} · ${status}` : status}
      </Tag>
      {dirty && <Tag color="orange">{t(latest?.status === "draft" || !latest ? "builder.unsaved" : "builder.unsavedNewVersion", { version: (latest?.version ?? 0) + 1 })}</Tag>}
      <Tooltip title="Ctrl+Z">
        <Button icon={<UndoOutlined />} disabled={!history.canUndo} onClick={undo}>{t("builder.undo")}</Button>
      </Tooltip>
      <Tooltip title="Ctrl+Shift+Z">
        <Button icon={<RedoOutlined />} disabled={!history.canRedo} onClick={redo}>{t("builder.redo")}</Button>
      </Tooltip>
      <ImportExport name={name} doc={editor.doc} entity={entity} onImport={(doc) => history.set(() => doc)} />
      <Button icon={<SaveOutlined />} loading={busy} disabled={!dirty || problems.length > 0} onClick={() => void editor.save()}>{t("builder.saveDraft")}</Button>
      <Popconfirm
        title={t(editor.viaApproval ? "approvals.publishRequest.confirmTitle" : "builder.publishConfirm", { version: latest?.status === "draft" && !dirty ? latest.version : (latest?.version ?? 0) + 1 })}
        description={editor.viaApproval ? <div style={{ maxWidth: 320 }}>{t("approvals.publishRequest.confirmContent")}</div> : undefined}
        onConfirm={() => void editor.publish()}
        okText={t(editor.viaApproval ? "approvals.publishRequest.submit" : "builder.publish")}
        disabled={nothingToPublish || problems.length > 0}
      >
        <Button type="primary" icon={<CloudUploadOutlined />} loading={busy} disabled={nothingToPublish || problems.length > 0}>
          {t(editor.viaApproval ? "approvals.publishRequest.submit" : "builder.publish")}
        </Button>
      </Popconfirm>
    </Space>
  );
}
