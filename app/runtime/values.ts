import type { BaseRecord } from "@refinedev/core";
import { isEntitySystemColumn } from "../../core/enums/index.ts";
import { allProperties } from "../forms/schema-properties";
import type { EntityDefinition } from "./definitions";

/** A field of a row: built-in entities have columns, custom ones keep fields in `data`. */
export function valueOf(definition: EntityDefinition, record: BaseRecord, field: string): unknown {
  if (definition.source_table || isEntitySystemColumn(field)) return record[field];
  return (record.data as Record<string, unknown> | undefined)?.[field];
}

/** The form data of a row (what the create/edit form shows). */
export function dataOf(definition: EntityDefinition, record: BaseRecord | undefined): Record<string, unknown> {
  if (!record) return {};
  if (!definition.source_table) return (record.data as Record<string, unknown>) ?? {};
  const { id: _id, ...rest } = record;
  return rest;
}

/**
 * What a form's data writes to a built-in entity's own table: its writable fields (read-only ones,
 * such as creation times, are the database's), a cleared field as null so that an edit clears it.
 */
export function columnsOf(definition: EntityDefinition, data: Record<string, unknown>, action: "create" | "edit"): Record<string, unknown> {
  // Conditional fields (allOf / then / else) are columns too.
  const properties = allProperties(definition.schema);
  const row: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(properties)) {
    if (schema.readOnly) continue;
    if (data[field] !== undefined) row[field] = data[field];
    else if (action === "edit") row[field] = null;
  }
  return row;
}
