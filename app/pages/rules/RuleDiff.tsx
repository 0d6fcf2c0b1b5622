import { Card, Table, Typography } from "antd";
import { diffLines } from "diff";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { lotKindLabel } from "../../../core/enums/index.ts";
import type { Rule } from "../../data/rules/types";
import { formatDateTime } from "../../lib/format";
import { MONO } from "./mono";

type Field = "name" | "name_en" | "description" | "description_en" | "priority" | "lot_kind" | "active_from" | "active_to";
const FIELDS: { field: Field; label: string; format?: (v: unknown, t: TFunction) => string }[] = [
  { field: "name", label: "rules.fields.name" },
  { field: "name_en", label: "rules.fields.nameEn" },
  { field: "description", label: "rules.fields.description" },
  { field: "description_en", label: "rules.fields.descriptionEn" },
  { field: "priority", label: "rules.fields.priority" },
  { field: "lot_kind", label: "rules.fields.lotKind", format: (v, t) => t(lotKindLabel(String(v))) },
  { field: "active_from", label: "rules.fields.activeFrom", format: (v) => formatDateTime(v as string | null) },
  { field: "active_to", label: "rules.fields.activeTo", format: (v) => formatDateTime(v as string | null) },
];

const pretty = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const norm = (field: Field, v: unknown) => (v === "" || v === undefined || v === null ? null : field.startsWith("active_") ? Date.parse(String(v)) : v);
const same = (field: Field, a: unknown, b: unknown) => norm(field, a) === norm(field, b);

/** What a draft changes against the published version: each changed field side by side, and the logic as a unified diff. */
export function RuleDiff({ draft, published }: { draft: Rule; published: Rule | undefined }) {
  const { t } = useTranslation();
  if (!published) {
    return <Card size="small" title={t("rules.diff.title")}><Typography.Text type="secondary">{t("rules.diff.noPublished")}</Typography.Text></Card>;
  }
  const changed = FIELDS.filter((f) => !same(f.field, draft[f.field], published[f.field]));
  const parts = diffLines(pretty(published.logic), pretty(draft.logic));
  const logicChanged = parts.some((p) => p.added || p.removed);
  const show = (f: (typeof FIELDS)[number], v: unknown) => (v === null || v === undefined || v === "" ? "—" : f.format ? f.format(v, t) : String(v));

  return (
    <Card size="small" title={t("rules.diff.title")} data-testid="rule-diff"
      extra={<Typography.Text type="secondary">{t("rules.diff.compare", { draft: draft.version, published: published.version })}</Typography.Text>}>
      {!changed.length && !logicChanged ? (
        <Typography.Text type="secondary">{t("rules.diff.none")}</Typography.Text>
      ) : (
        <>
          {changed.length > 0 && (
            <Table size="small" pagination={false} rowKey="field" dataSource={changed} style={{ marginBottom: 12 }}>
              <Table.Column title={t("rules.diff.field")} render={(_, f: (typeof FIELDS)[number]) => t(f.label)} />
              <Table.Column title={t("rules.diff.before")} render={(_, f: (typeof FIELDS)[number]) => show(f, published[f.field])} />
              <Table.Column title={t("rules.diff.after")} render={(_, f: (typeof FIELDS)[number]) => <Typography.Text strong>{show(f, draft[f.field])}</Typography.Text>} />
            </Table>
          )}
          {logicChanged && (
            <>
              <Typography.Text type="secondary">{t("rules.diff.json")}</Typography.Text>
              <pre data-testid="rule-diff-logic" style={{ ...MONO, margin: 0, padding: 8, background: "rgba(0,0,0,0.03)", maxHeight: 400, overflow: "auto" }}>
                {parts.flatMap((p, i) =>
                  p.value.replace(/\n$/, "").split("\n").map((line, j) => (
                    <div key={`${i}-${j}`} style={{ background: p.added ? "rgba(82,196,26,0.15)" : p.removed ? "rgba(255,77,79,0.15)" : undefined }}>
                      {`${p.added ? "+" : p.removed ? "-" : " "} ${line}`}
                    </div>
                  )))}
              </pre>
            </>
          )}
        </>
      )}
    </Card>
  );
}
