/** The before/after difference of one audit row, field by field. */
export interface FieldDiff {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

const show = (value: unknown): string => {
  if (value === undefined) return "";
  if (value === null) return "null";
  return typeof value === "string" ? value : JSON.stringify(value);
};

const asObject = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * Every field of the before and after images, in the order they first appear, with both values as text and
 * whether it changed (a field only on one side changed too). Nested values compare by their JSON.
 */
export function auditDiff(before: unknown, after: unknown): FieldDiff[] {
  const b = asObject(before);
  const a = asObject(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.map((field) => {
    const was = show(b[field]);
    const now = show(a[field]);
    const changed = (field in b) !== (field in a) || was !== now;
    return { field, before: field in b ? was : "", after: field in a ? now : "", changed };
  });
}
