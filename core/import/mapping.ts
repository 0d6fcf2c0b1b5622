/** Matching a file's columns to a target's fields: by key, Chinese label or English label, ignoring case, spaces and units. */
import type { TargetField } from "./targets.ts";

/** Lower case, without spaces, punctuation and a trailing unit in brackets: "消费金额（元）" → "消费金额". */
export function normalizeHeader(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[(（][^)）]*[)）]\s*$/u, "")
    .replace(/[\s_\-.:：*]/gu, "");
}

/** field key → column index (or undefined when no column matches). Each column is used once. */
export type Mapping = Record<string, number | undefined>;

export function autoMap(headers: string[], fields: TargetField[]): Mapping {
  const normalized = headers.map((header) => normalizeHeader(String(header ?? "")));
  const used = new Set<number>();
  const mapping: Mapping = {};
  for (const field of fields) {
    const names = [field.key, field.title, field.title_en].map(normalizeHeader).filter(Boolean);
    const index = normalized.findIndex((header, i) => !used.has(i) && header !== "" && names.includes(header));
    if (index >= 0) {
      used.add(index);
      mapping[field.key] = index;
    } else {
      mapping[field.key] = undefined;
    }
  }
  return mapping;
}

/** Required fields no column is mapped to. */
export const unmappedRequired = (fields: TargetField[], mapping: Mapping) =>
  fields.filter((field) => field.required && mapping[field.key] === undefined).map((field) => field.key);
