/**
 * The rule kinds: one module each in ./kinds/, found there (see ../registry/modules-in.ts). Adding a kind
 * is a new module and its translations (rules.kinds.<kind>, ruleContext.*); `npm start` and the
 * migrations write each kind's policies into public.rule_kinds, which the rules tables reference.
 */
import { modulesIn } from "../registry/modules-in.ts";
import type { RuleKindModule } from "./module.ts";

const isKindModule = (value: unknown): value is RuleKindModule =>
  typeof value === "object" && value !== null && typeof (value as RuleKindModule).kind === "string" &&
  typeof (value as RuleKindModule).checkResult === "function";

/** In the order the rules center shows them. */
export const RULE_KIND_MODULES: readonly RuleKindModule[] = await modulesIn(
  () => import.meta.glob(["./kinds/*.ts", "!./kinds/*.test.ts"], { eager: true }),
  new URL("./kinds/", import.meta.url),
  isKindModule,
);
export type RuleKind = string;
export const RULE_KINDS: readonly RuleKind[] = RULE_KIND_MODULES.map((m) => m.kind);

const BY_KIND = new Map<string, RuleKindModule>(RULE_KIND_MODULES.map((m) => [m.kind, m]));
export const isRuleKind = (value: unknown): value is RuleKind => typeof value === "string" && BY_KIND.has(value);
export function ruleKind(kind: RuleKind): RuleKindModule {
  const found = BY_KIND.get(kind);
  if (!found) throw new Error(`unknown rule kind "${kind}"`);
  return found;
}

export { ruleKindLabel } from "./label.ts";
export type { ContextField, ContextValues, RuleKindModule, RuleKindJob } from "./module.ts";
