import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { localizeRpcError } from "../lib/rpc-errors";
import { contentOf, saveDraft } from "./data";
import { emptyDoc } from "./model";

interface Values {
  key: string;
  title: string;
  title_en?: string;
}

/**
 * Asks for the new entity's key and names, saves it at once as an empty draft v1 (so its address
 * always opens a real draft, even after a reload), then opens its builder.
 */
export function NewEntityModal({ open, onClose, existing }: { open: boolean; onClose: () => void; existing: Set<string> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const create = async (values: Values) => {
    setSaving(true);
    try {
      await saveDraft("entities", values.key, contentOf("entities", emptyDoc(true, values.title.trim(), values.title_en?.trim())), undefined);
      navigate(`/builder/entities/${values.key}`);
    } catch (error) {
      // another admin may have taken the key since the list was loaded
      const taken = (error as { code?: string }).code === "23505";
      form.setFields([{ name: "key", errors: [taken ? t("builder.entityKeyTaken") : t("builder.createFailed", { message: localizeRpcError(error, t) })] }]);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={t("builder.newEntity")} onCancel={onClose} onOk={() => form.submit()} okText={t("builder.create")} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} onFinish={(values) => void create(values)}>
        <Form.Item name="key" label={t("builder.entityKey")} extra={t("builder.entityKeyHelp")}
          rules={[
            { required: true, message: t("builder.required") },
            { pattern: /^[a-z][a-z0-9_]{1,47}$/, message: t("builder.entityKeyHelp") },
            { validator: async (_, value: string) => { if (existing.has(value)) throw new Error(t("builder.entityKeyTaken")); } },
          ]}>
          <Input placeholder="parking_lots" autoFocus />
        </Form.Item>
        <Form.Item name="title" label={t("builder.titleZh")} rules={[{ required: true, whitespace: true, message: t("builder.required") }]}>
          <Input placeholder="停车场" />
        </Form.Item>
        <Form.Item name="title_en" label={t("builder.titleEn")}>
          <Input placeholder="Parking lots" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
