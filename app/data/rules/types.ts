import type { DefinitionStatus } from "../../../core/enums/index.ts";
import type { RuleKind } from "../../../core/rule-kinds/index.ts";
import type { WhatIfCell, WhatIfResult } from "../../../core/what-if/report.ts";

/** Rows of the rules tables (supabase/migrations/20261202000500_rules.sql; contracts in workflows/README.md). */
export { RULE_KINDS, type RuleKind } from "../../../core/rule-kinds/index.ts";
export type RuleStatus = DefinitionStatus;

export interface Rule {
  id: string;
  key: string;
  version: number;
  kind: RuleKind;
  business_unit_id: string | null;
  name: string;
  name_en: string | null;
  description: string | null;
  description_en: string | null;
  priority: number;
  logic: unknown;
  lot_kind: string | null;
  active_from: string | null;
  active_to: string | null;
  status: RuleStatus;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  superseded_at: string | null;
  /** Set while the engine has suspended this published version for failing repeatedly. */
  suspended_at?: string | null;
  suspended_reason?: string | null;
}

export interface RuleSet {
  id: string;
  kind: RuleKind;
  business_unit_id: string | null;
  combination: string;
  description: string | null;
  description_en: string | null;
}

export interface RuleError {
  id: number;
  rule_id: string;
  rule_key: string;
  rule_version: number;
  stage: "load" | "evaluate" | "result";
  message: string;
  occurrences: number;
  last_seen: string;
}

/** What engine/what-if.ts writes into what_if_runs.result: the engine's own types. */
export type { WhatIfCell, WhatIfResult };

export interface WhatIfRun {
  id: string;
  rule_keys: string[];
  days: number;
  status: "queued" | "running" | "done" | "failed";
  progress: number | string;
  result: WhatIfResult | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface EngineRun {
  id: number;
  job: string;
  started_at: string;
  finished_at: string;
  ok: boolean;
  result: unknown;
  error: string | null;
}

/** engine_runs.result of job expire_lots (engine/jobs.ts expireLots). */
export interface ExpiryRunResult {
  expired: number;
  points?: number;
}

/** A transaction the engine stopped trying to evaluate (public.earn_failures, parked). */
export interface ParkedEarning {
  transaction_id: string;
  attempts: number;
  error: string;
  parked_at: string;
  transactions: { order_no: string } | null;
}
