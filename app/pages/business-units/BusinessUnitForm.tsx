import { Form, Input, Select, Switch } from "antd";
import type { FormProps } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BUSINESS_UNIT_KINDS, businessUnitKindLabel } from "../../../core/enums/index.ts";

/** Fields shared by create and edit; the database checks the same rules again. */
/** `extra`: fields after these (the reason for an edit). */
export function BusinessUnitForm({ formProps, isEdit, extra }: { formProps: FormProps; isEdit?: boolean; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Form
      {...formProps}
      layout="vertical"
      initialValues={isEdit ? formProps.initialValues : { active: true, kind: "mall", ...formProps.initialValues }}
    >
      <Form.Item
        name="code"
        label={t("business_units.fields.code")}
        extra={t("business_units.codeHelp")}
        rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_-]{1,31}$/, message: t("business_units.codeHelp") }]}
      >
        <Input disabled={isEdit} />
      </Form.Item>
      <Form.Item name="name" label={t("business_units.fields.name")} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="name_en" label={t("business_units.fields.name_en")} normalize={(v: string) => v || null}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={t("business_units.fields.kind")} rules={[{ required: true }]}>
        <Select options={BUSINESS_UNIT_KINDS.map((kind) => ({ value: kind, label: t(businessUnitKindLabel(kind)) }))} />
      </Form.Item>
      <Form.Item name="active" label={t("business_units.fields.active")} valuePropName="checked">
        <Switch />
      </Form.Item>
      {extra}
    </Form>
  );
}
