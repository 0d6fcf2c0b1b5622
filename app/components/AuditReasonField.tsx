import { Form, Input } from "antd";
import { useTranslation } from "react-i18next";

/** The form field holding why master data is changed; not a column: it travels as the write's `auditReason`. */
export const AUDIT_REASON_FIELD = "audit_reason";

/** "Reason for the change", required: stored in the audit trail with the change. */
export function AuditReasonField() {
  const { t } = useTranslation();
  return (
    <Form.Item name={AUDIT_REASON_FIELD} label={t("audit_log.reasonField")} rules={[{ required: true, whitespace: true, message: t("audit_log.reasonRequired") }, { max: 200 }]}>
      <Input placeholder={t("audit_log.reasonPlaceholder")} />
    </Form.Item>
  );
}

/** The values to save and the reason to send with them. */
export function splitReason<T extends Record<string, unknown>>(values: T): { values: Omit<T, typeof AUDIT_REASON_FIELD>; reason: string } {
  const { [AUDIT_REASON_FIELD]: reason, ...rest } = values;
  return { values: rest, reason: typeof reason === "string" ? reason : "" };
}
