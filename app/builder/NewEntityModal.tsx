import { Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

interface Values {
  key: string;
  title: string;
  title_en?: string;
}

/** Asks for the new entity's key and names, then opens its (empty) builder. */
export function NewEntityModal({ open, onClose, existing }: { open: boolean; onClose: () => void; existing: Set<string> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  return (
    <Modal open={open} title={t("builder.newEntity")} onCancel={onClose} onOk={() => form.submit()} okText={t("builder.create")} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false}
        onFinish={(values) => navigate(`/builder/entities/${values.key}`, { state: { title: values.title, title_en: values.title_en ?? "" } })}>
        <Form.Item name="key" label={t("builder.entityKey")} extra={t("builder.entityKeyHelp")}
          rules={[
            { required: true, message: t("builder.required") },
            { pattern: /^[a-z][a-z0-9_]{1,47}$/, message: t("builder.entityKeyHelp") },
            { validator: async (_, value: string) => { if (existing.has(value)) throw new Error(t("builder.entityKeyTaken")); } },
          ]}>
          <Input placeholder="parking_lots" autoFocus />
        </Form.Item>
        <Form.Item name="title" label={t("builder.titleZh")} rules={[{ required: true, message: t("builder.required") }]}>
          <Input placeholder="停车场" />
        </Form.Item>
        <Form.Item name="title_en" label={t("builder.titleEn")}>
          <Input placeholder="Parking lots" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
