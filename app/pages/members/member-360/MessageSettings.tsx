import { useList } from "@refinedev/core";
import { App, Button, Checkbox, Form, Select, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { NOTIFICATION_CHANNELS, NOTIFICATION_LANGUAGES, type NotificationChannel, type NotificationLanguage } from "../../../../core/enums/notifications";
import { useRpcMutation } from "../../../data/use-rpc";
import { localizeRpcError } from "../../../lib/rpc-errors";

interface Settings {
  member_id: string;
  language: NotificationLanguage;
  opted_out: NotificationChannel[];
}

/** The member's language for messages and the channels they opted out of (set_member_notification_settings). */
export function MessageSettings({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ language: NotificationLanguage; opted_out: NotificationChannel[] }>();
  const { result, query } = useList<Settings>({
    resource: "member_notification_settings",
    filters: [{ field: "member_id", operator: "eq", value: memberId }],
    pagination: { mode: "off" },
  });
  const current = result.data?.[0];
  useEffect(() => {
    if (query.isSuccess) form.setFieldsValue({ language: current?.language ?? "zh-CN", opted_out: current?.opted_out ?? [] });
  }, [query.isSuccess, current, form]);
  const save = useRpcMutation<{ language: NotificationLanguage; opted_out: NotificationChannel[] }, Settings>("set_member_notification_settings", {
    args: (v) => ({ p_member_id: memberId, p_language: v.language, p_opted_out: v.opted_out }),
    invalidates: ["member_notification_settings"],
  });
  const submit = async (values: { language: NotificationLanguage; opted_out: NotificationChannel[] }) => {
    try {
      await save.mutateAsync(values);
      void message.success(t("member_messages.saved"));
    } catch (failure) {
      void message.error(localizeRpcError(failure, t));
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 480 }} disabled={query.isLoading}>
      <Typography.Paragraph type="secondary">{t("member_messages.intro")}</Typography.Paragraph>
      <Form.Item name="language" label={t("member_messages.language")}>
        <Select options={NOTIFICATION_LANGUAGES.map((l) => ({ value: l, label: t(`notification_templates.languages.${l}`) }))} />
      </Form.Item>
      <Form.Item name="opted_out" label={t("member_messages.optedOut")}>
        <Checkbox.Group options={NOTIFICATION_CHANNELS.map((c) => ({ value: c, label: t(`notification_templates.channels.${c}`) }))} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>{t("buttons.save")}</Button>
    </Form>
  );
}
