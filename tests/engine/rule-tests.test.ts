/**
 * The verify_rule_tests job: runs a draft's saved test cases with the engine's evaluator and records one verdict naming
 * the exact logic and case set it ran; a published version or a missing one is not verified.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyRuleTests } from "../../engine/rule-tests.ts";
import { databaseUrl } from "../db/stack-env.ts";
import { uniqueName, waitFor } from "./helpers.ts";

const KEY = uniqueName("verify");
let pool: pg.Pool;
let ruleId: string;
const tierRule = { if: [{ ">=": [{ tier_rank: [{ var: "member.tier" }] }, { tier_rank: ["gold"] }] }, 10, { "+": [1, 1] }] };

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
  ruleId = (await pool.query(
    "insert into rules (key, version, kind, name, logic, status) values ($1, 1, 'earning', '引擎验证', $2, 'draft') returning id",
    [KEY, JSON.stringify(tierRule)])).rows[0].id;
  await pool.query(
    `insert into rule_test_cases (rule_key, name, input, expected) values
       ($1, '金卡', '{"member": {"tier": "gold"}}', '10'), ($1, '普通', '{"member": {"tier": "standard"}}', '10'),
       ($1, '坏输入', '{"member": {"tier": 5}}', '2')`, [KEY]);
});

afterAll(async () => {
  const client = await pool.connect();
  await client.query("begin; set local session_replication_role = replica");
  await client.query("delete from rule_test_verdicts where rule_key = $1", [KEY]);
  await client.query("delete from rule_test_cases where rule_key = $1", [KEY]);
  await client.query("delete from rules where key = $1", [KEY]);
  await client.query("commit");
  client.release();
  await pool.end();
});

describe("verifying a draft's test cases", () => {
  it("runs each case with the installation's tier ladder and records the verdict with the digests of what it ran", async () => {
    expect(await verifyRuleTests(pool, ruleId, null)).toEqual({ rule_id: ruleId, passed: false, case_count: 3 });
    const { rows } = await pool.query(
      `select v.*, v.logic_digest = private.rule_logic_digest(r.kind, r.logic) as same_logic,
              v.cases_digest = private.rule_cases_digest(r.key) as same_cases
       from rule_test_verdicts v join rules r on r.id = v.rule_id where v.rule_id = $1 order by v.id desc limit 1`, [ruleId]);
    expect(rows[0]).toMatchObject({ passed: false, case_count: 3, same_logic: true, same_cases: true, rule_key: KEY, rule_version: 1 });
    const details = rows[0].details as { name: string; passed: boolean; actual?: unknown; error?: string }[];
    expect(details.find((d) => d.name === "金卡")).toMatchObject({ passed: true, actual: 10 });
    expect(details.find((d) => d.name === "普通")).toMatchObject({ passed: false, actual: 2 });
    expect(details.find((d) => d.name === "坏输入")).toMatchObject({ passed: false });
    expect(details.find((d) => d.name === "坏输入")?.error).toMatch(/tier_rank/);
  });

  it("passes once the cases are right; ignores versions that are not drafts and unknown ids", async () => {
    await pool.query("update rule_test_cases set expected = '2' where rule_key = $1 and name = '普通'", [KEY]);
    await pool.query("delete from rule_test_cases where rule_key = $1 and name = '坏输入'", [KEY]);
    expect(await verifyRuleTests(pool, ruleId, null)).toEqual({ rule_id: ruleId, passed: true, case_count: 2 });
    expect(await verifyRuleTests(pool, "00000000-0000-0000-0000-000000000000", null)).toBeNull();
    expect(await verifyRuleTests(pool, 42, null)).toBeNull();
  });

  it("a verdict names the tier ladder it ran with: a changed ladder makes it stale until the cases run again", async () => {
    const gate = () => pool.query("select private.assert_rule_tests_passed(r) from rules r where r.id = $1", [ruleId]);
    await gate(); // verified and passed above
    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query("update tiers set growth_threshold = growth_threshold + 1 where code = 'diamond'");
      await expect(client.query("select private.assert_rule_tests_passed(r) from rules r where r.id = $1", [ruleId]))
        .rejects.toMatchObject({ hint: "rule_tests_unverified" });
    } finally {
      await client.query("rollback");
      client.release();
    }
    await gate(); // the ladder as it was: the verdict holds again
  });

  it("the stack's engine runs the job queued by request_rule_verification", async () => {
    const before = Number((await pool.query("select count(*) from rule_test_verdicts where rule_id = $1", [ruleId])).rows[0].count);
    await pool.query("select private.enqueue_job('verify_rule_tests', json_build_object('rule_id', $1::uuid), 'verify_rule_tests:' || $1, -5, 3)", [ruleId]);
    await waitFor("a verdict from the engine", async () =>
      Number((await pool.query("select count(*) from rule_test_verdicts where rule_id = $1", [ruleId])).rows[0].count) > before, 30_000, 200);
  });
});
