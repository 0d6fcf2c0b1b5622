import { Alert, Input, Tabs } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { builderFields } from "../../../../core/rule-builder/fields.ts";
import { modelToLogic, type RuleModel } from "../../../../core/rule-builder/rule-model.ts";
import { ruleKind } from "../../../../core/rule-kinds/index.ts";
import type { LogicCheck } from "../logic";
import { MONO } from "../TestBench";
import { deriveModel, type Derived } from "./derive";
import { useValueLists } from "./useValueLists";
import { VisualRuleEditor } from "./VisualRuleEditor";

const pretty = (logic: unknown) => JSON.stringify(logic, null, 2);

/**
 * The rule's logic in two synced views: 可视化 (conditions and outcome blocks) and the raw JSON. Visual
 * edits rewrite the JSON; JSON the visual editor can show exactly updates it; any other JSON keeps the
 * raw view only, untouched, with a notice.
 */
export function LogicTabs({ kind, text, onText, editable, check }: { kind: string; text: string; onText: (text: string) => void; editable: boolean; check: LogicCheck }) {
  const { t } = useTranslation();
  const fields = useMemo(() => builderFields(ruleKind(kind).context), [kind]);
  const lists = useValueLists();
  const [derived, setDerived] = useState<Derived>(() => deriveModel(text, kind, fields));
  const [tab, setTab] = useState(derived.state === "model" ? "visual" : "json");
  /** A raw edit: the visual side follows when it can show the new JSON exactly. */
  const onRaw = (next: string) => {
    onText(next);
    setDerived(deriveModel(next, kind, fields));
  };

  const onModel = (model: RuleModel) => {
    setDerived({ state: "model", model });
    onText(pretty(modelToLogic(model, fields)));
  };

  const visual =
    derived.state === "model" ? (
      <VisualRuleEditor kind={kind} model={derived.model} fields={fields} lists={lists} disabled={!editable}
        errors={check.state === "invalid" ? check.errors : []} onChange={onModel} />
    ) : null;

  return (
    <>
      {derived.state === "raw" && <Alert type="info" showIcon message={t("ruleBuilder.rawOnly")} data-testid="raw-only" style={{ marginBottom: 8 }} />}
      {derived.state === "json" && tab === "visual" && <Alert type="warning" showIcon message={t("ruleBuilder.jsonBroken")} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: "visual", label: t("ruleBuilder.tabs.visual"), disabled: derived.state !== "model", children: visual },
          {
            key: "json",
            label: t("ruleBuilder.tabs.json"),
            children: (
              <Input.TextArea
                aria-label={t("rules.fields.logic")}
                value={text}
                readOnly={!editable}
                onChange={(e) => onRaw(e.target.value)}
                autoSize={{ minRows: 8, maxRows: 30 }}
                spellCheck={false}
                style={MONO}
              />
            ),
          },
        ]}
      />
    </>
  );
}
