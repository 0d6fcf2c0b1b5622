import { List } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Button, Form, Input, Modal, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { RULE_KEY_PATTERN } from "../../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { oneLineColumn } from "../../../components/table-columns";
import { useUnitByCode } from "../../../components/useUnitByCode";
import { useBenefitDefinitions, useCreateBenefitDraft } from "../../../data/benefits/definitions";
import { BENEFIT_KINDS, benefitKindLabel } from "../../../data/benefits/labels";
import type { BenefitDefinition } from "../../../data/benefits/types";
import { localizedName, nameOptions } from "../../../lib/format";
import type { BusinessUnit } from "../../../lib/types";
import { useLookup } from "../../../components/useLookup";
import { localizeRpcError } from "../../../lib/rpc-errors";
import { RuleStatusTag } from "../../rules/StatusTag";
import { acceptedText, benefitKindText, quotaText } from "../describe";
import { triggerText } from "./triggers";

interface KeyRow {
  key: string;
  newest: BenefitDefinition;
  published: BenefitDefinition | undefined;
}

/** Default values of a new definition by kind (edited in the draft afterwards). */
const DEFAULT_VALUE: Record<string, number> = { parking_hours: 2, discount_percent: 10, coupon: 1000 };

/** 权益配置: one row per benefit key (its newest version and the one in force), and a new definition. */
export function BenefitDefinitionList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { rows, query } = useBenefitDefinitions();
  const unitByCode = useUnitByCode();
  const { data: canCreate } = useCan({ resource: "benefit_definitions", action: "create" });
  const [creating, setCreating] = useState(false);
  const keys: KeyRow[] = [...new Set(rows.map((r) => r.key))].map((key) => {
    const versions = rows.filter((r) => r.key === key);
    return { key, newest: versions[0], published: versions.find((r) => r.status === "published") };
  });
  const shown = (r: KeyRow) => r.published ?? r.newest;

  return (
    <List title={t("benefit_definitions.title")}
      headerButtons={canCreate?.can ? <Button type="primary" onClick={() => setCreating(true)}>{t("benefit_definitions.new.button")}</Button> : null}>
      <Table<KeyRow> rowKey="key" size="small" loading={query.isLoading} dataSource={keys} pagination={false} scroll={{ x: "max-content" }}
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("benefit_definitions.none") }}>
        <Table.Column<KeyRow> key="name" title={t("benefit_definitions.fields.name")}
          render={(_, r) => <Link to={`/benefits/${r.key}`}>{localizedName(shown(r), i18n.language)}</Link>} />
        <Table.Column<KeyRow> key="kind" title={t("benefit_definitions.fields.kind")} {...oneLineColumn} render={(_, r) => benefitKindText(shown(r).kind, shown(r).value, t)} />
        <Table.Column<KeyRow> key="quota" title={t("benefit_definitions.fields.quota")} {...oneLineColumn} render={(_, r) => quotaText(shown(r), t)} />
        <Table.Column<KeyRow> key="accepted" title={t("benefit_definitions.fields.accepted")} render={(_, r) => acceptedText(shown(r).accepting_unit_codes, unitByCode, t)} />
        <Table.Column<KeyRow> key="triggers" title={t("benefit_definitions.fields.triggers")} render={(_, r) => triggerText(shown(r), t)} />
        <Table.Column<KeyRow> key="version" title={t("benefit_definitions.fields.version")} {...oneLineColumn}
          render={(_, r) => (
            <Space>
              <Typography.Text>v{r.newest.version}</Typography.Text>
              <RuleStatusTag status={r.newest.status as "draft"} />
            </Space>
          )} />
      </Table>
      {creating && <NewBenefitModal onClose={() => setCreating(false)} onCreated={(key) => navigate(`/benefits/${key}`)} taken={new Set(keys.map((k) => k.key))} />}
    </List>
  );
}

function NewBenefitModal({ onClose, onCreated, taken }: { onClose: () => void; onCreated: (key: string) => void; taken: ReadonlySet<string> }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<{ key: string; name: string; kind: string; issuing_unit_id: string }>();
  const units = useLookup<BusinessUnit>("business_units");
  const create = useCreateBenefitDraft();
  const [error, setError] = useState<string | null>(null);
  const n = (key: string, values?: Record<string, unknown>) => t(`benefit_definitions.new.${key}`, values);

  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      await create.mutateAsync({
        key: v.key, version: 1, name: v.name.trim(), name_en: null, description: null, description_en: null, kind: v.kind,
        value: DEFAULT_VALUE[v.kind] ?? 1, eligibility: null, uses_per_period: 1, period: v.kind === "coupon" ? "once" : "month", validity_days: 31,
        issuing_unit_id: v.issuing_unit_id, accepting_unit_codes: null, stacks_with_points: true, stacks_with_benefits: true, grant_on_tiers: null,
        grant_in_birthday_month: false, grant_on_transaction: null,
      });
      onCreated(v.key);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Modal open title={n("title")} onCancel={onClose} onOk={() => void ok()} okText={n("ok")} confirmLoading={create.isPending} destroyOnHidden>
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
        <Form.Item name="kind" label={n("kind")} rules={[{ required: true, message: n("kindRequired") }]}>
          <Select options={BENEFIT_KINDS.map((k) => ({ value: k, label: t(benefitKindLabel(k)) }))} />
        </Form.Item>
        <Form.Item name="issuing_unit_id" label={n("issuingUnit")} rules={[{ required: true, message: n("issuingUnitRequired") }]}>
          <Select options={nameOptions(units.rows.filter((u) => u.active), i18n.language)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
