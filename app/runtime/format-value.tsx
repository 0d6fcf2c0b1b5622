import type { RJSFSchema } from "@rjsf/utils";
import type { TFunction } from "i18next";
import { useEffect, useState } from "react";
import { fieldTypeOf, type FormatContext } from "../../core/field-types/index.ts";
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

/** What the field types' formatters use: this app's translations and number and time formats. */
function formatContext(schema: RJSFSchema | undefined, fieldUi: unknown, language: string, t: TFunction): FormatContext {
  let labels: Map<unknown, string> | undefined;
  return {
    yes: t("common.yes"),
    no: t("common.no"),
    optionLabel: (value) => (labels ??= enumLabels(schema, fieldUi, language)).get(value),
    money: formatMoney,
    count: formatCount,
    dateTime: formatDateTime,
  };
}

/** A field's value for lists, detail pages and exports: money as ¥, options by label, references by name. */
export function formatValue(schema: RJSFSchema | undefined, fieldUi: unknown, value: unknown, language: string, t: TFunction): string {
  if (value === null || value === undefined || value === "") return "—";
  return fieldTypeOf(schema, fieldUi).format(value, formatContext(schema, fieldUi, language, t));
}

/** Like formatValue, but references render as the referenced row's name. */
export function FieldValue(props: { schema?: RJSFSchema; fieldUi: unknown; value: unknown; language: string; t: TFunction }) {
  const { schema, fieldUi, value, language, t } = props;
  const type = fieldTypeOf(schema, fieldUi);
  if (typeof value === "string" && value && type.references) {
    const resource = type.references((fieldUi ?? {}) as Record<string, unknown>) ?? "business_units";
    return <RefName id={value} resource={resource} language={language} />;
  }
  return <>{formatValue(schema, fieldUi, value, language, t)}</>;
}
