import { Alert, Button, Card, Form, Select, Space, Spin } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderField } from "../../../../core/rule-builder/fields.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useLookup } from "../../../components/useLookup";
import { useSaveBenefitDraft, type BenefitDraft } from "../../../data/benefits/definitions";
import type { BenefitDefinition } from "../../../data/benefits/types";
import { usePublishedForm } from "../../../data/forms/use-published-form";
import { SchemaForm } from "../../../forms/SchemaForm";
import { localizedName } from "../../../lib/format";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { BusinessUnit, Tier } from "../../../lib/types";
import { LogicField } from "./LogicField";

const FORM_ID = "benefit-definition-form";
/** The fields the published `benefit` form edits (the rest have their own inputs below). */
const SCHEMA_FIELDS = [
  "name", "name_en", "description", "description_en", "kind", "value", "uses_per_period", "period", "validity_days", "stacks_with_points", "stacks_with_benefits",
  "grant_in_birthday_month",
] as const;

/**
 * Who is eligible: the member context SQL builds (private.benefit_member_context: tier, tier_rank, tags,
 * birthday_month, status, home_business_unit, growth_value); which purchase grants it: {transaction, member}.
 * Tags are left to the raw condition (the SQL subset has no has_tag).
 */
const memberFields = (prefix: string): BuilderField[] => [
  { name: `${prefix}tier`, label: "ruleContext.member.tier", type: "string", values: "tiers" },
  { name: `${prefix}tier_rank`, label: "benefit_definitions.context.tier_rank", type: "integer", values: "tierRanks" },
  { name: `${prefix}birthday_month`, label: "benefit_definitions.context.birthday_month", type: "integer" },
  { name: `${prefix}status`, label: "ruleContext.member.status", type: "string", values: "memberStatuses" },
  { name: `${prefix}home_business_unit`, label: "ruleContext.member.home_business_unit", type: "string", values: "businessUnits" },
  { name: `${prefix}growth_value`, label: "ruleContext.member.growth_value", type: "integer" },
];
export const MEMBER_BUILDER_FIELDS: readonly BuilderField[] = memberFields("");
export const TRANSACTION_BUILDER_FIELDS: readonly BuilderField[] = [
  { name: "transaction.amount", label: "ruleContext.transaction.amount", type: "number" },
  { name: "transaction.channel", label: "ruleContext.transaction.channel", type: "string", values: "channels" },
  { name: "transaction.business_unit", label: "benefit_definitions.context.business_unit", type: "string", values: "businessUnits" },
  { name: "transaction.business_unit_kind", label: "ruleContext.transaction.business_unit.kind", type: "string", values: "unitKinds" },
  ...memberFields("member.").map((f) => ({ ...f, label: f.label.startsWith("ruleContext.member.") ? f.label : `${f.label}Member` })),
];

/** Empty strings of optional texts are stored as null. */
const orNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : (v ?? null));

/**
 * A draft's editor: its fields by the published `benefit` form (the form builder's schema, validated by ajv),
 * the issuing and accepting units, the tiers that are granted it, and its eligibility and purchase trigger as
 * conditions in the rules' visual editor.
 */
export function BenefitEditor({ def, onSaved }: { def: BenefitDefinition; onSaved: (saved: BenefitDefinition) => void }) {
  const { t, i18n } = useTranslation();
  const form = usePublishedForm("benefit");
  const units = useLookup<BusinessUnit>("business_units");
  const tiers = useLookup<Tier>("tiers");
  const save = useSaveBenefitDraft();
  const [data, setData] = useState<Record<string, unknown>>(() => Object.fromEntries(SCHEMA_FIELDS.map((f) => [f, def[f] ?? undefined]).filter(([, v]) => v !== undefined)));
  const [issuing, setIssuing] = useState<string>(def.issuing_unit_id);
  const [accepting, setAccepting] = useState<string[]>(def.accepting_unit_codes ?? []);
  const [grantTiers, setGrantTiers] = useState<string[]>(def.grant_on_tiers ?? []);
  const [eligibility, setEligibility] = useState<unknown>(def.eligibility ?? null);
  const [onTransaction, setOnTransaction] = useState<unknown>(def.grant_on_transaction ?? null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const e = (key: string) => t(`benefit_definitions.editor.${key}`);

  const unitOptions = useMemo(() => units.rows.filter((u) => u.active).map((u) => ({ value: u.code, label: localizedName(u, i18n.language), id: u.id })), [units.rows, i18n.language]);
  const tierOptions = useMemo(() => [...tiers.rows].sort((a, b) => a.rank - b.rank).map((tier) => ({ value: tier.code, label: localizedName(tier, i18n.language) })), [tiers.rows, i18n.language]);

  const submit = async (values: Record<string, unknown>) => {
    setError(null);
    setSaved(false);
    const changes: Partial<BenefitDraft> = {
      ...Object.fromEntries(SCHEMA_FIELDS.map((f) => [f, orNull(values[f])])),
      issuing_unit_id: issuing,
      accepting_unit_codes: accepting.length ? accepting : null,
      grant_on_tiers: grantTiers.length ? grantTiers : null,
      eligibility,
      grant_on_transaction: onTransaction,
    };
    try {
      onSaved(await save.mutateAsync({ id: def.id, changes }));
      setSaved(true);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  if (form === undefined) return <Spin />;
  if (form === null) return <Alert type="warning" showIcon message={e("noForm")} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <RpcErrorAlert message={error} />
      {saved && <Alert type="success" showIcon message={e("saved")} closable onClose={() => setSaved(false)} />}
      <Card size="small" title={e("basics")}>
        <SchemaForm id={FORM_ID} schema={form.schema} uiSchema={form.ui_schema} formData={data} onChange={setData} onSubmit={(values) => void submit(values)} />
      </Card>
      <Card size="small" title={e("where")}>
        <Form layout="vertical">
          <Form.Item label={e("issuingUnit")} required extra={e("issuingHint")}>
            <Select aria-label={e("issuingUnit")} value={issuing} onChange={setIssuing} options={unitOptions.map((o) => ({ value: o.id, label: o.label }))} />
          </Form.Item>
          <Form.Item label={e("acceptingUnits")} extra={e("acceptingHint")}>
            <Select aria-label={e("acceptingUnits")} mode="multiple" allowClear value={accepting} onChange={setAccepting}
              options={unitOptions.map((o) => ({ value: o.value, label: o.label }))} placeholder={t("benefitsUi.rules.everyUnit")} />
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={e("grants")}>
        <Form layout="vertical">
          <Form.Item label={e("grantOnTiers")} extra={e("grantOnTiersHint")}>
            <Select aria-label={e("grantOnTiers")} mode="multiple" allowClear value={grantTiers} onChange={setGrantTiers} options={tierOptions} />
          </Form.Item>
          <Form.Item label={e("eligibility")}>
            <LogicField value={eligibility} onChange={setEligibility} fields={MEMBER_BUILDER_FIELDS} noneLabel={e("eligibilityNone")} someLabel={e("eligibilitySome")} />
          </Form.Item>
          <Form.Item label={e("onTransaction")}>
            <LogicField value={onTransaction} onChange={setOnTransaction} fields={TRANSACTION_BUILDER_FIELDS} noneLabel={e("onTransactionNone")} someLabel={e("onTransactionSome")} />
          </Form.Item>
        </Form>
      </Card>
      <Button type="primary" htmlType="submit" form={FORM_ID} loading={save.isPending}>{e("save")}</Button>
    </Space>
  );
}
