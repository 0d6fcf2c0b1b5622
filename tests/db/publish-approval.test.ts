/**
 * Publishing through approval (public.definition_publish_settings, request_definition_publish, the flow
 * definition-publish): the setting is the administrators' and audited; while it is on, publish_<kind> refuses
 * users; a request pins kind, key, version and content; nobody who wrote the draft decides it; the final approval
 * publishes exactly that version once, even under 10 parallel approvals; a rejection leaves the draft; a
 * version that is no longer a draft, or changed since the request, fails the request and publishes nothing.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedIn, serviceClient, superuser } from "./stack-env.ts";

const RUN = Date.now().toString(36);
const KEY = `pa-test-${RUN}`;
const SECOND_ADMIN = `second.admin.${RUN}@demo.test`;
let db: pg.Client;
const as: Record<string, SupabaseClient> = {};
const ids: Record<string, string> = {};
let keyNo = 0;
const idem = () => `publish-approval:${RUN}:${++keyNo}`;

const setting = (client: SupabaseClient, kind: string, on: boolean, reason: string | null = "测试：发布需审批") =>
  client.rpc("set_definition_publish_approval", { p_kind: kind, p_needs_approval: on, p_reason: reason });
const draft = (client: SupabaseClient, version: number, points: number) =>
  client.from("rules").insert({ key: KEY, version, kind: "earning", name: `发布审批测试 ${version}`, priority: 100, logic: { "*": [0, points] }, status: "draft" }).select("id").single();
const requestPublish = (client: SupabaseClient, version: number, key = KEY) =>
  client.rpc("request_definition_publish", { p_kind: "rule", p_key: key, p_version: version, p_idempotency_key: idem() });
const statuses = async () =>
  (await db.query("select version, status from rules where key = $1 order by version", [KEY])).rows.map((r) => `${r.version}:${r.status}`);
const openTask = async (requestId: string) =>
  (await db.query("select id, approver_role, business_unit_id from approval_tasks where request_id = $1 and status = 'pending'", [requestId])).rows[0];
const requestCount = async () => Number((await db.query("select count(*) from approval_requests where action = 'definition_publish'")).rows[0].count);

beforeAll(async () => {
  db = await superuser();
  for (const [name, email] of Object.entries({ admin: "admin@demo.test", director: "director@demo.test", manager: "manager@demo.test" })) {
    const { client, session } = await signedIn(email);
    as[name] = client;
    ids[name] = session.user.id;
  }
  // A second administrator: another admin may approve what one drafted.
  const service = await serviceClient();
  const { data, error } = await service.auth.admin.createUser({ email: SECOND_ADMIN, password: "demo123456", email_confirm: true });
  if (error) throw error;
  ids.admin2 = data.user.id;
  await db.query("insert into staff_profiles (user_id, display_name, email) values ($1, '第二管理员', $2)", [ids.admin2, SECOND_ADMIN]);
  await db.query("insert into role_assignments (user_id, role) values ($1, 'admin')", [ids.admin2]);
  as.admin2 = (await signedIn(SECOND_ADMIN)).client;
});

afterAll(async () => {
  await db.query("delete from definition_publish_settings");
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from rules where key = $1", [KEY]);
  await db.query("delete from role_assignments where user_id = $1", [ids.admin2]);
  await db.query("commit");
  await db?.end();
});

describe("the setting", () => {
  it("is off by default, changed only by an administrator with a reason, and audited", async () => {
    expect((await db.query("select count(*) from definition_publish_settings where needs_approval")).rows[0].count).toBe("0");
    expect((await setting(as.director, "rule", true)).error).toMatchObject({ code: "42501", hint: "admin_only" });
    expect((await setting(as.admin, "entity", true)).error?.hint).toBe("definition_kind_unknown");
    expect((await setting(as.admin, "rule", true, " ")).error?.hint).toBe("reason_required");
    expect((await as.admin.from("definition_publish_settings").insert({ kind: "rule", needs_approval: true })).error?.code).toBe("42501");
    const { data, error } = await setting(as.admin, "rule", true);
    expect(error).toBeNull();
    expect(data).toMatchObject({ kind: "rule", needs_approval: true, updated_by: ids.admin });
    const { rows } = await db.query("select actor_id, reason, after ->> 'needs_approval' as on from audit_log where table_name = 'definition_publish_settings' and record_id = 'rule' order by id desc limit 1");
    expect(rows[0]).toEqual({ actor_id: ids.admin, reason: "测试：发布需审批", on: "true" });
  });
});

describe("while publishing rules needs approval", () => {
  it("an administrator's publish is refused and the draft stays a draft", async () => {
    expect((await draft(as.admin, 1, 1)).error).toBeNull();
    const { error } = await as.admin.rpc("publish_rule", { p_key: KEY, p_version: 1 });
    expect(error).toMatchObject({ code: "42501", hint: "definition_publish_needs_approval" });
    expect(JSON.parse(error!.details)).toEqual({ kind: "rule", key: KEY, version: 1 });
    expect(await statuses()).toEqual(["1:draft"]);
  });

  it("bad requests are refused and create nothing", async () => {
    const before = await requestCount();
    expect((await requestPublish(as.admin, 9)).error?.hint).toBe("definition_draft_missing");
    expect((await requestPublish(as.director, 1)).error).toMatchObject({ code: "42501", hint: "definition_drafter_only" });
    expect((await as.admin.rpc("request_definition_publish", { p_kind: "entity", p_key: "member", p_version: 1, p_idempotency_key: idem() })).error?.hint)
      .toBe("definition_kind_unknown");
    expect((await as.admin.rpc("request_definition_publish", { p_kind: "approval_flow", p_key: "points-adjustment", p_version: 1, p_idempotency_key: idem() })).error?.hint)
      .toBe("definition_publish_approval_off");
    expect(await requestCount()).toBe(before);
  });

  it("the drafter cannot approve; another admin's draft cannot be approved by that admin either; the director's approval publishes", async () => {
    const { data: request, error } = await requestPublish(as.admin, 1);
    expect(error).toBeNull();
    expect(request).toMatchObject({ status: "pending", action: "definition_publish", member_id: null, business_unit_id: null });
    expect(request.data).toMatchObject({ kind: "rule", key: KEY, version: 1, drafted_by: [ids.admin] });
    expect((await requestPublish(as.admin, 1)).error?.hint).toBe("definition_publish_pending");

    const task = await openTask(request.id);
    expect(task).toMatchObject({ approver_role: "director", business_unit_id: null });
    expect((await as.admin.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error?.hint).toBe("approval_self");
    expect((await as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error?.hint).toBe("approval_not_approver");
    const { data: visible } = await as.admin.from("approval_tasks").select("can_decide").eq("id", task.id).single();
    expect(visible).toEqual({ can_decide: false });
    const { data: pending } = await as.admin.rpc("definition_publish_requests", { p_kind: "rule", p_key: KEY });
    expect(pending.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[request.id, "pending"]]);

    const { data: done, error: decideError } = await as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve", p_comment: "同意发布" });
    expect(decideError).toBeNull();
    expect(done).toMatchObject({ status: "approved", result: { kind: "rule", key: KEY, version: 1 } });
    expect(await statuses()).toEqual(["1:published"]);
    const { rows } = await db.query("select published_by from rules where key = $1 and version = 1", [KEY]);
    expect(rows[0].published_by).toBe(ids.admin);
  });

  it("a draft the second admin edited is not approved by the second admin", async () => {
    expect((await draft(as.admin, 2, 2)).error).toBeNull();
    expect((await as.admin2.from("rules").update({ priority: 90 }).eq("key", KEY).eq("version", 2)).error).toBeNull();
    const { data: request } = await requestPublish(as.admin, 2);
    expect(request.data.drafted_by).toEqual(expect.arrayContaining([ids.admin, ids.admin2]));
    const task = await openTask(request.id);
    const { error } = await as.admin2.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
    expect(error).toMatchObject({ code: "42501", hint: "approval_own_draft" });

    // A rejection leaves the draft, and the published version stays in force.
    const { data: rejected } = await as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "reject", p_comment: "倍数过高" });
    expect(rejected.status).toBe("rejected");
    expect(await statuses()).toEqual(["1:published", "2:draft"]);
  });

  it("10 parallel approvals publish the version once", async () => {
    const { data: request } = await requestPublish(as.admin, 2);
    const task = await openTask(request.id);
    const answers = await Promise.all(Array.from({ length: 10 }, () => as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })));
    expect(answers.filter((a) => !a.error)).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.error).map((a) => a.error!.hint))).toEqual(new Set(["approval_task_decided"]));
    expect(await statuses()).toEqual(["1:archived", "2:published"]);
    const { rows } = await db.query("select event from approval_events where request_id = $1 order by id", [request.id]);
    expect(rows.map((r) => r.event)).toEqual(["submitted", "step_opened", "approved", "executed"]);
    const audits = await db.query("select count(*) from audit_log where table_name = 'rules' and record_id = (select id::text from rules where key = $1 and version = 2) and after ->> 'status' = 'published' and before ->> 'status' = 'draft'", [KEY]);
    expect(audits.rows[0].count).toBe("1");
  });

  it("a version published meanwhile fails the request cleanly; so does a draft changed since the request", async () => {
    expect((await draft(as.admin, 3, 3)).error).toBeNull();
    const { data: stale } = await requestPublish(as.admin, 3);
    // The setting is switched off, the version published directly, the setting back on.
    await setting(as.admin, "rule", false);
    expect((await as.admin.rpc("publish_rule", { p_key: KEY, p_version: 3 })).error).toBeNull();
    await setting(as.admin, "rule", true);
    const task = await openTask(stale.id);
    const { data: failed, error } = await as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
    expect(error).toBeNull();
    expect(failed).toMatchObject({ status: "failed", failure_code: "definition_draft_missing" });
    expect(await statuses()).toEqual(["1:archived", "2:archived", "3:published"]);

    expect((await draft(as.admin, 4, 4)).error).toBeNull();
    const { data: changed } = await requestPublish(as.admin, 4);
    expect((await as.admin.from("rules").update({ logic: { "*": [0, 40] } }).eq("key", KEY).eq("version", 4)).error).toBeNull();
    const { data: refused } = await as.director.rpc("decide_approval_task", { p_task_id: (await openTask(changed.id)).id, p_decision: "approve" });
    expect(refused).toMatchObject({ status: "failed", failure_code: "definition_changed_since_request" });
    expect(await statuses()).toEqual(["1:archived", "2:archived", "3:published", "4:draft"]);
  });

  it("approval flows follow their own setting", async () => {
    const { rows } = await db.query("select version from approval_flows where key = 'points-adjustment' and status = 'published'");
    await setting(as.admin, "approval_flow", true);
    const { error } = await as.admin.rpc("publish_approval_flow", { p_key: "points-adjustment", p_version: rows[0].version });
    expect(error?.hint).toBe("definition_publish_needs_approval");
    await setting(as.admin, "approval_flow", false);
  });

  it("the queue shows these requests only to directors, administrators and the requester", async () => {
    const { count: forManager } = await as.manager.from("approval_requests").select("id", { count: "exact", head: true }).eq("action", "definition_publish");
    expect(forManager).toBe(0);
    const { count: forDirector } = await as.director.from("approval_requests").select("id", { count: "exact", head: true }).eq("action", "definition_publish");
    expect(forDirector).toBeGreaterThanOrEqual(4);
  });
});
