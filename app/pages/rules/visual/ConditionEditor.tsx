import { QueryBuilderAntD } from "@react-querybuilder/antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { QueryBuilder, type Field, type RuleGroupType, type RuleType } from "react-querybuilder";
import "react-querybuilder/dist/query-builder.css";
import "./rule-builder.css";
import { queryTranslations } from "./queryFields";

/** The rule ids at fault (validation paths mapped into this query), highlighted in red. */
export function ConditionEditor({
  query, fields, onChange, disabled, faultIds,
}: {
  query: RuleGroupType;
  fields: Field[];
  onChange: (q: RuleGroupType) => void;
  disabled: boolean;
  faultIds: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const translations = useMemo(() => queryTranslations(t), [t]);
  const combinators = useMemo(() => ["and", "or"].map((c) => ({ name: c, value: c, label: t(`ruleBuilder.combinators.${c}`) })), [t]);
  return (
    <QueryBuilderAntD>
      <QueryBuilder
        query={query}
        fields={fields}
        onQueryChange={onChange}
        combinators={combinators}
        translations={translations}
        showNotToggle
        listsAsArrays
        disabled={disabled}
        resetOnFieldChange
        getRuleClassname={(rule: RuleType) => (rule.id && faultIds.has(rule.id) ? "rule-fault" : "")}
        controlClassnames={{ queryBuilder: "queryBuilder-branches" }}
      />
    </QueryBuilderAntD>
  );
}
