import { List } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { CHURN_TAG, SEGMENT_LIMITS } from "../../../core/segments/limits.ts";
import { useCounterUnits } from "../../access/use-counter-units";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useLookup } from "../../components/useLookup";
import {
  useCareReminders, useCareTasks, useCareTriggers, useCreateCareTrigger, useSetCareTriggerActive, type CareTask, type CareTrigger,
  type Reminder,
} from "../../data/care";
import { useSegmentDefinitions } from "../../data/segments";
import { localizedName, nameOptions } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit, Tier } from "../../lib/types";
import { FollowupModal } from "./FollowupModal";

/** 客户关怀: reminders (birthdays, anniversaries), a unit's care tasks with follow-ups, and what opens tasks. */
export function CarePage() {
  const { t } = useTranslation();
  const { units } = useCounterUnits();
  const { data: canManage } = useCan({ resource: "care_triggers", action: "create" });
  const items = [
    { key: "tasks", label: t("care.tabs.tasks"), children: <CareTasksTab /> },
    ...(units.length ? [{ key: "reminders", label: t("care.tabs.reminders"), children: <RemindersTab /> }] : []),
    { key: "triggers", label: t("care.tabs.triggers"), children: <TriggersTab canManage={!!canManage?.can} /> },
  ];
  return (
    <List title={t("care.title")}>
      <Tabs items={items} />
    </List>
  );
}

function CareTasksTab() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<"open" | "closed">("open");
  const { rows, query } = useCareTasks(status);
  const unitsLookup = useLookup<BusinessUnit>("business_units");
  const { units: myUnits } = useCounterUnits();
  const [following, setFollowing] = useState<CareTask | null>(null);
  const { message } = AntApp.useApp();
  const today = new Date().toISOString().slice(0, 10);

  return (
    <>
      <Radio.Group value={status} onChange={(e) => setStatus(e.target.value as "open" | "closed")} style={{ marginBottom: 12 }}
        options={[{ value: "open", label: t("care.tasks.open") }, { value: "closed", label: t("care.tasks.closed") }]} optionType="button" />
      <Table<CareTask> rowKey="id" size="small" dataSource={rows} loading={query.isLoading} pagination={false} scroll={{ x: "max-content" }}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("care.tasks.none") }}>
        <Table.Column<CareTask> key="member" title={t("care.tasks.member")}
          render={(_, r) => <Link to={`/members/show/${r.member_id}`}>{r.members ? `${r.members.name}（${r.members.member_no}）` : t("care.tasks.memberHidden")}</Link>} />
        <Table.Column<CareTask> key="why" title={t("care.tasks.why")} render={(_, r) => r.care_triggers?.name ?? "—"} />
        <Table.Column<CareTask> key="unit" title={t("care.tasks.unit")} render={(_, r) => localizedName(unitsLookup.map.get(r.business_unit_id), i18n.language)} />
        <Table.Column<CareTask> key="due" title={t("care.tasks.due")}
          render={(_, r) => (r.status === "open" && r.due_on < today ? <Tag color="red">{t("care.tasks.overdue", { date: r.due_on })}</Tag> : r.due_on)} />
        {status === "open" && (
          <Table.Column<CareTask> key="actions" title={t("care.tasks.actions")}
            render={(_, r) => (myUnits.some((u) => u.id === r.business_unit_id)
              ? <Button size="small" type="primary" onClick={() => setFollowing(r)}>{t("care.tasks.followUp")}</Button>
              : null)} />
        )}
      </Table>
      {following && (
        <FollowupModal memberId={following.member_id} memberLabel={following.members?.name ?? ""}
          units={myUnits.filter((u) => u.id === following.business_unit_id)} unitId={following.business_unit_id}
          onClose={(saved) => {
            setFollowing(null);
            if (saved) message.success(t("care.followup.saved"));
          }} />
      )}
    </>
  );
}

