import { DatePicker, InputNumber, Input, Select, Space } from "antd";
import dayjs from "dayjs";
import type { TFunction } from "i18next";
import i18n from "../../../i18n";
import { useTranslation } from "react-i18next";
import { Labeled } from "./Labeled";
import { blockTypesFor, emptyBlock, type Block } from "../../../../core/rule-builder/blocks.ts";
import type { ContextField } from "../../../../core/rule-kinds/index.ts";
import { PointsBlockEditor } from "./PointsBlockEditor";
import type { ValueLists } from "./useValueLists";

/** The kind's own wording of a block's input, else the block type's name. */
const byKind = (t: TFunction, group: string, kind: string, fallback: string) =>
  i18n.exists(`ruleBuilder.blocks.${group}.${kind}`) ? t(`ruleBuilder.blocks.${group}.${kind}`) : t(fallback);

/** One outcome block: its type (among the kind's) and its inputs. */
export function BlockEditor({
  kind, block, context, lists, disabled, onChange, testId,
}: {
  kind: string;
  block: Block;
  context: readonly ContextField[];
  lists: ValueLists;
  disabled: boolean;
  onChange: (b: Block) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const types = blockTypesFor(kind);
  const dateFields = context.filter((f) => f.type === "date" || f.type === "date-time");
  const numericFields = context.filter((f) => f.type === "number" || f.type === "integer");
  const tierOptions = lists.tiers.map((o) => ({ value: o.name, label: o.label }));
  const typeSelect = (
    <Select
      aria-label={t("ruleBuilder.blocks.type")}
      data-testid={`${testId}-type`}
      value={block.type}
      disabled={disabled}
      style={{ minWidth: 140 }}
      onChange={(type) => onChange(emptyBlock(type, dateFields[0]?.path ?? "now", numericFields[0]?.path ?? "transaction.amount"))}
      options={types.map((type) => ({ value: type, label: byKind(t, `typesByKind.${kind}`, type, `ruleBuilder.blocks.types.${type}`) }))}
    />
  );
  let inputs: React.ReactNode = null;
  switch (block.type) {
    case "number":
      inputs = (
        <Labeled label={byKind(t, "numberByKind", kind, "ruleBuilder.blocks.types.number")}><InputNumber
          aria-label={byKind(t, "numberByKind", kind, "ruleBuilder.blocks.types.number")}
          value={block.value}
          disabled={disabled}
          onChange={(v) => onChange({ ...block, value: typeof v === "number" ? v : 0 })}
        /></Labeled>
      );
      break;
    case "text":
      inputs = (
        <Labeled label={byKind(t, "textByKind", kind, "ruleBuilder.blocks.types.text")}><Input aria-label={byKind(t, "textByKind", kind, "ruleBuilder.blocks.types.text")}
          value={block.value} maxLength={100} disabled={disabled} onChange={(e) => onChange({ ...block, value: e.target.value })} /></Labeled>
      );
      break;
    case "tier":
      inputs = (
        <Labeled label={t("ruleBuilder.blocks.tierFloor")}><Select aria-label={t("ruleBuilder.blocks.tierFloor")} data-testid={`${testId}-tier`}
          style={{ minWidth: 160 }} value={block.value || undefined} disabled={disabled} options={tierOptions}
          onChange={(v: string) => onChange({ ...block, value: v })} /></Labeled>
      );
      break;
    case "texts":
      inputs = (
        <Select mode="tags" aria-label={byKind(t, "textsByKind", kind, "ruleBuilder.blocks.types.texts")} style={{ minWidth: 240 }} value={block.values} disabled={disabled}
          open={false} onChange={(v: string[]) => onChange({ ...block, values: v })} />
      );
      break;
    case "numbers":
      inputs = (
        <Select mode="tags" aria-label={byKind(t, "numbersByKind", kind, "ruleBuilder.blocks.types.numbers")} style={{ minWidth: 240 }}
          value={block.values.map(String)} disabled={disabled} open={false}
          onChange={(v: string[]) => onChange({ ...block, values: v.map(Number).filter((n) => Number.isFinite(n)) })} />
      );
      break;
    case "date":
      inputs = (
        <DatePicker aria-label={t("ruleBuilder.blocks.types.date")} value={block.value ? dayjs(block.value) : null} disabled={disabled}
          onChange={(d) => onChange({ ...block, value: d ? d.format("YYYY-MM-DD") : "" })} />
      );
      break;
    case "periodEnd":
      inputs = (
        <Space wrap>
          <Select aria-label={t("ruleBuilder.blocks.periodOf")} style={{ minWidth: 160 }} value={block.field} disabled={disabled}
            options={dateFields.map((f) => ({ value: f.path, label: t(f.label) }))} onChange={(field: string) => onChange({ ...block, field })} />
          <Select aria-label={t("ruleBuilder.blocks.types.periodEnd")} style={{ minWidth: 140 }} value={block.period} disabled={disabled}
            options={(["month", "year"] as const).map((p) => ({ value: p, label: t(`ruleBuilder.blocks.period.${p}`) }))}
            onChange={(period: "month" | "year") => onChange({ ...block, period })} />
        </Space>
      );
      break;
    case "monthsAfter":
      inputs = (
        <Space wrap>
          <Select aria-label={t("ruleBuilder.blocks.periodOf")} style={{ minWidth: 160 }} value={block.field} disabled={disabled}
            options={dateFields.map((f) => ({ value: f.path, label: t(f.label) }))} onChange={(field: string) => onChange({ ...block, field })} />
          <Labeled label={t("ruleBuilder.blocks.monthsAfter")}><InputNumber aria-label={t("ruleBuilder.blocks.monthsAfter")} value={block.months}
            min={1} max={120} precision={0} disabled={disabled} onChange={(v) => onChange({ ...block, months: typeof v === "number" ? v : 1 })} /></Labeled>
        </Space>
      );
      break;
    case "points":
      inputs = <PointsBlockEditor block={block} numericFields={numericFields} tierOptions={tierOptions} disabled={disabled} onChange={onChange} />;
      break;
    case "none":
      break;
  }
  return (
    <Space wrap align="start" data-testid={testId}>
      {types.length > 1 && typeSelect}
      {inputs}
    </Space>
  );
}
