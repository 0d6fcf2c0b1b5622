import { Edit, useForm } from "@refinedev/antd";
import { Form } from "antd";
import { useTranslation } from "react-i18next";
import { AUDIT_REASON_FIELD, AuditReasonField, splitReason } from "../../components/AuditReasonField";
import type { BusinessUnit } from "../../lib/types";
import { BusinessUnitForm } from "./BusinessUnitForm";

export function BusinessUnitEdit() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const reason = Form.useWatch(AUDIT_REASON_FIELD, form) as string | undefined;
  const { formProps, saveButtonProps } = useForm<BusinessUnit>({
    resource: "business_units",
    action: "edit",
    redirect: "list",
    mutationMeta: { auditReason: reason },
  });
  return (
    <Edit title={t("business_units.titles.edit")} saveButtonProps={saveButtonProps}>
      <BusinessUnitForm
        formProps={{ ...formProps, form, onFinish: (values) => formProps.onFinish?.(splitReason(values).values) }}
        isEdit
        extra={<AuditReasonField />}
      />
    </Edit>
  );
}
