import { Create, Edit } from "@refinedev/antd";
import { useForm, type BaseRecord, type HttpError } from "@refinedev/core";
import type { ErrorSchema } from "@rjsf/utils";
import { Alert } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SchemaForm } from "../../forms/SchemaForm";
import { entityTitle, type EntityDefinition } from "../definitions";
import { resourceName } from "../entity-data-provider";
import { localizeRpcError } from "../../lib/rpc-errors";
import { dbErrorsToErrorSchema } from "../db-errors";
import { dataOf } from "../values";

/**
 * Generated create/edit page: the published version's form, validated in the browser (ajv) and again
 * by the database; a refusal from the database shows inline under the fields it names.
 */
export function EntityForm({ definition, action, id }: { definition: EntityDefinition; action: "create" | "edit"; id?: string }) {
  const { t, i18n } = useTranslation();
  const [serverErrors, setServerErrors] = useState<{ schema?: ErrorSchema; message?: string }>({});
  const formId = `entity-form-${definition.key}`;
  const { onFinish, query, formLoading } = useForm<BaseRecord, HttpError, Record<string, unknown>>({
    resource: resourceName(definition.key),
    dataProviderName: "entities",
    action,
    id,
    redirect: "list",
    errorNotification: false,
  });
  const [draft, setDraft] = useState<Record<string, unknown> | undefined>();
  const formData = draft ?? (action === "edit" ? dataOf(definition, query?.data?.data) : undefined);
  const submitting = useRef(false);
  const submit = async (data: Record<string, unknown>) => {
    if (submitting.current) return; // a second Enter or click while saving
    submitting.current = true;
    setServerErrors({});
    try {
      await onFinish(data);
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
      resource={resourceName(definition.key)}
      title={`${t(action === "create" ? "builder.runtime.create" : "builder.runtime.edit")} · ${entityTitle(definition, i18n.language)}`}
      isLoading={formLoading && !ready}
      saveButtonProps={{ htmlType: "submit", form: formId, loading: formLoading && ready }}
      {...(action === "edit" ? { recordItemId: id, dataProviderName: "entities", canDelete: false } : {})}
    >
      {serverErrors.message && <Alert type="error" showIcon message={serverErrors.message} style={{ marginBottom: 16 }} />}
      {ready && (
        <SchemaForm
          id={formId}
          schema={definition.schema}
          uiSchema={definition.ui_schema}
          formData={formData}
          onChange={setDraft}
          onSubmit={(data) => void submit(data)}
          extraErrors={serverErrors.schema}
        />
      )}
    </Wrapper>
  );
}
