import type { CrudFilter } from "@refinedev/core";
import type { RJSFSchema } from "@rjsf/utils";
import type { Dayjs } from "dayjs";
import { fieldTypeOf } from "../../../core/field-types/index.ts";
import { allProperties } from "../../forms/schema-properties";
import type { EntityDefinition } from "../definitions";

/** Values of the search and filter form: `q` and one entry per filter field. */
export type FilterValues = { q?: string } & Record<string, unknown>;

/** Typed text as searched: trimmed, otherwise as typed (the data provider quotes it). */
const clean = (value: unknown) => (typeof value === "string" ? value.trim() : "");

/** The field type of one of the definition's fields. */
export const typeOf = (definition: EntityDefinition, name: string) =>
  fieldTypeOf(allProperties(definition.schema)[name] as RJSFSchema | undefined, definition.ui_schema[name]);

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
    const { filter } = typeOf(definition, field);
    const days = filter.bounds === "day";
    if (Array.isArray(value) && value.length === 2) {
      const [from, to] = value as (number | Dayjs | null)[];
      const format = (v: number | Dayjs) => (typeof v === "number" ? v : days ? v.format("YYYY-MM-DD") : v.toISOString());
      if (from !== null && from !== undefined) filters.push({ field, operator: "gte", value: format(from) });
      if (to !== null && to !== undefined) filters.push({ field, operator: "lte", value: days || typeof to === "number" ? format(to) : (to as Dayjs).endOf("day").toISOString() });
    } else if (filter.operator === "contains") {
      filters.push({ field, operator: "contains", value: clean(value) });
    } else {
      filters.push({ field, operator: "eq", value });
    }
  }
  return filters;
}
