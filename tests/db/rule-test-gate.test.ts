/**
 * Saved test cases gate publishing: a rule key with test cases publishes only after the engine verified that exact
 * version against the current cases and they passed, directly and through an approval request. Nobody but the
 * engine writes a verdict. The stack's own engine runs the verification jobs here.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedIn, superuser } from "./stack-env.ts";

const RUN = Date.now().toString(36);
const RULE = `gate-${RUN}`;
const OTHER = `gate-open-${RUN}`;
const RACE = `gate-race-${RUN}`;
const DOUBLE = { if: [{ ">=": [{ var: "transaction.amount" }, 100] }, { "*": [{ var: "transaction.amount" }, 2] }, 0] };
let db: pg.Client;
const as: Record<string, SupabaseClient> = {};
let keyNo = 0;

const input = (amount: number) => ({
  transaction: { amount, channel: "pos", occurred_at: "2026-03-10T02:00:00.000Z", business_unit: { code: "mall", kind: "mall" } },
  member: { tier: "gold", tags: [] },
});
const draft = (key: string, version: number, logic: unknown = DOUBLE) =>
  as.admin.from("rules").insert({ key, version, kind: "earning", name: `门禁测试 ${version}`, priority: 100, logic, status: "draft" });
const addCase = (client: SupabaseClient, name: string, amount: number, expected: unknown) =>
  client.from("rule_test_cases").insert({ rule_key: RULE, name, input: input(amount), expected }).select("id").single();
const publish = (version: number, key = RULE) => as.admin.rpc("publish_rule", { p_key: key, p_version: version });
const ruleId = async (version: number, key = RULE) =>
  (await db.query("select id from rules where key = $1 and version = $2", [key, version])).rows[0].id as string;

/** Asks for a verification and waits for the engine's verdict on it. */
async function verify(version: number, key = RULE) {
  const since = (await db.query("select coalesce(max(id), 0)::bigint as n from rule_test_verdicts")).rows[0].n;
  const { error } = await as.admin.rpc("request_rule_verification", { p_key: key, p_version: version });
  expect(error).toBeNull();
  const id = await ruleId(version, key);
  for (let i = 0; i < 150; i++) {
    const { rows } = await db.query("select * from rule_test_verdicts where rule_id = $1 and id > $2 order by id desc limit 1", [id, since]);
    if (rows[0]) return rows[0] as { passed: boolean; case_count: number; details: { name: string; passed: boolean; actual?: unknown }[] };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("no verdict after 30 s");
}

beforeAll(async () => {
  db = await superuser();
  for (const [name, email] of Object.entries({ admin: "admin@demo.test", marketing: "marketing@demo.test", director: "director@demo.test", analyst: "analyst@demo.test", staff: "staff@demo.test" })) {
    as[name] = (await signedIn(email)).client;
  }
  expect((await draft(RULE, 1)).error).toBeNull();
  expect((await draft(OTHER, 1)).error).toBeNull();
  expect((await draft(RACE, 1)).error).toBeNull();
});

afterAll(async () => {
  await db.query("delete from definition_publish_settings");
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from rule_test_verdicts where rule_key in ($1, $2, $3)", [RULE, OTHER, RACE]);
  await db.query("delete from rule_test_cases where rule_key in ($1, $2, $3)", [RULE, OTHER, RACE]);
  await db.query("delete from rules where key in ($1, $2, $3)", [RULE, OTHER, RACE]);
  await db.query("commit");
  await db?.end();
});

describe("who writes test cases and verdicts", () => {
  it("drafters write cases, staff read them, other roles write none; a case needs an existing rule", async () => {
    expect((await addCase(as.staff, "员工", 1, 0)).error?.code).toBe("42501");
    expect((await addCase(as.analyst, "分析", 1, 0)).error?.code).toBe("42501");
    const { data, error } = await addCase(as.marketing, "大额翻倍", 150, 300);
    expect(error).toBeNull();
    const read = await as.analyst.from("rule_test_cases").select("id,name").eq("rule_key", RULE);
    expect(read.data).toEqual([{ id: data!.id, name: "大额翻倍" }]);
    const orphan = await as.admin.from("rule_test_cases").insert({ rule_key: `none-${RUN}`, name: "x", input: {}, expected: 0 });
    expect(orphan.error?.hint).toBe("rule_test_rule_missing");
    const audit = await db.query("select actor_role from audit_log where table_name = 'rule_test_cases' and record_id = $1", [data!.id]);
    expect(audit.rows).toHaveLength(1);
  });

  it("no API role writes a verdict, not even the service role; the recording function is not exposed", async () => {
    const row = { rule_id: await ruleId(1), rule_key: RULE, rule_version: 1, logic_digest: "0".repeat(32), cases_digest: "0".repeat(32), case_count: 1, passed: true };
    expect((await as.admin.from("rule_test_verdicts").insert(row)).error?.code).toBe("42501");
    const { serviceClient } = await import("./stack-env.ts");
    const service = await serviceClient();
    expect((await service.from("rule_test_verdicts").insert(row)).error?.code).toBe("42501");
    expect((await as.admin.rpc("record_rule_test_verdict", { p_rule_id: row.rule_id })).error).not.toBeNull();
    expect((await publish(1)).error?.hint).toBe("rule_tests_unverified");
  });
});

describe("the gate", () => {
  it("refuses until verified, again after a case is added or changed or the logic changes, and on a failing verdict", async () => {
    expect((await publish(1)).error).toMatchObject({ code: "55000", hint: "rule_tests_unverified" });
    expect(await verify(1)).toMatchObject({ passed: true, case_count: 1 });

    const small = await addCase(as.admin, "小额不送", 50, 0);
    expect(small.error).toBeNull();
    expect((await publish(1)).error?.hint).toBe("rule_tests_unverified");
    expect((await verify(1)).passed).toBe(true);

    expect((await as.admin.from("rule_test_cases").update({ expected: 10 }).eq("id", small.data!.id)).error).toBeNull();
    expect((await publish(1)).error?.hint).toBe("rule_tests_unverified");
    const failed = await verify(1);
    expect(failed.passed).toBe(false);
    expect(failed.details.find((d) => d.name === "小额不送")).toMatchObject({ passed: false, actual: 0 });
    const refused = await publish(1);
    expect(refused.error).toMatchObject({ code: "55000", hint: "rule_tests_failed" });
    expect(JSON.parse(refused.error!.details)).toMatchObject({ failed: 1, cases: 2 });

    expect((await as.admin.from("rule_test_cases").update({ expected: 0 }).eq("id", small.data!.id)).error).toBeNull();
    expect((await verify(1)).passed).toBe(true);
    expect((await as.admin.from("rules").update({ logic: { "*": [{ var: "transaction.amount" }, 3] } }).eq("id", await ruleId(1))).error).toBeNull();
    expect((await publish(1)).error?.hint).toBe("rule_tests_unverified");
    expect((await as.admin.from("rules").update({ logic: DOUBLE }).eq("id", await ruleId(1))).error).toBeNull();
    // the verdict for this exact logic and case set still stands
    const { data, error } = await publish(1);
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: "published", version: 1 });
  });

  it("a key without test cases publishes as before", async () => {
    expect((await publish(1, OTHER)).error).toBeNull();
  });

  it("an approval's final execution refuses an unverified draft; the request fails with the reason", async () => {
    expect((await draft(RULE, 2, { "*": [{ var: "transaction.amount" }, 3] })).error).toBeNull();
    const { data: filed, error } = await as.marketing.rpc("request_definition_publish", { p_kind: "rule", p_key: RULE, p_version: 2, p_idempotency_key: `gate:${RUN}:${++keyNo}` });
    expect(error).toBeNull();
    const task = (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [filed.id])).rows[0];
    expect((await as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error).toBeNull();
    const { rows } = await db.query("select status, failure_code from approval_requests where id = $1", [filed.id]);
    expect(rows[0]).toEqual({ status: "failed", failure_code: "rule_tests_unverified" });
    expect((await db.query("select status from rules where key = $1 and version = 2", [RULE])).rows[0].status).toBe("draft");
  });
});

