/**
 * The result of a what-if run (public.what_if_runs.result), as the engine writes it (engine/what-if.ts)
 * and the rules centre reads it.
 */
/** Per business unit (code) and tier (code). delta = simulated - baseline; "issued" is for reference only. */
export interface WhatIfCell {
  business_unit: string;
  tier: string;
  transactions: number;
  /** Points actually issued at the time (by the rules then in force, to the member as they were then). */
  issued: number;
  /** Points by the rules published now, without the change. */
  baseline: number;
  /** Points by the rules published now with the drafts in place. */
  simulated: number;
  delta: number;
  issued_outstanding: number;
  baseline_outstanding: number;
  simulated_outstanding: number;
  liability_delta: number;
  /** Growth value by the growth rules published now, without and with the drafts, and their difference. */
  baseline_growth: number;
  simulated_growth: number;
  growth_delta: number;
}

/**
 * Members whose tier would differ: the tier a member would hold at their next review (the higher of the tier their
 * growth reaches, with the period's growth difference, and the tier the tier rules give), without and with the
 * drafts; counted per pair of tiers. Only members with transactions in the period are simulated.
 */
export interface WhatIfTierChange {
  from: string;
  to: string;
  members: number;
}

export interface WhatIfReport {
  as_of: string;
  transactions: number;
  totals: Omit<WhatIfCell, "business_unit" | "tier">;
  by_unit_tier: WhatIfCell[];
  tier_changes: WhatIfTierChange[];
  errors: { rule_key: string; rule_version: number; stage: string; message: string; count: number }[];
}

export type WhatIfResult = WhatIfReport & {
  rules: { key: string; version: number; source: string }[];
  days: number;
  /** Where the time went (summed over partitions): before the first row, waiting for rows, computing. */
  timing: { threads: number; prepare_ms: number; wait_ms: number; compute_ms: number };
};
