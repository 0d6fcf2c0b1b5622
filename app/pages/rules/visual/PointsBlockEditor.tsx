import { Button, Checkbox, InputNumber, Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Labeled } from "./Labeled";
import type { PointsBlock, Rounding } from "../../../../core/rule-builder/blocks.ts";
import type { ContextField } from "../../../../core/rule-kinds/index.ts";

/** amount × rate × tier multiplier, cap and rounding (an earning rule's points). */
export function PointsBlockEditor({
  block, numericFields, tierOptions, disabled, onChange,
}: {
  block: PointsBlock;
  numericFields: readonly ContextField[];
  tierOptions: { value: string; label: string }[];
  disabled: boolean;
  onChange: (b: PointsBlock) => void;
}) {
  const { t } = useTranslation();
  const p = (key: string) => t(`ruleBuilder.blocks.points.${key}`);
  const tiers = block.tiers;
  const setFactor = (i: number, change: Partial<{ tier: string; factor: number }>) =>
    tiers && onChange({ ...block, tiers: { ...tiers, factors: tiers.factors.map((f, j) => (j === i ? { ...f, ...change } : f)) } });
  return (
    <Space direction="vertical">
      <Space wrap>
        <Select aria-label={p("base")} style={{ minWidth: 160 }} value={block.base} disabled={disabled}
          options={numericFields.map((f) => ({ value: f.path, label: t(f.label) }))} onChange={(base: string) => onChange({ ...block, base })} />
        <Typography.Text>{p("times")}</Typography.Text>
        <Labeled label={p("rate")}><InputNumber aria-label={p("rate")} value={block.rate} min={0} disabled={disabled}
          onChange={(v) => onChange({ ...block, rate: typeof v === "number" ? v : 1 })} /></Labeled>
        <Select aria-label={p("rounding")} style={{ minWidth: 120 }} value={block.rounding} disabled={disabled}
          options={(["floor", "round", "none"] as const).map((r) => ({ value: r, label: p(`roundings.${r}`) }))}
          onChange={(rounding: Rounding) => onChange({ ...block, rounding })} />
        <Labeled label={p("cap")}><InputNumber aria-label={p("cap")} placeholder={p("noCap")} value={block.cap} min={0} disabled={disabled}
          onChange={(v) => onChange({ ...block, cap: typeof v === "number" ? v : null })} /></Labeled>
      </Space>
      <Checkbox checked={!!tiers} disabled={disabled}
        onChange={(e) => onChange({ ...block, tiers: e.target.checked ? { factors: [], otherwise: 1 } : null })}>
        {p("tiers")}
      </Checkbox>
      {tiers && (
        <Space direction="vertical" style={{ paddingLeft: 24 }}>
          {tiers.factors.map((f, i) => (
            <Space key={i}>
              <Select aria-label={p("tier")} style={{ minWidth: 120 }} value={f.tier} disabled={disabled} options={tierOptions}
                onChange={(tier: string) => setFactor(i, { tier })} />
              <InputNumber aria-label={p("factor")} value={f.factor} min={0} disabled={disabled} onChange={(v) => setFactor(i, { factor: typeof v === "number" ? v : 1 })} />
              <Button size="small" disabled={disabled} onClick={() => onChange({ ...block, tiers: { ...tiers, factors: tiers.factors.filter((_, j) => j !== i) } })}>
                {t("ruleBuilder.controls.remove")}
              </Button>
            </Space>
          ))}
          <Space>
            <Button size="small" disabled={disabled}
              onClick={() => onChange({ ...block, tiers: { ...tiers, factors: [...tiers.factors, { tier: tierOptions[0]?.value ?? "standard", factor: 1 }] } })}>
              + {p("addTier")}
            </Button>
            <Labeled label={p("otherTiers")}><InputNumber aria-label={p("otherTiers")} value={tiers.otherwise} min={0} disabled={disabled}
              onChange={(v) => onChange({ ...block, tiers: { ...tiers, otherwise: typeof v === "number" ? v : 1 } })} /></Labeled>
          </Space>
        </Space>
      )}
    </Space>
  );
}
