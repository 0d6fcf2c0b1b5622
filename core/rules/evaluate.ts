/** Validate + compile once (cached) + run: the entry point the engine and the browser use. */
import { compileRule, type CompiledRule } from "./compile";
import type { OperationContext } from "./operations";
import type { RuleLimits } from "./runtime";

export { compileRule, type CompiledRule, type CompileOptions } from "./compile";
export { interpretRule, type InterpretOptions } from "./interpret";

export interface EvaluateOptions {
  /**
   * Identifies the rule's content, e.g. `${ruleId}@${version}`. The caller guarantees that one key
   * always means the same rule. Without a key, compiled rules are cached by rule object identity.
   */
  cacheKey?: string;
  context?: Partial<OperationContext>;
  limits?: Partial<RuleLimits>;
}

/** Most compiled rules kept by cache key; the oldest entry is dropped first. */
export const MAX_CACHED_RULES = 1000;

const byKey = new Map<string, CompiledRule>();
let byObject = new WeakMap<object, CompiledRule>();

function cached(rule: unknown, options: EvaluateOptions): CompiledRule {
  const { cacheKey, limits } = options;
  if (cacheKey !== undefined) {
    const key = limits ? `${cacheKey}|${JSON.stringify(limits)}` : cacheKey;
    let compiled = byKey.get(key);
    if (!compiled) {
      compiled = compileRule(rule, { limits });
      if (byKey.size >= MAX_CACHED_RULES) byKey.delete(byKey.keys().next().value!);
      byKey.set(key, compiled);
    }
    return compiled;
  }
  if (typeof rule !== "object" || rule === null || limits) return compileRule(rule, { limits });
  let compiled = byObject.get(rule);
  if (!compiled) {
    compiled = compileRule(rule);
    byObject.set(rule, compiled);
  }
  return compiled;
}

/**
 * Evaluates a rule against data: validates and compiles it on first use (throws
 * RuleValidationError for a bad rule), then reuses the compiled closure.
 */
export function evaluateRule(rule: unknown, data: unknown, options: EvaluateOptions = {}): unknown {
  return cached(rule, options)(data, options.context);
}

/** Forgets every compiled rule (e.g. after rules were republished under reused keys). */
export function clearRuleCache(): void {
  byKey.clear();
  byObject = new WeakMap();
}
