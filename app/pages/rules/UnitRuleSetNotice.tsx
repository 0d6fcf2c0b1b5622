import { Alert } from "antd";
import { useTranslation } from "react-i18next";
import { ruleKindLabel } from "../../../core/rule-kinds/index.ts";
import { useUnitName } from "../../components/useUnitName";
import { useRuleSets } from "../../data/rules/queries";
import type { RuleKind } from "../../data/rules/types";

/**
 * What scoping a rule to one business unit means (public.rule_sets): a unit with its own set of a kind is
 * evaluated by its own rules only; the first rule published for a unit creates that set with the group's
 * combination policy (public.publish_rule).
 */
export function useUnitRuleSet(kind: RuleKind, unitId: string | null | undefined) {
  const sets = useRuleSets();
  if (!unitId || !sets.data) return null;
  const own = sets.data.find((s) => s.kind === kind && s.business_unit_id === unitId);
  const group = sets.data.find((s) => s.kind === kind && !s.business_unit_id);
  return { exists: !!own, combination: (own ?? group)?.combination ?? null };
}

/** The sentence that explains the unit's rule set (null for group-wide rules): see useUnitRuleSet. */
export function useUnitRuleSetText(kind: RuleKind, unitId: string | null | undefined) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const set = useUnitRuleSet(kind, unitId);
  if (!set || !set.combination) return null;
  const values = { unit: unitName(unitId), kind: t(ruleKindLabel(kind)), combination: t(`rules.combination.${set.combination}`) };
  return { exists: set.exists, text: t(set.exists ? "rules.unitSet.exists" : "rules.unitSet.willCreate", values) };
}

export function UnitRuleSetNotice({ kind, unitId }: { kind: RuleKind; unitId: string | null | undefined }) {
  const notice = useUnitRuleSetText(kind, unitId);
  if (!notice) return null;
  return <Alert type={notice.exists ? "info" : "warning"} showIcon data-testid="unit-rule-set" message={notice.text} />;
}
