/**
 * The JsonLogic rule module shared by the browser (previews, test benches) and the engine worker.
 * Isomorphic: no Node APIs. Rules compile to one generated function each, or to closures where a CSP
 * refuses generated code (same results). See README.md.
 */

// Evaluate: validate + compile once (cached) + run; or compile / interpret directly.
export {
  evaluateRule,
  clearRuleCache,
  compileRule,
  interpretRule,
  MAX_CACHED_RULES,
  type EvaluateOptions,
  type CompiledRule,
  type CompileOptions,
  type InterpretOptions,
} from "./evaluate";

// Static checks with JSON-pointer paths to each fault.
export { validateRule, type ValidationResult, type ValidationLimits } from "./validate";

// The one registry of custom operations and the installation context they read.
export {
  customOperations,
  getCustomOperation,
  jsonLogicOperations,
  resolveContext,
  DEFAULT_CONTEXT,
  type CustomOperation,
  type OperationContext,
} from "./operations";

// Errors: validation faults (with paths) and evaluation failures (naming the operation).
export {
  RULE_FAULT_CODES, RuleValidationError, RuleEvaluationError, RuleLimitError, type RuleLimitKind, type RuleFaultCode, type RuleIssue,
} from "./errors";

// Limits and JsonLogic truthiness.
export { DEFAULT_LIMITS, MAX_DEPTH_CEILING, type RuleLimits } from "./runtime";
export { truthy, isStandardOperation } from "./standard";
