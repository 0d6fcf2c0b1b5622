import type { RuleKind } from "../rule-kinds/index.ts";
import type { Combination } from "./types.ts";

/** Key of a kind's rule set: group-wide (unit null) or one business unit's. */
export const scopeKey = (kind: RuleKind, unit: string | null) => `${kind}|${unit ?? ""}`;

/**
 * The rule set a unit uses for a kind: its own when it has one, else the group's; null when neither
 * exists. `sets` maps scope keys to their combination policy.
 */
export function resolveScope(
  sets: ReadonlyMap<string, Combination>,
  kind: RuleKind,
  businessUnitId: string | null,
): { key: string; combination: Combination } | null {
  const own = businessUnitId === null ? undefined : sets.get(scopeKey(kind, businessUnitId));
  if (own) return { key: scopeKey(kind, businessUnitId), combination: own };
  const group = sets.get(scopeKey(kind, null));
  return group ? { key: scopeKey(kind, null), combination: group } : null;
}
