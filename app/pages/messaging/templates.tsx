import { List } from "@refinedev/antd";
import { useCan, useList } from "@refinedev/core";
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  NOTIFICATION_CHANNELS, NOTIFICATION_EVENTS, NOTIFICATION_EVENT_KEYS, NOTIFICATION_LANGUAGES, TEMPLATE_MAX_BODY, TEMPLATE_MAX_SUBJECT,
  type NotificationChannel, type NotificationEvent, type NotificationLanguage,
} from "../../../core/enums/notifications";
import { checkTemplateText, renderTemplate, SAMPLE_PAYLOADS, templateVariables } from "../../../core/notifications/render";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { oneLineColumn } from "../../components/table-columns";
import { useRpcMutation } from "../../data/use-rpc";
import { formatDateTime } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";

export interface NotificationTemplate {
  id: number;
  event: NotificationEvent;
  channel: NotificationChannel;
  language: NotificationLanguage;
  version: number;
  subject: string;
  body: string;
  source: "file" | "ui";
  created_at: string;
}

type Slot = Pick<NotificationTemplate, "event" | "channel" | "language">;
const slotKey = (s: Slot) => `${s.event}/${s.channel}/${s.language}`;

/** 通知模板: the message of each event per channel and language (newest version in force), edited with a live preview. */
export function NotificationTemplatesPage() {
  const { t } = useTranslation();
  const { data: canEdit } = useCan({ resource: "notification_templates", action: "edit" });
  const [editing, setEditing] = useState<Slot | null>(null);
  const { result, query } = useList<NotificationTemplate>({
    resource: "notification_templates",
    sorters: [{ field: "version", order: "desc" }],
    pagination: { mode: "off" },
  });
  // Newest version per slot, and how many versions it has.
  const current = useMemo(() => {
    const map = new Map<string, NotificationTemplate & { versions: number }>();
    for (const row of result.data ?? []) {
      const key = slotKey(row);
      const seen = map.get(key);
      if (!seen) map.set(key, { ...row, versions: 1 });
      else seen.versions++;
    }
    return map;
  }, [result.data]);
  // Placeholders shown by their labels ({积分}), not their variable names.
  const labelled = (text: string) =>
    text.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g, (_, name: string) => `{${t(`notification_templates.variables.${name}`)}}`);
  const rows = NOTIFICATION_EVENT_KEYS.flatMap((event) =>
    NOTIFICATION_CHANNELS.flatMap((channel) => NOTIFICATION_LANGUAGES.map((language) => ({ event, channel, language }))))
    .map((slot) => ({ slot, row: current.get(slotKey(slot)) }))
    .filter(({ row }) => row || canEdit?.can);

  return (
    <List title={t("notification_templates.titles.list")} canCreate={false}>
      <Typography.Paragraph type="secondary">{t("notification_templates.intro")}</Typography.Paragraph>
      <Table rowKey={({ slot }) => slotKey(slot)} dataSource={rows} loading={query.isLoading} pagination={false} size="small">
        <Table.Column title={t("notification_templates.fields.event")} render={(_, { slot }: (typeof rows)[number]) => t(`notification_templates.events.${slot.event}`)} />
        <Table.Column title={t("notification_templates.fields.channel")} render={(_, { slot }: (typeof rows)[number]) => t(`notification_templates.channels.${slot.channel}`)} />
        <Table.Column title={t("notification_templates.fields.language")} render={(_, { slot }: (typeof rows)[number]) => t(`notification_templates.languages.${slot.language}`)} />
        <Table.Column title={t("notification_templates.fields.content")} render={(_, { row }: (typeof rows)[number]) =>
          row ? <Typography.Text ellipsis style={{ maxWidth: 360 }}>{labelled(row.subject ? `${row.subject} · ${row.body}` : row.body)}</Typography.Text>
            : <Tag>{t("notification_templates.none")}</Tag>} />
        <Table.Column title={t("notification_templates.fields.version")} render={(_, { row }: (typeof rows)[number]) =>
          row ? t("notification_templates.versionOf", { version: row.version, count: row.versions }) : "—"} />
        <Table.Column title={t("notification_templates.fields.updated")} {...oneLineColumn} render={(_, { row }: (typeof rows)[number]) =>
          row ? `${formatDateTime(row.created_at)} · ${t(`notification_templates.sources.${row.source}`)}` : "—"} />
        {canEdit?.can && (
          <Table.Column title={t("table.actions")} render={(_, { slot }: (typeof rows)[number]) => (
            <Button size="small" onClick={() => setEditing(slot)} aria-label={t("notification_templates.editLabel", {
              event: t(`notification_templates.events.${slot.event}`), channel: t(`notification_templates.channels.${slot.channel}`), language: t(`notification_templates.languages.${slot.language}`) })}>
              {t("buttons.edit")}
            </Button>
          )} />
        )}
      </Table>
      {editing && <TemplateEditor slot={editing} current={current.get(slotKey(editing))} onClose={() => setEditing(null)} />}
    </List>
  );
}

