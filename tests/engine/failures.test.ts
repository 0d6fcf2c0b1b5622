/**
 * Failing repeatedly has an end: a rule failing RULE_SUSPEND_AFTER_FAILURES times within the window is
 * suspended until an administrator resumes it; a transaction whose evaluation failed EARN_MAX_ATTEMPTS
 * times is parked as failed, left alone by the sweep, and re-queued by an administrator (audited).
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EARN_MAX_ATTEMPTS, RULE_SUSPEND_AFTER_FAILURES } from "../../core/enums/limits.ts";
import { demoEmail, signedIn, superuser } from "../db/stack-env.ts";
import { newMembers, publish, retireTestUnits, testUnit, uniqueName, waitEarned } from "./helpers.ts";

let db: pg.Client;
beforeAll(async () => {
  db = await superuser();
});
afterAll(async () => {
  if (db) await retireTestUnits(db);
  await db?.end();
});

const fail = (rule: { id: string; version: number }, key: string, n: number) =>
  db.query("insert into rule_errors (rule_id, rule_key, rule_version, stage, message) values ($1, $2, $3, 'evaluate', $4)", [
    rule.id, key, rule.version, `failure ${n}`,
  ]);
const suspension = async (id: string) =>
  (await db.query("select suspended_at, suspended_reason from rules where id = $1", [id])).rows[0];

describe("rule suspension", () => {
  it("suspends a rule at the limit within the window, and an administrator resumes it (audited)", async () => {
    const unit = await testUnit(db);
    const key = uniqueName("flaky");
    const rule = await publish(db, { key, unit, logic: 1 });
    for (let n = 1; n < RULE_SUSPEND_AFTER_FAILURES; n++) await fail(rule, key, n);
    expect((await suspension(rule.id)).suspended_at).toBeNull();
    const generation = (await db.query("select rules_generation from private.engine_state")).rows[0].rules_generation;
    await fail(rule, key, RULE_SUSPEND_AFTER_FAILURES);
    expect(await suspension(rule.id)).toMatchObject({
      suspended_at: expect.any(Date), suspended_reason: `${RULE_SUSPEND_AFTER_FAILURES} failures within 10 minutes; last (evaluate): failure ${RULE_SUSPEND_AFTER_FAILURES}`,
    });
    expect(BigInt((await db.query("select rules_generation from private.engine_state")).rows[0].rules_generation)).toBeGreaterThan(BigInt(generation));

    const staff = await signedIn(demoEmail("staff"));
    const refused = await staff.client.rpc("resume_rule", { p_rule_id: rule.id });
    expect(refused.error).toMatchObject({ code: "42501", hint: "admin_only" });

    const admin = await signedIn(demoEmail("admin"));
    const resumed = await admin.client.rpc("resume_rule", { p_rule_id: rule.id });
    expect(resumed.error).toBeNull();
    expect(await suspension(rule.id)).toEqual({ suspended_at: null, suspended_reason: null });
    const audit = (await db.query(
      "select actor_id, before->>'suspended_at' as was from audit_log where table_name = 'rules' and record_id = $1 and action = 'UPDATE' order by id desc limit 1",
      [rule.id],
    )).rows[0];
    expect(audit).toMatchObject({ actor_id: admin.session.user.id, was: expect.any(String) });

    const again = await admin.client.rpc("resume_rule", { p_rule_id: rule.id });
    expect(again.error).toMatchObject({ hint: "rule_not_suspended" });
    // Counting starts over after a resume.
    await fail(rule, key, 100);
    expect((await suspension(rule.id)).suspended_at).toBeNull();
  });

  it("counts failures only within the window", async () => {
    const unit = await testUnit(db);
    const key = uniqueName("slowflaky");
    const rule = await publish(db, { key, unit, logic: 1 });
    for (let n = 1; n < RULE_SUSPEND_AFTER_FAILURES; n++) await fail(rule, key, n);
    await db.query("update private.rule_failure_windows set since = now() - interval '11 minutes' where rule_id = $1", [rule.id]);
    await fail(rule, key, RULE_SUSPEND_AFTER_FAILURES);
    expect((await suspension(rule.id)).suspended_at).toBeNull();
  });

  it("a published version stays frozen apart from its suspension", async () => {
    const unit = await testUnit(db);
    const rule = await publish(db, { key: uniqueName("frozen"), unit, logic: 1 });
    await expect(db.query("update rules set suspended_at = now(), suspended_reason = 'x', logic = '2' where id = $1", [rule.id]))
      .rejects.toThrow(/create a new version/);
  });
});

describe("parked transactions", () => {
  it("are parked at the limit, never re-queued by the sweep, and retried by an administrator (audited)", async () => {
    const unit = await testUnit(db);
    const [member] = await newMembers(db, 1);
    await publish(db, { key: uniqueName("plain"), unit, logic: { floor: [{ var: "transaction.amount" }] } });
    await db.query("begin");
    const txn = (await db.query(
      "insert into transactions (business_unit_id, order_no, member_id, amount) values ($1, $2, $3, 21) returning id",
      [unit, uniqueName("o"), member],
    )).rows[0].id as string;
    const parked: boolean[] = [];
    for (let i = 0; i < EARN_MAX_ATTEMPTS; i++) {
      parked.push((await db.query("select private.record_earn_failure($1, 'boom') as p", [txn])).rows[0].p);
    }
    await db.query("commit");
    expect(parked).toEqual([...Array(EARN_MAX_ATTEMPTS - 1).fill(false), true]);

    const jobs = async () => (await db.query("select count(*)::int as n from graphile_worker._private_jobs where key = $1", [`earn:${txn}`])).rows[0].n;
    expect(await jobs()).toBe(0);
    await db.query("select private.enqueue_unearned('1 second', 100000, null)");
    expect(await jobs()).toBe(0);
    const staff = await signedIn(demoEmail("staff"));
    const visible = await staff.client.from("earn_failures").select("attempts, error, parked_at").eq("transaction_id", txn).single();
    expect(visible.data).toMatchObject({ attempts: EARN_MAX_ATTEMPTS, error: "boom", parked_at: expect.any(String) });

    expect((await staff.client.rpc("retry_earning", { p_transaction_id: txn })).error).toMatchObject({ code: "42501", hint: "admin_only" });
    const admin = await signedIn(demoEmail("admin"));
    const retried = await admin.client.rpc("retry_earning", { p_transaction_id: txn });
    expect(retried.error).toBeNull();
    expect(retried.data).toMatchObject({ transaction_id: txn, job_id: expect.any(Number) });
    expect((await waitEarned(db, [txn])).get(txn)).toMatchObject({ outcome: "earned", points: 21 });
    const audit = (await db.query(
      "select actor_id, before->>'parked_at' as was, after->>'parked_at' as now from audit_log where table_name = 'earn_failures' and record_id = $1 and action = 'UPDATE' order by id desc limit 1",
      [txn],
    )).rows[0];
    expect(audit).toMatchObject({ actor_id: admin.session.user.id, was: expect.any(String), now: null });
    expect((await admin.client.rpc("retry_earning", { p_transaction_id: txn })).error).toMatchObject({ hint: "earning_not_parked" });
  });
});