describe("a case added while a publish is in flight", () => {
  it("waits for the publish's lock, or the publish waits for it and then refuses: never a publish past an unverified case", async () => {
    const first = await as.admin.from("rule_test_cases").insert({ rule_key: RACE, name: "一", input: input(150), expected: 300 });
    expect(first.error).toBeNull();
    expect((await verify(1, RACE)).passed).toBe(true);
    const writer = await superuser();
    try {
      await writer.query("begin");
      await writer.query("insert into rule_test_cases (rule_key, name, input, expected) values ($1, '二', $2, '1')", [RACE, JSON.stringify(input(10))]);
      let settled = false;
      const publishing = publish(1, RACE).then((r) => { settled = true; return r; });
      await new Promise((r) => setTimeout(r, 500));
      expect(settled).toBe(false); // blocked on the case set's lock
      await writer.query("commit");
      expect((await publishing).error?.hint).toBe("rule_tests_unverified");
    } finally {
      await writer.end();
    }
    expect((await db.query("select status from rules where key = $1", [RACE])).rows[0].status).toBe("draft");
  });
});

describe("rolling back", () => {
  it("makes a new draft from a published version with the reason in the audit log; refused while a draft exists", async () => {
    const args = { p_key: RULE, p_from_version: 1, p_reason: "第二版多送了积分" };
    expect((await as.admin.rpc("create_rule_rollback_draft", args)).error?.hint).toBe("rule_draft_exists");
    expect((await as.admin.from("rules").delete().eq("key", RULE).eq("version", 2)).error).toBeNull();
    expect((await as.admin.rpc("create_rule_rollback_draft", { ...args, p_reason: " " })).error?.hint).toBe("reason_required");
    expect((await as.staff.rpc("create_rule_rollback_draft", args)).error?.hint).toBe("definition_drafter_only");
    const { data, error } = await as.marketing.rpc("create_rule_rollback_draft", args);
    expect(error).toBeNull();
    expect(data).toMatchObject({ key: RULE, version: 2, status: "draft", logic: DOUBLE });
    const audit = await db.query("select reason from audit_log where table_name = 'rules' and record_id = $1 and action = 'INSERT'", [data.id]);
    expect(audit.rows[0].reason).toBe("rollback to v1: 第二版多送了积分");
  });
});
