import { Create, Edit } from "@refinedev/antd";
import { useForm, type HttpError } from "@refinedev/core";
import type { ErrorSchema } from "@rjsf/utils";
import { Alert, Result, Spin } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useMemberForm } from "../../data/members/use-member-form";
import { formDataToMember, memberToFormData } from "../../data/members/member-form-data";
import { SchemaForm } from "../../forms/SchemaForm";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { Member } from "../../lib/types";
import { dbErrorsToErrorSchema } from "../../runtime/db-errors";

const FORM_ID = "member-form";

/** A refusal the database names a field for, shown under that field (the schema errors, a taken phone). */
function fieldErrors(error: unknown, language: string, phoneTaken: string): ErrorSchema | undefined {
  if (/constraint "members_phone_key"/.test((error as { message?: string } | null)?.message ?? "")) {
    return { phone: { __errors: [phoneTaken] } } as unknown as ErrorSchema;
  }
  return dbErrorsToErrorSchema(error, language);
}

/**
 * Member registration and profile editing by the published member form (the form builder's 'member'
 * form): fields added there appear here at once. The database validates the same schema again.
 */
export function MemberFormPage({ action }: { action: "create" | "edit" }) {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const form = useMemberForm();
  const [serverErrors, setServerErrors] = useState<{ schema?: ErrorSchema; message?: string }>({});
  const [draft, setDraft] = useState<Record<string, unknown> | undefined>();
  const submitting = useRef(false);
  const { onFinish, query, formLoading } = useForm<Member, HttpError, Record<string, unknown>>({
    resource: "members",
    action,
    id,
    redirect: "show",
    mutationMeta: { auditReason: t(action === "create" ? "audit_log.reasons.memberCreate" : "audit_log.reasons.memberEdit") },
    errorNotification: false,
    successNotification: () => ({ type: "success", message: t(action === "create" ? "members.form.registered" : "members.form.saved") }),
  });
  const member = query?.data?.data;
  const ready = !!form && (action === "create" || !!member);
  const formData = draft ?? (member ? memberToFormData(member) : undefined);

  const submit = async (data: Record<string, unknown>) => {
    if (submitting.current) return; // a second Enter or click while saving
    submitting.current = true;
    setServerErrors({});
    try {
      await onFinish(formDataToMember(data));
    } catch (error) {
      const schema = fieldErrors(error, i18n.language, t("members.form.phoneTaken"));
      setServerErrors({ schema, message: schema ? undefined : localizeRpcError(error, t) });
    } finally {
      submitting.current = false;
    }
  };

  const Wrapper = action === "create" ? Create : Edit;
  return (
    <Wrapper
      resource="members"
      title={t(action === "create" ? "members.titles.create" : "members.titles.edit")}
      isLoading={formLoading && !ready}
      saveButtonProps={{ htmlType: "submit", form: FORM_ID, loading: formLoading && ready }}
      {...(action === "edit" ? { recordItemId: id, canDelete: false } : {})}
    >
      {serverErrors.message && <Alert type="error" showIcon message={serverErrors.message} style={{ marginBottom: 16 }} />}
      {form === undefined ? (
        <Spin />
      ) : form === null ? (
        <Result status="warning" subTitle={t("members.form.noForm")} />
      ) : (
        ready && (
          <SchemaForm
            id={FORM_ID}
            schema={form.schema}
            uiSchema={form.ui_schema}
            formData={formData}
            onChange={setDraft}
            onSubmit={(data) => void submit(data)}
            extraErrors={serverErrors.schema}
          />
        )
      )}
    </Wrapper>
  );
}
