import { Button, Card, Space, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { BuilderField } from "../../../../core/rule-builder/fields.ts";
import type { RuleModel } from "../../../../core/rule-builder/rule-model.ts";
import type { RuleIssue } from "../../../../core/rules/index.ts";
import { ruleKind } from "../../../../core/rule-kinds/index.ts";
import { BlockEditor } from "./BlockEditor";
import { copyBlock, emptyQuery, faultPlaces } from "./branches";
import { ConditionEditor } from "./ConditionEditor";
import { queryFields } from "./queryFields";
import type { ValueLists } from "./useValueLists";

const FAULT_STYLE = { borderColor: "#ff4d4f", boxShadow: "0 0 0 1px #ff4d4f" };

/** If/then branches and the otherwise block of one rule, edited without JSON. */
export function VisualRuleEditor({
  kind, model, fields, lists, disabled, errors, onChange,
}: {
  kind: string;
  model: RuleModel;
  fields: readonly BuilderField[];
  lists: ValueLists;
  disabled: boolean;
  errors: readonly RuleIssue[];
  onChange: (m: RuleModel) => void;
}) {
  const { t } = useTranslation();
  const context = ruleKind(kind).context;
  const rqbFields = useMemo(() => queryFields(fields, lists, t), [fields, lists, t]);
  const faults = useMemo(() => faultPlaces(model, errors), [model, errors]);
  const faultTitle = (place: string) => (faults.parts.has(place) ? <Typography.Text type="danger">{t("ruleBuilder.fault")}</Typography.Text> : null);
  const setBranch = (i: number, change: Partial<RuleModel["branches"][number]>) =>
    onChange({ ...model, branches: model.branches.map((b, j) => (j === i ? { ...b, ...change } : b)) });
  const block = (place: string) => ({ kind, context, lists, disabled, testId: `block-${place}` });

  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="visual-editor">
      {model.branches.map((b, i) => (
        <Card
          key={i}
          size="small"
          data-testid={`branch-${i}`}
          title={t("ruleBuilder.branch", { n: i + 1 })}
          extra={!disabled && <Button size="small" danger onClick={() => onChange({ ...model, branches: model.branches.filter((_, j) => j !== i) })}>{t("ruleBuilder.removeBranch")}</Button>}
        >
          <div style={{ border: "1px solid transparent", borderRadius: 6, padding: 4, ...(faults.parts.has(`${i}:when`) ? FAULT_STYLE : {}) }} data-fault={faults.parts.has(`${i}:when`) || undefined}>
            <Typography.Text strong>{t("ruleBuilder.when")}</Typography.Text> {faultTitle(`${i}:when`)}
            <ConditionEditor query={b.when} fields={rqbFields} disabled={disabled} faultIds={faults.ruleIds} onChange={(when) => setBranch(i, { when })} />
          </div>
          <div style={{ border: "1px solid transparent", borderRadius: 6, padding: 4, marginTop: 8, ...(faults.parts.has(`${i}:then`) ? FAULT_STYLE : {}) }} data-fault={faults.parts.has(`${i}:then`) || undefined}>
            <Typography.Text strong>{t("ruleBuilder.then")}</Typography.Text> {faultTitle(`${i}:then`)}
            <div><BlockEditor {...block(`then-${i}`)} block={b.then} onChange={(then) => setBranch(i, { then })} /></div>
          </div>
        </Card>
      ))}
      {!disabled && (
        <Button
          data-testid="add-branch"
          onClick={() => onChange({ ...model, branches: [...model.branches, { when: emptyQuery(), then: copyBlock(model.otherwise) }] })}
        >
          + {t("ruleBuilder.addBranch")}
        </Button>
      )}
      <Card size="small" data-testid="branch-otherwise" style={faults.parts.has("otherwise:then") ? FAULT_STYLE : undefined}
        title={model.branches.length ? t("ruleBuilder.otherwise") : t("ruleBuilder.always")} extra={faultTitle("otherwise:then")}>
        <BlockEditor {...block("otherwise")} block={model.otherwise} onChange={(otherwise) => onChange({ ...model, otherwise })} />
      </Card>
    </Space>
  );
}
