import { Alert, Input, Tabs } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { prepareRuleGroup, type Field, type RuleGroupType } from "react-querybuilder";
import { FLOW_BUILDER_FIELDS, FLOW_BUILDER_OPERATORS, flowConditionQuery } from "../../../../core/approvals/flow-condition-fields.ts";
import { queryToCondition } from "../../../../core/rule-builder/condition.ts";
import { MONO } from "../../rules/mono";
import { ConditionEditor } from "../../rules/visual/ConditionEditor";
import { queryFields } from "../../rules/visual/queryFields";
import { useValueLists } from "../../rules/visual/useValueLists";
import { parseCondition } from "./editor-state";

const EMPTY = () => prepareRuleGroup({ combinator: "and", rules: [] });

/** The query a condition's text shows as: empty text is no condition (an empty query), null when only JSON can show it. */
function queryOf(text: string): RuleGroupType | null {
  if (text.trim() === "") return EMPTY();
  const parsed = parseCondition(text);
  if (!parsed.ok || parsed.value === null) return parsed.ok ? EMPTY() : null;
  const query = flowConditionQuery(parsed.value);
  return query ? prepareRuleGroup(query) : null;
}

/**
 * A step's condition: built in the visual condition editor (the fields a flow condition reads, the operators the flow
 * subset evaluates) or written as JSON-logic; both views show the same condition. A condition the visual editor cannot
 * show exactly stays in the JSON view, untouched.
 */
export function FlowConditionEditor({ text, label, disabled, onChange }: {
  text: string;
  label: string;
  disabled: boolean;
  onChange: (text: string) => void;
}) {
  const { t } = useTranslation();
  const lists = useValueLists();
  const fields = useMemo(
    (): Field[] => queryFields(FLOW_BUILDER_FIELDS, lists, t).map((f) => ({
      ...f, operators: (f.operators as { name: string; value: string; label: string }[]).filter((op) => FLOW_BUILDER_OPERATORS.includes(op.name)),
    })),
    [lists, t],
  );
  // The query being edited is kept while its text is the one it wrote (so half-built comparisons keep their place).
  const [edited, setEdited] = useState<{ text: string; query: RuleGroupType } | null>(null);
  const derived = useMemo(() => queryOf(text), [text]);
  const shown = edited && edited.text === text ? edited.query : derived;
  const [tab, setTab] = useState(() => (shown ? "visual" : "json"));
  const visualTab = shown ? tab : "json";

  const changeQuery = (next: RuleGroupType) => {
    const condition = next.rules.length ? queryToCondition(next, FLOW_BUILDER_FIELDS) : null;
    const nextText = condition === null ? "" : JSON.stringify(condition, null, 2);
    setEdited({ text: nextText, query: next });
    onChange(nextText);
  };

  return (
    <Tabs
      size="small"
      activeKey={visualTab}
      onChange={setTab}
      data-testid="flow-condition"
      items={[
        {
          key: "visual",
          label: t("approvals.flowEditor.conditionVisual"),
          disabled: !shown,
          children: shown && (
            <ConditionEditor query={shown} fields={fields} onChange={changeQuery} disabled={disabled} faultIds={new Set()} />
          ),
        },
        {
          key: "json",
          label: "JSON",
          children: (
            <>
              {!shown && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t("approvals.flowEditor.conditionRawOnly")} />}
              <Input.TextArea
                aria-label={label}
                value={text}
                disabled={disabled}
                onChange={(e) => {
                  setEdited(null);
                  onChange(e.target.value);
                }}
                autoSize={{ minRows: 2, maxRows: 12 }}
                spellCheck={false}
                style={MONO}
              />
            </>
          ),
        },
      ]}
    />
  );
}
