import type { CrudFilter, CrudSort } from "@refinedev/core";
import type { TFunction } from "i18next";
import { fieldTypeOf } from "../../core/field-types/index.ts";
import { allProperties, orderedFields } from "../forms/schema-properties";
import { fieldLabel } from "../forms/localize";
import { loadReference } from "../forms/widgets/use-reference-options";
import { dataProvider } from "../providers/data-provider";
import type { EntityDefinition } from "./definitions";
import { csvText, xlsxBuffer, type ExportColumn } from "./export-files";
import { entityDataProvider, resourceName } from "./entity-data-provider";
import { formatValue } from "./format-value";
import { valueOf } from "./values";

const MAX_ROWS = 50_000;

/** All rows of the current filters and sort, as display text (options by label, references by name). */
export async function exportRows(definition: EntityDefinition, filters: CrudFilter[], sorters: CrudSort[], language: string, t: TFunction) {
  const { data } = await entityDataProvider.getList({
    resource: resourceName(definition.key),
    filters,
    sorters,
    pagination: { currentPage: 1, pageSize: MAX_ROWS },
  });
  const properties = allProperties(definition.schema);
  const columns = definition.list_columns.length ? definition.list_columns : orderedFields(definition.schema, definition.ui_schema);
  const names = new Map<string, string>();
  for (const name of columns) {
    const type = fieldTypeOf(properties[name], definition.ui_schema[name]);
    const resource = type.references?.((definition.ui_schema[name] ?? {}) as Record<string, unknown>) ?? "";
    if (!type.references) continue;
    if (resource !== "members") {
      for (const row of await loadReference(resource)) names.set(row.id, (language === "en" && row.name_en) || row.name);
    } else {
      const ids = [...new Set(data.map((r) => valueOf(definition, r, name)).filter((v): v is string => typeof v === "string"))];
      if (ids.length) {
        const { data: members } = await dataProvider.getList<{ id: string; name: string; member_no: string }>({
          resource: "members",
          filters: [{ field: "id", operator: "in", value: ids }],
          pagination: { mode: "off" },
          meta: { select: "id, name, member_no" },
        });
        for (const m of members) names.set(m.id, `${m.name} · ${m.member_no}`);
      }
    }
  }
  const header = columns.map((name) => ({ key: name, header: name === "created_at" ? t("builder.runtime.createdAt") : fieldLabel(properties[name], language, name) }));
  const rows = data.map((record) =>
    Object.fromEntries(
      columns.map((name) => {
        const value = valueOf(definition, record, name);
        const text = typeof value === "string" && names.has(value) ? names.get(value)! : formatValue(properties[name], definition.ui_schema[name], value, language, t);
        return [name, text === "—" ? "" : text];
      }),
    ),
  );
  return { header, rows };
}

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadCsv(fileName: string, header: ExportColumn[], rows: Record<string, string>[]) {
  download(new Blob([csvText(header, rows)], { type: "text/csv;charset=utf-8" }), fileName);
}

export async function downloadXlsx(fileName: string, sheetName: string, header: ExportColumn[], rows: Record<string, string>[]) {
  const buffer = await xlsxBuffer(sheetName, header, rows);
  download(new Blob([buffer], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), fileName);
}
