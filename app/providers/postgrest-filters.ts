import type { CrudFilter, CrudOperators } from "@refinedev/core";

/**
 * Refine filters as PostgREST filters. Values are never pasted raw into the query: single filters
 * go through supabase-js's `filter()` (which URL-encodes them), and the members of `or`/`and`
 * groups are double-quoted with `"` and `\` escaped, so commas, parentheses, dots, quotes, `%` and
 * any text (Chinese included) are matched as typed.
 */

/** The PostgREST column for a Refine field; `asJson` when the value is a number or boolean. */
export type ColumnOf = (field: string, asJson: boolean) => string;

/** What of supabase-js's filter builder is used here. */
export interface FilterTarget<Q> {
  filter(column: string, operator: string, value: unknown): Q;
  or(filters: string): Q;
}

const sameColumn: ColumnOf = (field) => field;

/** A value inside a PostgREST logic tree or list: always quoted, `"` and `\` escaped. */
export function quoteValue(value: unknown): string {
  return `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `text` as a LIKE pattern matching it literally: LIKE's own wildcards and escape are escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const LIKE_PATTERNS: Partial<Record<CrudOperators, (text: string) => string>> = {
  contains: (s) => `%${s}%`,
  ncontains: (s) => `%${s}%`,
  containss: (s) => `%${s}%`,
  ncontainss: (s) => `%${s}%`,
  startswith: (s) => `${s}%`,
  nstartswith: (s) => `${s}%`,
  startswiths: (s) => `${s}%`,
  nstartswiths: (s) => `${s}%`,
  endswith: (s) => `%${s}`,
  nendswith: (s) => `%${s}`,
  endswiths: (s) => `%${s}`,
  nendswiths: (s) => `%${s}`,
};

const OPERATORS: Partial<Record<CrudOperators, string>> = {
  eq: "eq",
  ne: "neq",
  lt: "lt",
  gt: "gt",
  lte: "lte",
  gte: "gte",
  in: "in",
  nin: "not.in",
  ina: "cs",
  nina: "not.cs",
  contains: "ilike",
  ncontains: "not.ilike",
  containss: "like",
  ncontainss: "not.like",
  startswith: "ilike",
  nstartswith: "not.ilike",
  startswiths: "like",
  nstartswiths: "not.like",
  endswith: "ilike",
  nendswith: "not.ilike",
  endswiths: "like",
  nendswiths: "not.like",
  null: "is",
  nnull: "not.is",
};

const isEmpty = (value: unknown) => value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

/** One field condition as [column, operator, value]; `quote` for a value inside a logic tree. Null: no condition. */
function condition(filter: CrudFilter & { field: string }, columnOf: ColumnOf, quote: boolean): [string, string, string] | null {
  const { field, operator, value } = filter;
  const op = OPERATORS[operator];
  if (operator === "null" || operator === "nnull") return op ? [columnOf(field, false), op, "null"] : null;
  if (!op || isEmpty(value) || value === null) return null;
  const asJson = typeof value === "number" || typeof value === "boolean";
  const column = columnOf(field, asJson);
  if (operator === "in" || operator === "nin") return [column, op, `(${(value as unknown[]).map(quoteValue).join(",")})`];
  if (operator === "ina" || operator === "nina") {
    const array = `{${(value as unknown[]).map(quoteValue).join(",")}}`;
    return [column, op, quote ? quoteValue(array) : array];
  }
  const like = LIKE_PATTERNS[operator];
  const text = like ? like(escapeLike(String(value))) : String(value);
  return [column, op, quote ? quoteValue(text) : text];
}

/** A logic tree member: `column.op.value`, or `or(...)`/`and(...)` of its members. */
function member(filter: CrudFilter, columnOf: ColumnOf): string | null {
  if ("field" in filter) {
    const parts = condition(filter, columnOf, true);
    return parts && parts.join(".");
  }
  const members = groupMembers(filter.value, columnOf);
  return members ? `${filter.operator}(${members})` : null;
}

function groupMembers(filters: CrudFilter[], columnOf: ColumnOf): string | null {
  const members = filters.map((f) => member(f, columnOf)).filter((m): m is string => !!m);
  return members.length ? members.join(",") : null;
}

/** The `or=(...)` body of an OR group (null when the group is empty), exported for tests. */
export function orFilter(filters: CrudFilter[], columnOf: ColumnOf = sameColumn): string | null {
  return groupMembers(filters, columnOf);
}

/** Applies Refine filters to a supabase-js query: top-level filters AND together. */
export function applyFilters<Q extends FilterTarget<Q>>(query: Q, filters: CrudFilter[] = [], columnOf: ColumnOf = sameColumn): Q {
  let q = query;
  for (const filter of filters) {
    if ("field" in filter) {
      if (filter.operator === "between" || filter.operator === "nbetween") {
        const [from, to] = (filter.value ?? []) as unknown[];
        if (filter.operator === "between") {
          q = applyFilters(q, [{ field: filter.field, operator: "gte", value: from }, { field: filter.field, operator: "lte", value: to }], columnOf);
        } else {
          q = applyFilters(q, [{ operator: "or", value: [{ field: filter.field, operator: "lt", value: from }, { field: filter.field, operator: "gt", value: to }] }], columnOf);
        }
        continue;
      }
      const parts = condition(filter, columnOf, false);
      if (parts) q = q.filter(...parts);
    } else if (filter.operator === "or") {
      const members = groupMembers(filter.value, columnOf);
      if (members) q = q.or(members);
    } else {
      q = applyFilters(q, filter.value, columnOf);
    }
  }
  return q;
}
