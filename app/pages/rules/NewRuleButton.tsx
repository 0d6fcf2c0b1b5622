import { PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input, InputNumber, Modal, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { DEFAULT_LOT_KIND, LOT_KINDS, lotKindLabel, RULE_KEY_PATTERN, RULE_PRIORITY_MAX, RULE_PRIORITY_MIN } from "../../../core/enums/index.ts";
import { ruleKind } from "../../../core/rule-kinds/index.ts";
import { useLookup } from "../../components/useLookup";
import { useCreateDraft } from "../../data/rules/queries";
import type { RuleKind } from "../../data/rules/types";
import { localizeRpcError } from "../../lib/rpc-errors";
import { nameOptions } from "../../lib/format";
import type { BusinessUnit } from "../../lib/types";
import { UnitRuleSetNotice } from "./UnitRuleSetNotice";

const KEY_PATTERN = new RegExp(RULE_KEY_PATTERN);

interface Values {
  key: string;
  name: string;
  business_unit_id?: string;
  lot_kind?: string;
  priority: number;
}

/** 新建规则 (admins): a new key of the current kind as draft v1, then its editor. */
export function NewRuleButton({ kind }: { kind: RuleKind }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const kindModule = ruleKind(kind);
  const units = useLookup<BusinessUnit>("business_units");
  const createDraft = useCreateDraft();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const unitId = Form.useWatch("business_unit_id", form);

  const create = async (values: Values) => {
    setError(null);
    try {
      const created = await createDraft.mutateAsync({
        key: values.key,
        version: 1,
        kind,
        business_unit_id: values.business_unit_id ?? null,
        name: values.name.trim(),
        name_en: null,
        description: null,
        description_en: null,
        priority: values.priority,
        logic: kindModule.startingLogic,
        lot_kind: kindModule.usesLotKind ? (values.lot_kind ?? DEFAULT_LOT_KIND) : null,
        active_from: null,
        active_to: null,
      });
      setOpen(false);
      navigate(`/rules/show/${encodeURIComponent(created.key)}`);
    } catch (failure) {
      // 23505: the key (with its first version) exists already.
      const taken = (failure as { code?: string }).code === "23505";
      setError(taken ? t("rules.create.keyTaken", { key: values.key }) : localizeRpcError(failure, t));
    }
  };

  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
        {t("rules.create.button")}
      </Button>
      <Modal
        open={open}
        title={t("rules.create.title", { kind: t(kindModule.label) })}
        okText={t("rules.create.ok")}
        confirmLoading={createDraft.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" preserve={false} initialValues={{ priority: 100, lot_kind: DEFAULT_LOT_KIND }} onFinish={(v) => void create(v)}>
          <Form.Item
            name="key"
            label={t("rules.fields.key")}
            extra={t("rules.create.keyHelp")}
            rules={[{ required: true, message: t("rules.create.keyRequired") }, { pattern: KEY_PATTERN, message: t("rules.create.keyHelp") }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label={t("rules.fields.name")} rules={[{ required: true, whitespace: true, max: 100, message: t("rules.create.nameRequired") }]}>
            <Input />
          </Form.Item>
          {kindModule.unitScoped && (
            <Form.Item name="business_unit_id" label={t("rules.fields.scope")} extra={t("rules.create.scopeHelp")}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={t("rules.fields.group")}
                options={nameOptions(units.rows.filter((u) => u.active), i18n.language)}
              />
            </Form.Item>
          )}
          {kindModule.unitScoped && unitId && (
            <Form.Item>
              <UnitRuleSetNotice kind={kind} unitId={unitId} />
            </Form.Item>
          )}
          {kindModule.usesLotKind && (
            <Form.Item name="lot_kind" label={t("rules.fields.lotKind")}>
              <Select options={LOT_KINDS.map((k) => ({ value: k, label: t(lotKindLabel(k)) }))} />
            </Form.Item>
          )}
          <Form.Item name="priority" label={t("rules.fields.priority")} rules={[{ required: true }]}>
            <InputNumber min={RULE_PRIORITY_MIN} max={RULE_PRIORITY_MAX} precision={0} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
