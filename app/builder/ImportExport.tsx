import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { cleanEntitySettings, DEFAULT_ENTITY_SETTINGS, definitionToDoc, docToDefinition, type BuilderDoc, type EntitySettings } from "./model";

interface Exported extends Partial<EntitySettings> {
  key?: string;
  title?: string;
  title_en?: string | null;
  schema?: unknown;
  ui_schema?: Record<string, unknown>;
}

/** Export the definition as JSON (download) and import one (paste or file): the same shape as schemas/. */
export function ImportExport({ name, doc, entity, onImport }: { name: string; doc: BuilderDoc; entity: boolean; onImport: (doc: BuilderDoc) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");

  const exportJson = () => {
    const body: Exported = { key: name, title: doc.title, title_en: doc.title_en || null, ...docToDefinition(doc), ...(entity ? cleanEntitySettings(doc) : {}) };
    const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importJson = () => {
    try {
      const parsed = JSON.parse(text) as Exported;
      if (!parsed.schema || typeof parsed.schema !== "object" || (parsed.schema as { type?: string }).type !== "object") throw new Error(t("builder.importNeedsSchema"));
      const settings: EntitySettings | undefined = entity
        ? { ...DEFAULT_ENTITY_SETTINGS, ...Object.fromEntries(Object.entries(parsed).filter(([k]) => k in DEFAULT_ENTITY_SETTINGS)) }
        : undefined;
      onImport(definitionToDoc(parsed.schema as never, parsed.ui_schema ?? {}, { title: parsed.title ?? doc.title, title_en: parsed.title_en ?? doc.title_en, entity: settings }));
      setOpen(false);
      setText("");
    } catch (error) {
      void message.error(`${t("builder.importFailed")}: ${(error as Error).message}`);
    }
  };

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)}>{t("builder.import")}</Button>
      <Button icon={<DownloadOutlined />} onClick={exportJson}>{t("builder.export")}</Button>
      <Modal open={open} title={t("builder.importTitle")} onCancel={() => setOpen(false)} onOk={importJson} okText={t("builder.import")} destroyOnHidden>
        <input type="file" accept="application/json,.json" aria-label={t("builder.importFile")} style={{ marginBottom: 8 }}
          onChange={(e) => void e.target.files?.[0]?.text().then(setText)} />
        <Input.TextArea aria-label={t("builder.importJson")} rows={14} value={text} onChange={(e) => setText(e.target.value)} placeholder='{"schema": {"type": "object", ...}, "ui_schema": {...}}' />
      </Modal>
    </>
  );
}
