import type { RJSFSchema } from "@rjsf/utils";
import type { TFunction } from "i18next";
import { useEffect, useState } from "react";
import { fieldKind } from "../forms/field-kind";
import { enumLabels } from "../forms/localize";
import { loadReference } from "../forms/widgets/use-reference-options";
import { formatCount, formatDateTime, formatMoney } from "../lib/format";
import { dataProvider } from "../providers/data-provider";
import { queryClient } from "../providers/query-client";

/** "name · member no." of a member, from the query cache (fetched once per member). */
function memberName(id: string): Promise<string> {
  return queryClient
    .fetchQuery({
      queryKey: ["member-name", id],
      queryFn: async () => (await dataProvider.getOne<{ id: string; name: string; member_no: string }>({ resource: "members", id, meta: { select: "id, name, member_no" } })).data,
      staleTime: 60_000,
    })
    .then((data) => (data ? `${data.name} · ${data.member_no}` : id), () => id);
}

/** The name of a referenced row (member, business unit, tier), loaded once and cached. */
function RefName({ id, resource, language }: { id: string; resource: string; language: string }) {
  const [name, setName] = useState<string>("…");
  useEffect(() => {
    let live = true;
    const load =
      resource === "members"
        ? memberName(id)
        : loadReference(resource).then((rows) => {
            const row = rows.find((r) => r.id === id);
            return row ? (language === "en" && row.name_en) || row.name : id;
          });
    void load.then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id, resource, language]);
  return <>{name}</>;
}

/** A field's value for lists, detail pages and exports: money as ¥, options by label, references by name. */
export function formatValue(schema: RJSFSchema | undefined, fieldUi: unknown, value: unknown, language: string, t: TFunction): string {
  if (value === null || value === undefined || value === "") return "—";
  const kind = fieldKind(schema, fieldUi);
  switch (kind) {
    case "money":
      return formatMoney(value as number);
    case "points":
    case "number":
      return typeof value === "number" ? formatCount(value) : String(value);
    case "datetime":
      return formatDateTime(String(value));
    case "boolean":
      return value ? t("common.yes") : t("common.no");
    case "enum":
      return enumLabels(schema, fieldUi, language).get(value) ?? String(value);
    case "multienum": {
      const labels = enumLabels(schema, fieldUi, language);
      return Array.isArray(value) ? value.map((v) => labels.get(v) ?? String(v)).join("、") || "—" : String(value);
    }
    default:
      if (Array.isArray(value)) return value.join("、") || "—";
      if (typeof value === "object") return JSON.stringify(value);
      return String(value);
  }
}

/** Like formatValue, but references render as the referenced row's name. */
export function FieldValue(props: { schema?: RJSFSchema; fieldUi: unknown; value: unknown; language: string; t: TFunction }) {
  const { schema, fieldUi, value, language, t } = props;
  const kind = fieldKind(schema, fieldUi);
  if (typeof value === "string" && value && (kind === "member" || kind === "business_unit" || kind === "reference")) {
    const options = ((fieldUi ?? {}) as Record<string, { resource?: string }>)["ui:options"];
    const resource = kind === "member" ? "members" : kind === "business_unit" ? "business_units" : (options?.resource ?? "business_units");
    return <RefName id={value} resource={resource} language={language} />;
  }
  return <>{formatValue(schema, fieldUi, value, language, t)}</>;
}
