/** Columns of entity_records kept beside the record's data: read from the row, never from `data`. */
export const ENTITY_SYSTEM_COLUMNS = ["id", "created_at", "updated_at", "created_by", "updated_by", "entity_version"] as const;
export type EntitySystemColumn = (typeof ENTITY_SYSTEM_COLUMNS)[number];

const SYSTEM = new Set<string>(ENTITY_SYSTEM_COLUMNS);
export const isEntitySystemColumn = (field: string) => SYSTEM.has(field);

/** Every column of entity_records: names a custom field may not take. */
export const ENTITY_RECORD_COLUMNS = [...ENTITY_SYSTEM_COLUMNS, "entity_key", "data"] as const;
