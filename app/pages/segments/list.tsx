import { List } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Button, Form, Input, Modal, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { RULE_KEY_PATTERN } from "../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { oneLineColumn } from "../../components/table-columns";
import { useCreateSegmentDraft, useSegmentDefinitions, useSegmentRefreshes, type SegmentDefinition } from "../../data/segments";
import { formatCount, formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import { RuleStatusTag } from "../rules/StatusTag";

interface KeyRow {
  key: string;
  newest: SegmentDefinition;
  published: SegmentDefinition | undefined;
}

/** 客群: one row per segment key (its newest version, the one in force and its members at the last refresh). */
export function SegmentList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { rows, query } = useSegmentDefinitions();
  const refreshes = useSegmentRefreshes();
  const { data: canCreate } = useCan({ resource: "segments", action: "create" });
  const [creating, setCreating] = useState(false);
  const keys: KeyRow[] = [...new Set(rows.map((r) => r.key))].map((key) => {
    const versions = rows.filter((r) => r.key === key);
    return { key, newest: versions[0], published: versions.find((r) => r.status === "published") };
  });
  const refreshOf = (key: string) => refreshes.rows.find((r) => r.segment_key === key);

  return (
    <List title={t("segments.title")}
      headerButtons={canCreate?.can ? <Button type="primary" onClick={() => setCreating(true)}>{t("segments.new.button")}</Button> : null}>
      <Typography.Paragraph type="secondary">{t("segments.help")}</Typography.Paragraph>
      <Table<KeyRow> rowKey="key" size="small" loading={query.isLoading} dataSource={keys} pagination={false} scroll={{ x: "max-content" }}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("segments.none") }}>
        <Table.Column<KeyRow> key="name" title={t("segments.fieldsUi.name")}
          render={(_, r) => <Link to={`/segments/${r.key}`}>{localizedName(r.published ?? r.newest, i18n.language)}</Link>} />
        <Table.Column<KeyRow> key="members" title={t("segments.fieldsUi.members")} {...oneLineColumn}
          render={(_, r) => (r.published && refreshOf(r.key) ? formatCount(refreshOf(r.key)!.members) : "—")} />
        <Table.Column<KeyRow> key="refreshed" title={t("segments.fieldsUi.refreshedAt")} {...oneLineColumn}
          render={(_, r) => formatDateTime(refreshOf(r.key)?.refreshed_at)} />
        <Table.Column<KeyRow> key="version" title={t("segments.fieldsUi.version")} {...oneLineColumn}
          render={(_, r) => (
            <Space>
              <Typography.Text>v{r.newest.version}</Typography.Text>
              <RuleStatusTag status={r.newest.status as "draft"} />
            </Space>
          )} />
      </Table>
      {creating && <NewSegmentModal onClose={() => setCreating(false)} onCreated={(key) => navigate(`/segments/${key}`)} taken={new Set(keys.map((k) => k.key))} />}
    </List>
  );
}

function NewSegmentModal({ onClose, onCreated, taken }: { onClose: () => void; onCreated: (key: string) => void; taken: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ key: string; name: string }>();
  const create = useCreateSegmentDraft();
  const [error, setError] = useState<string | null>(null);
  const n = (key: string) => t(`segments.new.${key}`);

  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      await create.mutateAsync({ key: v.key, version: 1, name: v.name.trim(), name_en: null, description: null, logic: true });
      onCreated(v.key);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Modal open title={n("title")} onCancel={onClose} onOk={() => void ok()} okText={n("ok")} cancelText={t("buttons.cancel")}
      confirmLoading={create.isPending} destroyOnHidden>
      <RpcErrorAlert message={error} />
      <Form form={form} layout="vertical">
        <Form.Item name="key" label={n("key")} extra={n("keyHint")}
          rules={[
            { required: true, pattern: new RegExp(RULE_KEY_PATTERN), message: n("keyInvalid") },
            { validator: (_, value: string) => (taken.has(value) ? Promise.reject(new Error(n("keyTaken"))) : Promise.resolve()) },
          ]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="name" label={n("name")} rules={[{ required: true, whitespace: true, message: n("nameRequired") }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
