import { useCreate } from "@refinedev/core";
import { Form, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";
import { ROLES, type Role } from "../../access/my-access";
import { AuditReasonField, splitReason } from "../../components/AuditReasonField";
import { nameOptions } from "../../lib/format";
import type { BusinessUnit, StaffProfile } from "../../lib/types";

interface Values extends Record<string, unknown> {
  role: Role;
  business_unit_id?: string | null;
}

interface Props {
  staff: StaffProfile | null;
  units: BusinessUnit[];
  onClose: () => void;
}

/** Grants a role to one staff member, group-wide or for one business unit. */
export function AddRoleModal({ staff, units, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { mutate: create, mutation } = useCreate();

  const submit = (submitted: Values) => {
    if (!staff) return;
    const { values, reason } = splitReason(submitted);
    create(
      {
        resource: "role_assignments",
        values: { user_id: staff.user_id, role: values.role, business_unit_id: values.business_unit_id ?? null },
        meta: { auditReason: reason },
      },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal
      open={!!staff}
      title={`${t("staff_profiles.addRole")} · ${staff?.display_name ?? ""}`}
      okText={t("buttons.save")}
      cancelText={t("buttons.cancel")}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => form.resetFields()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="role" label={t("staff_profiles.role")} rules={[{ required: true, message: t("staff_profiles.roleRequired") }]}>
          <Select options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        <Form.Item name="business_unit_id" label={t("staff_profiles.scope")} extra={t("staff_profiles.scopeHelp")}>
          <Select
            allowClear
            options={nameOptions(units, i18n.language)}
          />
        </Form.Item>
        <AuditReasonField />
      </Form>
    </Modal>
  );
}
