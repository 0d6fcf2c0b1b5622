/** Rule records as the engine reads them, rules ready to run, and what evaluation reports. */
import type { CompiledRule, RuleLimitKind } from "../rules/index.ts";
import type { RuleKind } from "../rule-kinds/index.ts";

export type Combination = "first" | "sum" | "max" | "union";

/** A row of public.rules (timestamps as ISO strings or Dates). */
export interface RuleRecord {
  id: string;
  key: string;
  version: number;
  kind: RuleKind;
  business_unit_id: string | null;
  priority: number;
  logic: unknown;
  lot_kind: string | null;
  active_from: string | Date | null;
  active_to: string | Date | null;
  published_at: string | Date | null;
  superseded_at: string | Date | null;
  status?: string;
  updated_at?: string | Date | null;
  /** Set when the logic was too large to be read at all. */
  load_error?: string;
  /** Set while the engine has suspended the version for failing repeatedly: it is skipped. */
  suspended_at?: string | Date | null;
}

export interface RuleSetRecord {
  kind: RuleKind;
  business_unit_id: string | null;
  combination: Combination;
}

/** A rule version ready to run (or not: `run` is null and `loadError` says why). */
export interface LoadedRule {
  id: string;
  key: string;
  version: number;
  kind: RuleKind;
  businessUnitId: string | null;
  priority: number;
  lotKind: string;
  activeFrom: number;
  activeTo: number;
  publishedAt: number;
  supersededAt: number;
  run: CompiledRule | null;
  loadError?: string;
  /** Suspended for failing repeatedly: never run until an administrator resumes it. */
  suspended: boolean;
}

/** A problem of one rule, as the engine records it in public.rule_errors. */
export interface RuleProblem {
  rule_id: string;
  rule_key: string;
  rule_version: number;
  stage: "load" | "evaluate" | "result";
  message: string;
  /** Set when the evaluation was stopped by a bound of time, memory or work (core/rules RuleLimits). */
  limit?: RuleLimitKind;
}

/** A rule that contributed to a result. */
export interface AppliedRule {
  rule_id: string;
  key: string;
  version: number;
  kind: RuleKind;
  points?: number;
  lot_kind?: string;
  expires_at?: string;
}

/** A result check's refusal: why a rule's value is not valid for its kind. */
export interface ResultError {
  error: string;
}
