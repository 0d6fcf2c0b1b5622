import type { BaseRecord } from "@refinedev/core";
import { isEntitySystemColumn } from "../../core/enums/index.ts";
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
