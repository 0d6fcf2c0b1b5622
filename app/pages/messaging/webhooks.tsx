import { List } from "@refinedev/antd";
import { useList } from "@refinedev/core";
import { App, Button, Checkbox, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../../core/enums/notifications";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { oneLineColumn } from "../../components/table-columns";
import { useRpcMutation } from "../../data/use-rpc";
import { formatDateTime } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";

interface Subscription {
  id: string;
  name: string;
  url: string;
  event_types: WebhookEventType[];
  active: boolean;
  created_at: string;
}

interface Delivery {
  id: number;
  event_id: number;
  subscription_id: string;
  replay_of: number | null;
  status: "pending" | "sending" | "delivered" | "failed";
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

const STATUS_COLORS: Record<Delivery["status"], string> = { pending: "gold", sending: "blue", delivered: "green", failed: "red" };
const eventKey = (type: string) => `webhooks.events.${type.replace(".", "_")}`;

/** Outbound webhooks (administrators): subscriptions per event type, their delivery log, replay. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const { result, query } = useList<Subscription>({
    resource: "webhook_subscriptions",
    // The secret column is not readable through the API (shown once, at creation).
    meta: { select: "id,name,url,event_types,active,created_at" },
    sorters: [{ field: "created_at", order: "desc" }],
    pagination: { mode: "off" },
  });
  const update = useRpcMutation<Subscription & { active: boolean }, null>("update_webhook_subscription", {
    args: (s) => ({ p_id: s.id, p_name: s.name, p_url: s.url, p_event_types: s.event_types, p_active: s.active }),
    invalidates: ["webhook_subscriptions"],
  });
  const toggle = async (s: Subscription, active: boolean) => {
    try {
      await update.mutateAsync({ ...s, active });
    } catch (failure) {
      void message.error(localizeRpcError(failure, t));
    }
  };

  return (
    <List title={t("webhooks.titles.list")} headerButtons={<Button type="primary" onClick={() => setCreating(true)}>{t("webhooks.create")}</Button>}>
      <Typography.Paragraph type="secondary">{t("webhooks.intro")}</Typography.Paragraph>
      <Table<Subscription> rowKey="id" dataSource={result.data ?? []} loading={query.isLoading} pagination={false}
        expandable={{ expandedRowRender: (s) => <DeliveryLog subscriptionId={s.id} /> }}>
        <Table.Column<Subscription> dataIndex="name" title={t("webhooks.fields.name")} />
        <Table.Column<Subscription> dataIndex="url" title={t("webhooks.fields.url")} render={(u: string) => <Typography.Text code>{u}</Typography.Text>} />
        <Table.Column<Subscription> dataIndex="event_types" title={t("webhooks.fields.event_types")}
          render={(types: string[]) => <Space wrap>{types.map((type) => <Tag key={type}>{t(eventKey(type))}</Tag>)}</Space>} />
        <Table.Column<Subscription> dataIndex="active" title={t("webhooks.fields.active")}
          render={(active: boolean, s) => <Switch checked={active} onChange={(v) => void toggle(s, v)} aria-label={t("webhooks.fields.active")} />} />
        <Table.Column<Subscription> dataIndex="created_at" title={t("webhooks.fields.created_at")} {...oneLineColumn} render={formatDateTime} />
      </Table>
      {creating && <CreateWebhook onClose={() => setCreating(false)} onCreated={(s) => { setCreating(false); setSecret(s); }} />}
      <Modal open={secret !== null} title={t("webhooks.secretTitle")} onOk={() => setSecret(null)} onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: "none" } }} okText={t("webhooks.secretDone")}>
        <Typography.Paragraph>{t("webhooks.secretText")}</Typography.Paragraph>
        <Typography.Paragraph copyable code data-testid="webhook-secret">{secret}</Typography.Paragraph>
      </Modal>
    </List>
  );
}

function CreateWebhook({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; url: string; event_types: WebhookEventType[] }>();
  const [error, setError] = useState<string | null>(null);
  const create = useRpcMutation<{ name: string; url: string; event_types: WebhookEventType[] }, { secret: string }>("create_webhook_subscription", {
    args: (v) => ({ p_name: v.name, p_url: v.url, p_event_types: v.event_types }),
    invalidates: ["webhook_subscriptions"],
  });
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setError(null);
    try {
      onCreated((await create.mutateAsync(values)).secret);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };
  return (
    <Modal open title={t("webhooks.create")} onOk={submit} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden
      okText={t("buttons.save")} cancelText={t("buttons.cancel")}>
      <RpcErrorAlert message={error} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="name" label={t("webhooks.fields.name")} rules={[{ required: true, max: 100, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="url" label={t("webhooks.fields.url")} rules={[{ required: true, pattern: /^https?:\/\/[^\s/?#@]+(\/\S*)?$/, message: t("errors.reasons.webhook_url_invalid") }]}>
          <Input placeholder="https://" />
        </Form.Item>
        <Form.Item name="event_types" label={t("webhooks.fields.event_types")} rules={[{ required: true }]}>
          <Checkbox.Group options={WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, label: t(eventKey(type)) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeliveryLog({ subscriptionId }: { subscriptionId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { result, query } = useList<Delivery>({
    resource: "webhook_deliveries",
    filters: [{ field: "subscription_id", operator: "eq", value: subscriptionId }],
    sorters: [{ field: "id", order: "desc" }],
    pagination: { pageSize: 50 },
  });
  const replay = useRpcMutation<number, number>("replay_webhook_delivery", { args: (id) => ({ p_delivery_id: id }), invalidates: ["webhook_deliveries"] });
  const doReplay = async (id: number) => {
    try {
      await replay.mutateAsync(id);
      void message.success(t("webhooks.replayed"));
    } catch (failure) {
      void message.error(localizeRpcError(failure, t));
    }
  };
  return (
    <Table<Delivery> rowKey="id" size="small" dataSource={result.data ?? []} loading={query.isLoading} pagination={false}
      locale={{ emptyText: t("webhooks.noDeliveries") }}>
      <Table.Column<Delivery> dataIndex="created_at" title={t("webhooks.fields.created_at")} {...oneLineColumn} render={formatDateTime} />
      <Table.Column<Delivery> dataIndex="event_id" title={t("webhooks.fields.event_id")} />
      <Table.Column<Delivery> dataIndex="status" title={t("webhooks.fields.status")}
        render={(s: Delivery["status"], d) => <Space><Tag color={STATUS_COLORS[s]}>{t(`webhooks.statuses.${s}`)}</Tag>{d.replay_of && <Tag>{t("webhooks.replay")}</Tag>}</Space>} />
      <Table.Column<Delivery> dataIndex="attempts" title={t("webhooks.fields.attempts")} />
      <Table.Column<Delivery> dataIndex="last_status" title={t("webhooks.fields.last_status")} render={(s: number | null) => s ?? "—"} />
      <Table.Column<Delivery> title={t("table.actions")} render={(_, d) => (
        <Button size="small" onClick={() => void doReplay(d.id)}>{t("webhooks.replayAction")}</Button>
      )} />
    </Table>
  );
}
