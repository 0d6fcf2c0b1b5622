/**
 * The verify_rule_tests job: runs a draft rule version's saved test cases (core/rule-tests, the same evaluator as the
 * earn job and the browser's bench) and records the verdict through private.record_rule_test_verdict, the only way
 * into public.rule_test_verdicts. The version, its digests, the cases and the tier ladder come from one snapshot
 * (private.rule_verification_input), so the verdict names exactly what was run; publish_rule compares those digests
 * with the current ones.
 */
import type pg from "pg";
import { runCases, type RuleTestCase } from "../core/rule-tests/index.ts";

interface VerificationInput {
  rule_id: string;
  key: string;
  version: number;
  kind: string;
  status: string;
  logic: unknown;
  logic_digest: string;
  cases_digest: string;
  tier_ladder: string[];
  cases: Required<RuleTestCase>[];
}

export interface RuleVerdict {
  rule_id: string;
  passed: boolean;
  case_count: number;
}

/** Verifies one rule version; null when the version no longer exists or is no longer a draft. */
export async function verifyRuleTests(pool: pg.Pool, ruleId: unknown, requestedBy: unknown): Promise<RuleVerdict | null> {
  if (typeof ruleId !== "string") return null;
  const { rows } = await pool.query("select private.rule_verification_input($1::uuid) as v", [ruleId]);
  const input = rows[0]?.v as VerificationInput | null;
  if (!input || input.status !== "draft") return null;
  const { passed, outcomes } = runCases(input.kind, input.logic, input.cases, input.tier_ladder);
  await pool.query(
    "select private.record_rule_test_verdict($1::uuid, $2, $3, $4, $5, $6::jsonb, $7::uuid)",
    [input.rule_id, input.logic_digest, input.cases_digest, input.cases.length, passed, JSON.stringify(outcomes),
      typeof requestedBy === "string" ? requestedBy : null],
  );
  return { rule_id: input.rule_id, passed, case_count: input.cases.length };
}