function TemplateEditor({ slot, current, onClose }: { slot: Slot; current?: NotificationTemplate; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [subject, setSubject] = useState(current?.subject ?? "");
  const [body, setBody] = useState(current?.body ?? "");
  const [error, setError] = useState<string | null>(null);
  const save = useRpcMutation<void, NotificationTemplate>("save_notification_template", {
    args: () => ({ p_event: slot.event, p_channel: slot.channel, p_language: slot.language, p_subject: subject, p_body: body }),
    invalidates: ["notification_templates"],
  });
  const usesSubject = slot.channel !== "sms";
  const problems = checkTemplateText(slot.event, `${usesSubject ? subject : ""}\n${body}`);
  const sample = templateVariables(slot.event, SAMPLE_PAYLOADS[slot.event], { name: t("notification_templates.sampleName"), member_no: "M100001" }, slot.language);
  const variables = NOTIFICATION_EVENTS[slot.event] as readonly string[];

  const submit = async () => {
    setError(null);
    try {
      const saved = await save.mutateAsync();
      void message.success(t("notification_templates.saved", { version: saved.version }));
      onClose();
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Modal open width={900} onCancel={onClose} onOk={submit} confirmLoading={save.isPending} destroyOnHidden
      okText={t("notification_templates.saveVersion")} cancelText={t("buttons.cancel")}
      title={t("notification_templates.editTitle", {
        event: t(`notification_templates.events.${slot.event}`), channel: t(`notification_templates.channels.${slot.channel}`), language: t(`notification_templates.languages.${slot.language}`) })}>
      <RpcErrorAlert message={error} />
      <Row gutter={16}>
        <Col span={13}>
          <Form layout="vertical">
            {usesSubject && (
              <Form.Item label={t("notification_templates.fields.subject")} required={slot.channel === "email"}>
                <Input value={subject} maxLength={TEMPLATE_MAX_SUBJECT} onChange={(e) => setSubject(e.target.value)} />
              </Form.Item>
            )}
            <Form.Item label={t("notification_templates.fields.body")} required>
              <Input.TextArea value={body} rows={8} maxLength={TEMPLATE_MAX_BODY} showCount onChange={(e) => setBody(e.target.value)} />
            </Form.Item>
          </Form>
          <Typography.Text type="secondary">{t("notification_templates.variablesHint")}</Typography.Text>
          <Space wrap style={{ marginTop: 8 }}>
            {variables.map((v) => (
              <Tag key={v} style={{ cursor: "pointer" }} onClick={() => setBody((b) => `${b}{{${v}}}`)}>
                {t(`notification_templates.variables.${v}`)}
              </Tag>
            ))}
          </Space>
          {problems.map((p) => (
            <Alert key={`${p.code}:${p.variable ?? ""}`} style={{ marginTop: 8 }} type="warning" showIcon
              message={t(`errors.reasons.${p.code}`, { variable: p.variable ?? "", allowed: "" })} />
          ))}
        </Col>
        <Col span={11}>
          <Card size="small" title={t("notification_templates.preview")} data-testid="template-preview">
            {usesSubject && <Typography.Title level={5}>{renderTemplate(subject, sample)}</Typography.Title>}
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{renderTemplate(body, sample)}</Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </Modal>
  );
}
