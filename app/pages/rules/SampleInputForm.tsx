import type { RJSFSchema } from "@rjsf/utils";
import { Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ruleKind, type ContextField } from "../../../core/rule-kinds/index.ts";
import { SchemaForm } from "../../forms/SchemaForm";
import type { RuleKind } from "../../data/rules/types";

/** Form field names stand for dotted paths (a JSON Schema property name with dots confuses RJSF's ids). */
const fieldName = (path: string) => path.replace(/\./g, "__");

function fieldSchema(field: ContextField, title: string): RJSFSchema | null {
  switch (field.type) {
    case "number": return { type: "number", title };
    case "integer": return { type: "integer", title };
    case "string": return { type: "string", title };
    case "date": return { type: "string", format: "date", title };
    case "date-time": return { type: "string", title };
    case "string[]": return { type: "array", title, items: { type: "string" } };
    default: return null; // lists of objects (line items) are edited as JSON
  }
}

function read(data: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), data);
}

function write(data: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = data;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== "object" || Array.isArray(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/**
 * The sample input as a form generated from the kind's context fields (core/rule-kinds: path, type, label):
 * editing a field rewrites that path of the sample; the rest of the sample is kept as it is.
 */
export function SampleInputForm({ kind, value, onChange }: { kind: RuleKind; value: Record<string, unknown>; onChange: (next: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const fields = useMemo(() => ruleKind(kind).context.filter((f) => fieldSchema(f, "") !== null), [kind]);
  const schema = useMemo<RJSFSchema>(() => ({
    type: "object",
    properties: Object.fromEntries(fields.map((f) => [fieldName(f.path), fieldSchema(f, t(f.label))!])),
  }), [fields, t]);
  const formData = useMemo(() => Object.fromEntries(fields.map((f) => [fieldName(f.path), read(value, f.path) ?? undefined])), [fields, value]);

  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t("rules.bench.formNote")}</Typography.Paragraph>
      <SchemaForm
        schema={schema}
        formData={formData}
        onChange={(data) => {
          const next = structuredClone(value);
          for (const f of fields) {
            const before = read(value, f.path);
            const after = data[fieldName(f.path)];
            if (JSON.stringify(before) !== JSON.stringify(after)) write(next, f.path, after === undefined ? null : after);
          }
          onChange(next);
        }}
      />
    </>
  );
}
