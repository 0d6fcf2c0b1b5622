import { Tag, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { benefitKindLabel, benefitPeriodLabel, benefitRefusalLabel } from "../../data/benefits/labels";
import type { BenefitDefinition, UsableBenefit } from "../../data/benefits/types";
import { formatMoney } from "../../lib/format";

/** What one benefit is worth, in words: "3 小时", "9 折", "¥100.00"; "" for kinds without a value. */
export function benefitValueText(kind: string, value: number | null | undefined, t: TFunction): string {
  if (value === null || value === undefined) return "";
  switch (kind) {
    case "parking_hours":
      return t("benefitsUi.value.parking_hours", { value });
    case "discount_percent":
      return t("benefitsUi.value.discount_percent", { value, rate: (100 - value) / 10 });
    case "coupon":
      return t("benefitsUi.value.coupon", { amount: formatMoney(value / 100) });
    default:
      return "";
  }
}

/** "免费停车 · 3 小时" */
export function benefitKindText(kind: string, value: number | null | undefined, t: TFunction): string {
  const worth = benefitValueText(kind, value, t);
  return worth ? `${t(benefitKindLabel(kind))} · ${worth}` : t(benefitKindLabel(kind));
}

/** The stacking policy in words. */
export function stackingText(row: Pick<UsableBenefit, "stacks_with_points" | "stacks_with_benefits">, t: TFunction): string {
  return [
    t(row.stacks_with_points ? "benefitsUi.stacking.withPoints" : "benefitsUi.stacking.notWithPoints"),
    t(row.stacks_with_benefits ? "benefitsUi.stacking.withBenefits" : "benefitsUi.stacking.notWithBenefits"),
  ].join("；");
}

/** "每月 4 次", "共 1 次". */
export function quotaText(def: Pick<BenefitDefinition, "uses_per_period" | "period">, t: TFunction): string {
  return def.period === "once"
    ? t("benefitsUi.quota.once", { count: def.uses_per_period })
    : t("benefitsUi.quota.perPeriod", { period: t(benefitPeriodLabel(def.period)), count: def.uses_per_period });
}

/** A grant's state at this unit: usable, or the translated reason why not. */
export function UsabilityTag({ benefit }: { benefit: Pick<UsableBenefit, "usable" | "refusal"> }) {
  const { t } = useTranslation();
  if (benefit.usable) return <Tag color="green">{t("benefitsUi.usable")}</Tag>;
  return <Tag>{t(benefitRefusalLabel(benefit.refusal ?? "not_eligible"))}</Tag>;
}

/** A coupon code, kept in one piece and never translated. */
export function CouponCode({ code }: { code: string | null }) {
  if (!code) return <>—</>;
  return <Typography.Text code copyable translate="no" className="nowrap">{code}</Typography.Text>;
}

/** "星河酒店" for the codes of the units that accept a benefit; every unit when there is no list. */
export function acceptedText(codes: readonly string[] | null | undefined, unitByCode: (code: string) => string, t: TFunction): string {
  return codes && codes.length ? codes.map(unitByCode).join("、") : t("benefitsUi.rules.everyUnit");
}

/** A definition's rules in plain words, one line each: what it is worth, how often, where, stacking, how long. */
export function ruleLines(def: BenefitDefinition, unitByCode: (code: string) => string, t: TFunction): string[] {
  return [
    benefitKindText(def.kind, def.value, t),
    quotaText(def, t),
    t("benefitsUi.rules.accepted", { units: acceptedText(def.accepting_unit_codes, unitByCode, t) }),
    stackingText(def, t),
    t("benefitsUi.rules.validity", { days: def.validity_days }),
  ];
}
