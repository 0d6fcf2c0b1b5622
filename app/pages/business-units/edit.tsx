import { Edit, useForm } from "@refinedev/antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AUDIT_REASON_FIELD, AuditReasonField, splitReason } from "../../components/AuditReasonField";
import type { BusinessUnit } from "../../lib/types";
import { BusinessUnitForm } from "./BusinessUnitForm";

export function BusinessUnitEdit() {
  const { t } = useTranslation();
  // Sent with the update as its audit reason (the mutation reads the meta of the latest render).
  const [reason, setReason] = useState("");
  const { formProps, saveButtonProps } = useForm<BusinessUnit>({
    resource: "business_units",
    action: "edit",
    redirect: "list",
    mutationMeta: { auditReason: reason },
  });
  return (
    <Edit title={t("business_units.titles.edit")} saveButtonProps={saveButtonProps}>
      <BusinessUnitForm
        formProps={{
          ...formProps,
          onValuesChange: (changed: Record<string, unknown>, all: Record<string, unknown>) => {
            formProps.onValuesChange?.(changed, all);
            if (AUDIT_REASON_FIELD in changed) setReason(String(changed[AUDIT_REASON_FIELD] ?? ""));
          },
          onFinish: (values) => formProps.onFinish?.(splitReason(values).values),
        }}
        isEdit
        extra={<AuditReasonField />}
      />
    </Edit>
  );
}
