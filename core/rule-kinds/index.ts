/**
 * The rule kinds: one module each. Adding a kind is a new module listed here, its translations
 * (rules.kinds.<kind>, ruleContext.*) and the kind lists of the rules migration's check constraints.
 */
import { earningKind } from "./earning.ts";
import { expiryKind } from "./expiry.ts";
import type { RuleKindModule } from "./module.ts";
import { reminderKind } from "./reminder.ts";
import { taggingKind } from "./tagging.ts";
import { tierKind } from "./tier.ts";

/** In the order the rules center shows them. */
export const RULE_KIND_MODULES = [earningKind, expiryKind, reminderKind, taggingKind, tierKind] as const;
export type RuleKind = (typeof RULE_KIND_MODULES)[number]["kind"];
export const RULE_KINDS: readonly RuleKind[] = RULE_KIND_MODULES.map((m) => m.kind);

const BY_KIND = new Map<string, RuleKindModule<RuleKind>>(RULE_KIND_MODULES.map((m) => [m.kind, m]));
export const isRuleKind = (value: unknown): value is RuleKind => typeof value === "string" && BY_KIND.has(value);
export function ruleKind(kind: RuleKind): RuleKindModule<RuleKind> {
  return BY_KIND.get(kind)!;
}

export { ruleKindLabel } from "./label.ts";
export type { ContextField, RuleKindModule, RuleKindJob } from "./module.ts";
