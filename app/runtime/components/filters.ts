import type { CrudFilter } from "@refinedev/core";
import type { RJSFSchema } from "@rjsf/utils";
import type { Dayjs } from "dayjs";
import { allProperties, fieldKind } from "../../forms/field-kind";
import type { EntityDefinition } from "../definitions";

/** Values of the search and filter form: `q` and one entry per filter field. */
export type FilterValues = { q?: string } & Record<string, unknown>;

/** Typed text as searched: trimmed, otherwise as typed (the data provider quotes it). */
const clean = (value: unknown) => (typeof value === "string" ? value.trim() : "");

export const kindOf = (definition: EntityDefinition, name: string) =>
  fieldKind(allProperties(definition.schema)[name] as RJSFSchema | undefined, definition.ui_schema[name]);

/** The form's values as Refine filters: search ORs over the search fields; filters AND together. */
export function toCrudFilters(definition: EntityDefinition, values: FilterValues): CrudFilter[] {
  const q = clean(values.q);
  const filters: CrudFilter[] = [
    {
      operator: "or",
      key: "search",
      value: q ? definition.search_fields.map((field) => ({ field, operator: "contains" as const, value: q })) : [],
    },
  ];
  for (const field of definition.filter_fields) {
    const value = values[field];
    if (value === undefined || value === null || value === "") continue;
    const kind = kindOf(definition, field);
    if (Array.isArray(value) && value.length === 2) {
      const [from, to] = value as (number | Dayjs | null)[];
      const format = (v: number | Dayjs) => (typeof v === "number" ? v : kind === "date" ? v.format("YYYY-MM-DD") : v.toISOString());
      if (from !== null && from !== undefined) filters.push({ field, operator: "gte", value: format(from) });
      if (to !== null && to !== undefined) filters.push({ field, operator: "lte", value: kind === "date" || typeof to === "number" ? format(to) : (to as Dayjs).endOf("day").toISOString() });
    } else if (kind === "multienum" || kind === "text" || kind === "textarea" || kind === "phone" || kind === "email") {
      filters.push({ field, operator: "contains", value: clean(value) });
    } else {
      filters.push({ field, operator: "eq", value });
    }
  }
  return filters;
}
