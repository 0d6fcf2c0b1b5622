import { App } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePublishSettings, useRequestPublish } from "../data/definitions/publish-approval";
import { localizeRpcError } from "../lib/rpc-errors";
import { refreshEntities } from "../runtime/definitions";
import { contentOf, loadVersions, publish, saveDraft, type DefinitionKind, type DefinitionRow } from "./data";
import { useHistory } from "./history";
import { DEFAULT_ENTITY_SETTINGS, definitionToDoc, docProblems, docToDefinition, emptyDoc, type BuilderDoc, type EntitySettings } from "./model";
import { useWarnWhenUnsaved } from "./useWarnWhenUnsaved";

const settingsOf = (row: DefinitionRow): EntitySettings => ({
  list_columns: row.list_columns ?? [],
  search_fields: row.search_fields ?? [],
  filter_fields: row.filter_fields ?? [],
  default_sort: row.default_sort ?? DEFAULT_ENTITY_SETTINGS.default_sort,
  permissions: { ...DEFAULT_ENTITY_SETTINGS.permissions, ...(row.permissions ?? {}) },
});

export const docOfRow = (kind: DefinitionKind, row: DefinitionRow) =>
  definitionToDoc(row.schema, row.ui_schema, { title: row.title, title_en: row.title_en, entity: kind === "entities" ? settingsOf(row) : undefined });

/**
 * Loads the newest version of a form or entity into an undoable builder document, and saves it as a
 * draft (a new version n+1 when the newest is published) or publishes it.
 */
export function useDefinitionEditor(kind: DefinitionKind, key: string) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [empty] = useState(() => emptyDoc(kind === "entities"));
  const history = useHistory<BuilderDoc>(empty);
  const [versions, setVersions] = useState<DefinitionRow[] | null>(null);
  const [saved, setSaved] = useState<BuilderDoc>(empty);
  const [busy, setBusy] = useState(false);
  const latest = versions?.[0];
  const { reset } = history;
  const { needsApproval } = usePublishSettings();
  /** Forms can be published through approval (by the setting, or always for drafters other than administrators). */
  const viaApproval = kind === "forms" && needsApproval("form");
  const requestPublish = useRequestPublish("form", key);

  useEffect(() => {
    let live = true;
    void loadVersions(kind, key).then((rows) => {
      if (!live) return;
      setVersions(rows);
      if (rows[0]) {
        const doc = docOfRow(kind, rows[0]);
        reset(doc);
        setSaved(doc);
      }
    }, (error: Error) => void message.error(error.message));
    return () => {
      live = false;
    };
  }, [kind, key, reset, message]);

  const doc = history.value;
  const definition = useMemo(() => docToDefinition(doc), [doc]);
  const problems = useMemo(() => docProblems(doc, kind === "entities"), [doc, kind]);
  const dirty = doc !== saved;
  useWarnWhenUnsaved(dirty);

  const save = useCallback(async (): Promise<DefinitionRow | undefined> => {
    if (problems.length) {
      void message.error(t("builder.fixProblems"));
      return undefined;
    }
    setBusy(true);
    try {
      const row = await saveDraft(kind, key, contentOf(kind, doc), latest);
      setVersions((rows) => [row, ...(rows ?? []).filter((r) => r.id !== row.id)]);
      setSaved(doc);
      void message.success(t("builder.savedDraft", { version: row.version }));
      return row;
    } catch (error) {
      void message.error((error as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [problems, doc, kind, key, latest, message, t]);

  const publishLatest = useCallback(async () => {
    const draft = dirty || latest?.status !== "draft" ? await save() : latest;
    if (!draft) return;
    setBusy(true);
    try {
      if (viaApproval) {
        await requestPublish.mutateAsync({ version: draft.version, idempotencyKey: `publish:${key}:${draft.version}:${crypto.randomUUID()}` });
        void message.success(t("approvals.publishRequest.submitted"));
        return;
      }
      const row = await publish(kind, key, draft.version);
      setVersions(await loadVersions(kind, key));
      setSaved(doc);
      if (kind === "entities") await refreshEntities();
      void message.success(t("builder.published", { version: row.version }));
    } catch (error) {
      void message.error(localizeRpcError(error, t));
    } finally {
      setBusy(false);
    }
  }, [dirty, latest, save, kind, key, doc, message, t, viaApproval, requestPublish]);

  return {
    history, doc, definition, problems, versions, latest, dirty, busy, save, publish: publishLatest, viaApproval,
    loaded: versions !== null, exists: !!versions?.length,
  };
}