function RemindersTab() {
  const { t, i18n } = useTranslation();
  const { units } = useCounterUnits();
  const [unitId, setUnitId] = useState<string | undefined>(undefined);
  const [days, setDays] = useState(7);
  const unit = units.find((u) => u.id === unitId) ?? units[0];
  const reminders = useCareReminders(unit?.id, days);
  const tiers = useLookup<Tier>("tiers");
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        {units.length > 1 && (
          <Select aria-label={t("care.reminders.unit")} style={{ minWidth: 200 }} value={unit?.id} options={nameOptions(units, i18n.language)} onChange={setUnitId} />
        )}
        <span>{t("care.reminders.within")}</span>
        <InputNumber aria-label={t("care.reminders.within")} min={1} max={SEGMENT_LIMITS.max_reminder_days} value={days}
          onChange={(v) => setDays(typeof v === "number" ? v : 7)} />
        <span>{t("care.reminders.days")}</span>
      </Space>
      {reminders.isError && <Alert type="error" showIcon message={localizeRpcError(reminders.error, t)} />}
      <ReminderTable rows={reminders.data ?? []} loading={reminders.isLoading} tierName={(id) => localizedName(tiers.map.get(id), i18n.language)} />
    </Space>
  );
}

export function ReminderTable({ rows, loading, tierName }: { rows: Reminder[]; loading: boolean; tierName: (id: string) => string }) {
  const { t } = useTranslation();
  return (
    <Table<Reminder> rowKey={(r) => `${r.member_id}:${r.kind}`} size="small" dataSource={rows} loading={loading} pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: t("care.reminders.none") }} scroll={{ x: "max-content" }}>
      <Table.Column<Reminder> key="when" title={t("care.reminders.when")}
        render={(_, r) => (r.days_until === 0 ? <Tag color="red">{t("care.reminders.today")}</Tag> : t("care.reminders.inDays", { days: r.days_until, date: r.on_date }))} />
      <Table.Column<Reminder> key="kind" title={t("care.reminders.kind")}
        render={(_, r) => <Tag color={r.kind === "birthday" ? "magenta" : "blue"}>{t(`care.reminders.kinds.${r.kind}`, { years: r.years })}</Tag>} />
      <Table.Column<Reminder> key="member" title={t("care.tasks.member")}
        render={(_, r) => <Link to={`/members/show/${r.member_id}`}>{`${r.name}（${r.member_no}）`}</Link>} />
      <Table.Column<Reminder> key="tier" title={t("care.reminders.tier")} render={(_, r) => tierName(r.tier_id)} />
    </Table>
  );
}

function TriggersTab({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const { rows, query } = useCareTriggers();
  const units = useLookup<BusinessUnit>("business_units");
  const setActive = useSetCareTriggerActive();
  const [creating, setCreating] = useState(false);
  const segments = useSegmentDefinitions();
  const segmentName = (key: string | null) => localizedName(segments.rows.find((s) => s.key === key), i18n.language);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Paragraph type="secondary">{t("care.triggers.help")}</Typography.Paragraph>
      {canManage && <Button type="primary" onClick={() => setCreating(true)}>{t("care.triggers.new")}</Button>}
      <Table<CareTrigger> rowKey="id" size="small" dataSource={rows} loading={query.isLoading} pagination={false} scroll={{ x: "max-content" }}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("care.triggers.none") }}>
        <Table.Column<CareTrigger> key="name" title={t("care.triggers.name")} dataIndex="name" />
        <Table.Column<CareTrigger> key="source" title={t("care.triggers.source")}
          render={(_, r) => (r.source === "tag" ? t("care.triggers.byTag", { tag: r.tag }) : t("care.triggers.bySegment", { segment: segmentName(r.segment_key) }))} />
        <Table.Column<CareTrigger> key="unit" title={t("care.tasks.unit")} render={(_, r) => localizedName(units.map.get(r.business_unit_id), i18n.language)} />
        <Table.Column<CareTrigger> key="due" title={t("care.triggers.dueDays")} render={(_, r) => t("care.triggers.dueIn", { days: r.due_days })} />
        <Table.Column<CareTrigger> key="active" title={t("care.triggers.active")}
          render={(_, r) => <Switch checked={r.active} disabled={!canManage} aria-label={t("care.triggers.active")} onChange={(on) => void setActive(r.id, on)} />} />
      </Table>
      {creating && <NewTriggerModal onClose={() => setCreating(false)} />}
    </Space>
  );
}

function NewTriggerModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ name: string; source: "tag" | "segment"; tag?: string; segment_key?: string; business_unit_id: string; due_days: number }>();
  const source = Form.useWatch("source", form);
  const units = useLookup<BusinessUnit>("business_units");
  const segments = useSegmentDefinitions();
  const published = segments.rows.filter((s) => s.status === "published");
  const create = useCreateCareTrigger();
  const [error, setError] = useState<string | null>(null);
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      await create.mutateAsync({
        name: v.name.trim(), source: v.source, tag: v.source === "tag" ? (v.tag ?? "").trim() : null,
        segment_key: v.source === "segment" ? v.segment_key ?? null : null, business_unit_id: v.business_unit_id, due_days: v.due_days,
      });
      onClose();
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };
  return (
    <Modal open title={t("care.triggers.new")} onCancel={onClose} onOk={() => void ok()} okText={t("care.triggers.create")} cancelText={t("buttons.cancel")}
      confirmLoading={create.isPending} destroyOnHidden>
      <RpcErrorAlert message={error} />
      <Form form={form} layout="vertical" initialValues={{ source: "tag", tag: CHURN_TAG, due_days: 7 }}>
        <Form.Item name="name" label={t("care.triggers.name")} rules={[{ required: true, whitespace: true, message: t("care.triggers.nameRequired") }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="source" label={t("care.triggers.source")}>
          <Radio.Group options={[{ value: "tag", label: t("care.triggers.sourceTag") }, { value: "segment", label: t("care.triggers.sourceSegment") }]} />
        </Form.Item>
        {source === "segment" ? (
          <Form.Item name="segment_key" label={t("care.triggers.segment")} rules={[{ required: true, message: t("care.triggers.segmentRequired") }]}>
            <Select options={published.map((s) => ({ value: s.key, label: localizedName(s, i18n.language) }))} />
          </Form.Item>
        ) : (
          <Form.Item name="tag" label={t("care.triggers.tag")} rules={[{ required: true, whitespace: true, max: 20, message: t("care.triggers.tagRequired") }]}>
            <Input maxLength={20} />
          </Form.Item>
        )}
        <Form.Item name="business_unit_id" label={t("care.tasks.unit")} rules={[{ required: true, message: t("care.followup.unitRequired") }]}>
          <Select options={nameOptions(units.rows.filter((u) => u.active), i18n.language)} />
        </Form.Item>
        <Form.Item name="due_days" label={t("care.triggers.dueDays")} rules={[{ required: true, type: "integer", min: 1, max: SEGMENT_LIMITS.max_due_days, message: t("care.triggers.dueDaysInvalid") }]}>
          <InputNumber min={1} max={SEGMENT_LIMITS.max_due_days} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The home page's list of the coming week's birthdays and anniversaries at the user's first unit. */
export function HomeReminders() {
  const { t, i18n } = useTranslation();
  const { units } = useCounterUnits();
  const unit = units[0];
  const reminders = useCareReminders(unit?.id, 7);
  const tiers = useLookup<Tier>("tiers");
  if (!unit) return null;
  return (
    <Card size="small" title={t("care.reminders.homeTitle", { unit: localizedName(unit, i18n.language) })} extra={<Link to="/care">{t("care.reminders.more")}</Link>}>
      <ReminderTable rows={(reminders.data ?? []).slice(0, 10)} loading={reminders.isLoading} tierName={(id) => localizedName(tiers.map.get(id), i18n.language)} />
    </Card>
  );
}
