import { Create, Edit } from "@refinedev/antd";
import { useForm, type BaseRecord, type HttpError } from "@refinedev/core";
import type { ErrorSchema } from "@rjsf/utils";
import { Alert, Form } from "antd";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AUDIT_REASON_FIELD, AuditReasonField } from "../../components/AuditReasonField";
import { SchemaForm } from "../../forms/SchemaForm";
import { localizeRpcError } from "../../lib/rpc-errors";
import { dbErrorsToErrorSchema } from "../db-errors";
import { entityTitle, type EntityDefinition } from "../definitions";
import { entityRoute } from "../entity-route";
import { columnsOf, dataOf } from "../values";

export interface EntityFormProps {
  definition: EntityDefinition;
  action: "create" | "edit";
  id?: string;
  /** The page's heading; "新建 · <entity>" / "编辑 · <entity>" when omitted. */
  title?: string;
  /** Ask why (master data): the answer is stored in the audit trail with the change. */
  askReason?: boolean;
}

/** Fields the entity's uiSchema marks `ui:options.fixedAfterCreate` (codes others refer to) are read-only when editing. */
function uiSchemaFor(definition: EntityDefinition, action: "create" | "edit") {
  if (action === "create") return definition.ui_schema;
  const ui = { ...definition.ui_schema };
  for (const [field, fieldUi] of Object.entries(ui)) {
    const options = (fieldUi as { "ui:options"?: { fixedAfterCreate?: boolean } } | undefined)?.["ui:options"];
    if (options?.fixedAfterCreate) ui[field] = { ...(fieldUi as object), "ui:readonly": true };
  }
  return ui;
}

/**
 * Generated create/edit page: the published version's form, validated in the browser (ajv) and again
 * by the database; a refusal from the database shows inline under the fields it names.
 */
export function EntityForm({ definition, action, id, title, askReason }: EntityFormProps) {
  const { t, i18n } = useTranslation();
  const { resource, dataProviderName } = entityRoute(definition);
  const [serverErrors, setServerErrors] = useState<{ schema?: ErrorSchema; message?: string }>({});
  // Sent with the write as its audit reason (the mutation reads the meta of the latest render).
  const [reason, setReason] = useState("");
  const [reasonForm] = Form.useForm();
  const formId = `entity-form-${definition.key}`;
  const { onFinish, query, formLoading } = useForm<BaseRecord, HttpError, Record<string, unknown>>({
    resource,
    dataProviderName,
    action,
    id,
    redirect: "list",
    mutationMeta: askReason ? { auditReason: reason } : undefined,
    errorNotification: false,
  });
  const uiSchema = useMemo(() => uiSchemaFor(definition, action), [definition, action]);
  const [draft, setDraft] = useState<Record<string, unknown> | undefined>();
  const formData = draft ?? (action === "edit" ? dataOf(definition, query?.data?.data) : undefined);
  const submitting = useRef(false);
  const submit = async (data: Record<string, unknown>) => {
    if (submitting.current) return; // a second Enter or click while saving
    if (askReason && !(await reasonForm.validateFields().catch(() => null))) return;
    submitting.current = true;
    setServerErrors({});
    try {
      await onFinish(definition.source_table ? columnsOf(definition, data, action) : data);
    } catch (error) {
      const schema = dbErrorsToErrorSchema(error, i18n.language);
      setServerErrors({ schema, message: schema ? undefined : localizeRpcError(error, t) });
    } finally {
      submitting.current = false;
    }
  };
  const Wrapper = action === "create" ? Create : Edit;
  const ready = action === "create" || !!query?.data?.data;
  return (
    <Wrapper
      resource={resource}
      title={title ?? `${t(action === "create" ? "builder.runtime.create" : "builder.runtime.edit")} · ${entityTitle(definition, i18n.language)}`}
      isLoading={formLoading && !ready}
      saveButtonProps={{ htmlType: "submit", form: formId, loading: formLoading && ready }}
      {...(action === "edit" ? { recordItemId: id, dataProviderName, canDelete: false } : {})}
    >
      {serverErrors.message && <Alert type="error" showIcon message={serverErrors.message} style={{ marginBottom: 16 }} />}
      {ready && (
        <SchemaForm
          id={formId}
          schema={definition.schema}
          uiSchema={uiSchema}
          formData={formData}
          onChange={setDraft}
          onSubmit={(data) => void submit(data)}
          extraErrors={serverErrors.schema}
        />
      )}
      {ready && askReason && (
        <Form form={reasonForm} layout="vertical" onValuesChange={(changed: Record<string, unknown>) => setReason(String(changed[AUDIT_REASON_FIELD] ?? ""))}>
          <AuditReasonField />
        </Form>
      )}
    </Wrapper>
  );
}
