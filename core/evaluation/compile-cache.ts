import { compileRule, type CompiledRule } from "../rules/index.ts";
import type { RuleRecord } from "./types.ts";

export interface CompiledEntry {
  run: CompiledRule | null;
  error?: string;
}

const MAX_COMPILED = 5000;
const compiled = new Map<string, CompiledEntry>();

export const instantOf = (value: string | Date | null | undefined, missing: number) =>
  value === null || value === undefined ? missing : value instanceof Date ? value.getTime() : Date.parse(value);

/**
 * Compiles a rule once per (id, version): a published version never changes. Drafts (what-if) are
 * keyed by their updated_at as well, since a draft is edited in place.
 */
export function compileOnce(record: RuleRecord): CompiledEntry {
  const draft = record.published_at === null || record.published_at === undefined;
  const key = draft ? `${record.id}@${record.version}@${instantOf(record.updated_at, 0)}` : `${record.id}@${record.version}`;
  let entry = compiled.get(key);
  if (!entry) {
    if (record.load_error) entry = { run: null, error: record.load_error };
    else {
      try {
        entry = { run: compileRule(record.logic) };
      } catch (error) {
        entry = { run: null, error: (error as Error).message };
      }
    }
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, entry);
  }
  return entry;
}

/** Forgets compiled rules (tests). */
export function clearCompiledRules(): void {
  compiled.clear();
}
