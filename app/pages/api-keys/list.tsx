import { List, useTable } from "@refinedev/antd";
import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useLookup } from "../../components/useLookup";
import { oneLineColumn } from "../../components/table-columns";
import { useRpcMutation } from "../../data/use-rpc";
import { formatDateTime, localizedName, nameOptions } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit, StaffProfile } from "../../lib/types";

/** A unit API key as the admin sees it (never its secret). */
export interface ApiKey {
  id: string;
  business_unit_id: string;
  name: string;
  prefix: string;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  rotated_from: string | null;
}

interface IssuedKey {
  id: string;
  secret: string;
  prefix: string;
  old_key_expires_at?: string;
}

type KeyStatus = "active" | "overlap" | "expired" | "revoked";

export function keyStatus(key: ApiKey, now = Date.now()): KeyStatus {
  if (key.revoked_at) return "revoked";
  if (key.expires_at) return new Date(key.expires_at).getTime() > now ? "overlap" : "expired";
  return "active";
}

const STATUS_COLORS: Record<KeyStatus, string> = { active: "green", overlap: "orange", expired: "default", revoked: "red" };
export const OVERLAP_CHOICES = [0, 60, 1440] as const;

/** 接口密钥: administrators create, rotate and revoke the keys each business unit's systems call the API with. */
export function ApiKeyList() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const units = useLookup<BusinessUnit>("business_units");
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [createForm] = Form.useForm<{ business_unit_id: string; name: string }>();
  const [overlap, setOverlap] = useState<number>(60);
  const [reason, setReason] = useState("");
  const { tableProps } = useTable<ApiKey>({ resource: "api_keys", sorters: { initial: [{ field: "created_at", order: "desc" }] } });

  const create = useRpcMutation<{ business_unit_id: string; name: string }, IssuedKey>("create_api_key", {
    args: (v) => ({ p_business_unit_id: v.business_unit_id, p_name: v.name }),
    invalidates: ["api_keys", "audit_log"],
  });
  const rotate = useRpcMutation<{ id: string; overlap: number }, IssuedKey>("rotate_api_key", {
    args: (v) => ({ p_key_id: v.id, p_overlap_minutes: v.overlap }),
    invalidates: ["api_keys", "audit_log"],
  });
  const revoke = useRpcMutation<{ id: string; reason: string }, ApiKey>("revoke_api_key", {
    args: (v) => ({ p_key_id: v.id, p_reason: v.reason }),
    invalidates: ["api_keys", "audit_log"],
  });

  const unitName = (id: string) => localizedName(units.map.get(id), i18n.language) || t("apiKeys.unknownUnit");
  const closeAll = () => {
    setCreating(false);
    setRotating(null);
    setRevoking(null);
    setProblem(null);
    setReason("");
  };

  return (
    <List
      title={t("apiKeys.titles.list")}
      headerButtons={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { createForm.resetFields(); setProblem(null); setCreating(true); }}>
          {t("apiKeys.create")}
        </Button>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={t("apiKeys.intro")}
        description={
          <Space direction="vertical" size={2}>
            <span>{t("apiKeys.introScope")}</span>
            <span>
              {t("apiKeys.openapi")} <Typography.Text code copyable>{"/unit-api/openapi.json"}</Typography.Text>
            </span>
          </Space>
        }
      />
      <Table {...tableProps} rowKey="id">
        <Table.Column<ApiKey> dataIndex="name" title={t("apiKeys.fields.name")} {...oneLineColumn} />
        <Table.Column<ApiKey> dataIndex="business_unit_id" title={t("apiKeys.fields.unit")} {...oneLineColumn} render={(id: string) => unitName(id)} />
        <Table.Column<ApiKey> dataIndex="prefix" title={t("apiKeys.fields.prefix")} render={(prefix: string) => <Typography.Text code>{`${prefix}…`}</Typography.Text>} />
        <Table.Column<ApiKey>
          key="status"
          title={t("apiKeys.fields.status")}
          render={(_, key) => {
            const status = keyStatus(key);
            return (
              <Space direction="vertical" size={0}>
                <Tag color={STATUS_COLORS[status]}>{t(`apiKeys.status.${status}`)}</Tag>
                {status === "overlap" && <Typography.Text type="secondary">{t("apiKeys.until", { at: formatDateTime(key.expires_at!) })}</Typography.Text>}
                {status === "revoked" && key.revoke_reason && <Typography.Text type="secondary">{key.revoke_reason}</Typography.Text>}
              </Space>
            );
          }}
        />
        <Table.Column<ApiKey> dataIndex="created_at" title={t("apiKeys.fields.created_at")} {...oneLineColumn} render={(v: string) => formatDateTime(v)} />
        <Table.Column<ApiKey>
          dataIndex="created_by"
          title={t("apiKeys.fields.created_by")}
          render={(id: string | null) => (id ? staff.map.get(id)?.display_name ?? t("audit_log.unknownActor") : t("audit_log.system"))}
        />
        <Table.Column<ApiKey>
          key="actions"
          title={t("apiKeys.fields.actions")}
          render={(_, key) => {
            const status = keyStatus(key);
            return (
              <Space>
                {status === "active" && (
                  <Button size="small" onClick={() => { setProblem(null); setOverlap(60); setRotating(key); }}>
                    {t("apiKeys.rotate")}
                  </Button>
                )}
                {(status === "active" || status === "overlap") && (
                  <Button size="small" danger onClick={() => { setProblem(null); setReason(""); setRevoking(key); }}>
                    {t("apiKeys.revoke")}
                  </Button>
                )}
              </Space>
            );
          }}
        />
      </Table>

      <Modal
        open={creating}
        forceRender
        title={t("apiKeys.create")}
        okText={t("apiKeys.createOk")}
        cancelText={t("buttons.cancel")}
        confirmLoading={create.isPending}
        onCancel={closeAll}
        onOk={async () => {
          const values = await createForm.validateFields();
          try {
            const key = await create.mutateAsync(values);
            closeAll();
            setIssued(key);
          } catch (failure) {
            setProblem(localizeRpcError(failure, t));
          }
        }}
      >
        <Form form={createForm} layout="vertical">
          <Form.Item name="business_unit_id" label={t("apiKeys.fields.unit")} rules={[{ required: true, message: t("apiKeys.unitRequired") }]}>
            <Select options={nameOptions(units.rows.filter((u) => u.active), i18n.language)} placeholder={t("apiKeys.unitPlaceholder")} />
          </Form.Item>
          <Form.Item name="name" label={t("apiKeys.fields.name")} rules={[{ required: true, whitespace: true, message: t("apiKeys.nameRequired") }, { max: 60 }]}>
            <Input placeholder={t("apiKeys.namePlaceholder")} />
          </Form.Item>
        </Form>
        {problem && <Alert type="error" showIcon message={problem} />}
      </Modal>

      <Modal
        open={!!rotating}
        title={t("apiKeys.rotateTitle", { name: rotating?.name ?? "" })}
        okText={t("apiKeys.rotateOk")}
        cancelText={t("buttons.cancel")}
        confirmLoading={rotate.isPending}
        onCancel={closeAll}
        onOk={async () => {
          try {
            const key = await rotate.mutateAsync({ id: rotating!.id, overlap });
            closeAll();
            setIssued(key);
          } catch (failure) {
            setProblem(localizeRpcError(failure, t));
          }
        }}
      >
        <Typography.Paragraph>{t("apiKeys.rotateExplain")}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t("apiKeys.overlap")}>
            <Select
              aria-label={t("apiKeys.overlap")}
              value={overlap}
              onChange={setOverlap}
              options={OVERLAP_CHOICES.map((minutes) => ({ value: minutes, label: t(`apiKeys.overlapChoices.m${minutes}`) }))}
            />
          </Form.Item>
        </Form>
        {problem && <Alert type="error" showIcon message={problem} />}
      </Modal>

      <Modal
        open={!!revoking}
        title={t("apiKeys.revokeTitle", { name: revoking?.name ?? "" })}
        okText={t("apiKeys.revokeOk")}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        cancelText={t("buttons.cancel")}
        confirmLoading={revoke.isPending}
        onCancel={closeAll}
        onOk={async () => {
          try {
            await revoke.mutateAsync({ id: revoking!.id, reason: reason.trim() });
            closeAll();
            void message.success(t("apiKeys.revoked"));
          } catch (failure) {
            setProblem(localizeRpcError(failure, t));
          }
        }}
      >
        <Typography.Paragraph>{t("apiKeys.revokeExplain")}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t("apiKeys.revokeReason")} required>
            <Input aria-label={t("apiKeys.revokeReason")} value={reason} maxLength={200} placeholder={t("apiKeys.revokeReasonPlaceholder")} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        </Form>
        {problem && <Alert type="error" showIcon message={problem} />}
      </Modal>

      <Modal
        open={!!issued}
        destroyOnHidden
        title={<Space><KeyOutlined />{t("apiKeys.secretTitle")}</Space>}
        closable={false}
        maskClosable={false}
        keyboard={false}
        cancelButtonProps={{ style: { display: "none" } }}
        okText={t("apiKeys.secretDone")}
        onOk={() => setIssued(null)}
      >
        <Alert type="warning" showIcon message={t("apiKeys.secretOnce")} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: issued?.secret ?? "", tooltips: [t("apiKeys.copy"), t("apiKeys.copied")] }}>
          <code data-testid="api-key-secret" style={{ wordBreak: "break-all" }}>{issued?.secret}</code>
        </Typography.Paragraph>
        {issued?.old_key_expires_at && (
          <Typography.Paragraph type="secondary">{t("apiKeys.oldUntil", { at: formatDateTime(issued.old_key_expires_at) })}</Typography.Paragraph>
        )}
      </Modal>
    </List>
  );
}
