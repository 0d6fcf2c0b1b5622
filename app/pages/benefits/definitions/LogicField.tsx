import { Alert, Input, Radio, Space } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Field } from "react-querybuilder";
import { conditionToQuery, queryToCondition, type ConditionQuery } from "../../../../core/rule-builder/condition.ts";
import { isDeepStrictEqual } from "../../../../core/rule-builder/deep-equal.ts";
import type { BuilderField } from "../../../../core/rule-builder/fields.ts";
import { ConditionEditor } from "../../rules/visual/ConditionEditor";
import { queryFields } from "../../rules/visual/queryFields";
import { useValueLists } from "../../rules/visual/useValueLists";

const EMPTY: ConditionQuery = { combinator: "and", rules: [] };
/** The comparisons the SQL condition subset evaluates (private.flow_value: ==, !=, <, <=, >, >=, in, !). */
const SQL_OPERATORS = new Set(["=", "!=", "<", "<=", ">", ">=", "in", "notIn"]);

/** The query a stored condition reads as, when the editor gives back exactly that JSON; else null (raw JSON). */
function representable(logic: unknown, fields: readonly BuilderField[]): ConditionQuery | null {
  const query = conditionToQuery(logic, fields);
  return query && isDeepStrictEqual(queryToCondition(query, fields), logic) ? query : null;
}

/**
 * A JSON-logic condition of a benefit (who is eligible, which purchase grants it), edited with the rules'
 * visual condition editor over the given context fields; `null` means "no condition" (everyone / never, as
 * the caller words it). A condition the editor cannot represent exactly is shown and edited as JSON.
 */
export function LogicField({ value, onChange, fields, noneLabel, someLabel, disabled }: {
  value: unknown;
  onChange: (next: unknown) => void;
  fields: readonly BuilderField[];
  noneLabel: string;
  someLabel: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const lists = useValueLists();
  const qFields = useMemo(
    () => queryFields(fields, lists, t).map((f): Field => ({ ...f, operators: (f.operators as { name: string; value: string; label: string }[]).filter((op) => SQL_OPERATORS.has(op.name)) })),
    [fields, lists, t],
  );
  const [query, setQuery] = useState<ConditionQuery | null>(() => (value === null || value === undefined ? EMPTY : representable(value, fields)));
  const [text, setText] = useState(() => JSON.stringify(value ?? true, null, 2));
  const [textError, setTextError] = useState(false);
  const on = value !== null && value !== undefined;

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Radio.Group disabled={disabled} value={on ? "some" : "none"}
        onChange={(e) => onChange(e.target.value === "none" ? null : query ? queryToCondition(query, fields) : safeParse(text) ?? true)}>
        <Radio value="none">{noneLabel}</Radio>
        <Radio value="some">{someLabel}</Radio>
      </Radio.Group>
      {on && (query ? (
        <ConditionEditor query={query} fields={qFields} disabled={!!disabled} faultIds={new Set()}
          onChange={(next) => {
            setQuery(next);
            onChange(queryToCondition(next, fields));
          }} />
      ) : (
        <>
          <Alert type="info" showIcon message={t("benefit_definitions.editor.rawLogic")} />
          <Input.TextArea rows={6} value={text} disabled={disabled} status={textError ? "error" : undefined} className="mono"
            onChange={(e) => {
              setText(e.target.value);
              const parsed = safeParse(e.target.value);
              setTextError(parsed === undefined);
              if (parsed !== undefined) onChange(parsed);
            }} />
        </>
      ))}
    </Space>
  );
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
