/**
 * Marketing staff (营销运营) draft rules and forms but never publish them directly: their drafts go through the
 * flow definition-publish whatever the kind's setting, a director approves, and the approval publishes. Other kinds
 * (entities, approval flows) and other roles stay closed to them; an administrator's publish follows the setting.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedIn, superuser } from "./stack-env.ts";

const RUN = Date.now().toString(36);
const RULE = `mk-rule-${RUN}`;
const FORM = `mk-form-${RUN}`;
let db: pg.Client;
const as: Record<string, SupabaseClient> = {};
const ids: Record<string, string> = {};
let keyNo = 0;
const idem = () => `marketing-drafts:${RUN}:${++keyNo}`;

const ruleDraft = (client: SupabaseClient, version = 1, status = "draft") =>
  client.from("rules").insert({ key: RULE, version, kind: "earning", name: `营销草稿 ${version}`, priority: 100, logic: { "*": [{ var: "transaction.amount" }, 2] }, status });
const formDraft = (client: SupabaseClient, version = 1) =>
  client.from("form_definitions").insert({
    key: FORM, version, status: "draft", title: `营销表单 ${version}`, title_en: `Marketing form ${version}`,
    schema: { type: "object", properties: { note: { type: "string", title: "备注" } } }, ui_schema: {},
  });
const request = (client: SupabaseClient, kind: string, key: string, version = 1) =>
  client.rpc("request_definition_publish", { p_kind: kind, p_key: key, p_version: version, p_idempotency_key: idem() });
const status = async (table: string, key: string) =>
  (await db.query(`select version, status from ${table} where key = $1 order by version`, [key])).rows.map((r) => `${r.version}:${r.status}`);
const openTask = async (requestId: string) =>
  (await db.query("select id from approval_tasks where request_id = $1 and status = 'pending'", [requestId])).rows[0] as { id: string };

beforeAll(async () => {
  db = await superuser();
  for (const [name, email] of Object.entries({ marketing: "marketing@demo.test", admin: "admin@demo.test", director: "director@demo.test", analyst: "analyst@demo.test", staff: "staff@demo.test" })) {
    const { client, session } = await signedIn(email);
    as[name] = client;
    ids[name] = session.user.id;
  }
});

afterAll(async () => {
  await db.query("delete from definition_publish_settings");
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from rules where key = $1", [RULE]);
  await db.query("delete from form_definitions where key = $1", [FORM]);
  await db.query("commit");
  await db?.end();
});

describe("what marketing staff may write", () => {
  it("rule and form drafts, nothing published, no entities, no approval flows; other roles write no drafts", async () => {
    expect((await ruleDraft(as.marketing, 1, "published")).error?.code).toBe("42501");
    expect((await ruleDraft(as.analyst)).error?.code).toBe("42501");
    expect((await ruleDraft(as.staff)).error?.code).toBe("42501");
    expect((await ruleDraft(as.marketing)).error).toBeNull();
    expect((await formDraft(as.marketing)).error).toBeNull();
    const entity = await as.marketing.from("entity_definitions").insert({
      key: `mk-entity-${RUN}`, version: 1, status: "draft", title: "实体", schema: { type: "object", properties: {} }, ui_schema: {},
    });
    expect(entity.error?.code).toBe("42501");
    const flow = await as.marketing.from("approval_flows").update({ name: "改名" }).eq("key", "points-adjustment").select("id");
    expect(flow.data ?? []).toEqual([]);
    expect(await status("rules", RULE)).toEqual(["1:draft"]);
  });

  it("publishing directly is refused; the drafts stay drafts", async () => {
    expect((await as.marketing.rpc("publish_rule", { p_key: RULE, p_version: 1 })).error).toMatchObject({ code: "42501", hint: "admin_only" });
    expect((await as.marketing.rpc("publish_form", { p_key: FORM, p_version: 1 })).error).toMatchObject({ code: "42501", hint: "admin_only" });
    expect(await status("rules", RULE)).toEqual(["1:draft"]);
    expect(await status("form_definitions", FORM)).toEqual(["1:draft"]);
  });
});

describe("publishing a marketing draft through approval", () => {
  it("a rule: requested with the setting off, the drafter cannot decide, a director's approval publishes it", async () => {
    expect((await db.query("select count(*)::int as n from definition_publish_settings where needs_approval")).rows[0].n).toBe(0);
    expect((await request(as.analyst, "rule", RULE)).error).toMatchObject({ code: "42501", hint: "definition_drafter_only" });
    expect((await request(as.marketing, "approval_flow", "points-adjustment")).error?.hint).toBe("definition_drafter_only");
    const { data: filed, error } = await request(as.marketing, "rule", RULE);
    expect(error).toBeNull();
    expect(filed).toMatchObject({ status: "pending", requested_by: ids.marketing, data: { kind: "rule", key: RULE, version: 1 } });
    const task = await openTask(filed.id);
    expect((await as.marketing.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error?.code).toBe("42501");
    const { error: decided } = await as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve", p_comment: "同意" });
    expect(decided).toBeNull();
    expect(await status("rules", RULE)).toEqual(["1:published"]);
    const { rows } = await db.query("select published_by from rules where key = $1", [RULE]);
    expect(rows[0].published_by).toBe(ids.marketing);
  });

  it("a form: the same path; an administrator publishes forms directly until the setting is on", async () => {
    const { data: filed, error } = await request(as.marketing, "form", FORM);
    expect(error).toBeNull();
    expect((await request(as.admin, "form", FORM)).error?.hint).toBe("definition_publish_approval_off");
    const task = await openTask(filed.id);
    expect((await as.director.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })).error).toBeNull();
    expect(await status("form_definitions", FORM)).toEqual(["1:published"]);

    expect((await formDraft(as.marketing, 2)).error).toBeNull();
    expect((await as.admin.rpc("set_definition_publish_approval", { p_kind: "form", p_needs_approval: true, p_reason: "测试" })).error).toBeNull();
    expect((await as.admin.rpc("publish_form", { p_key: FORM, p_version: 2 })).error?.hint).toBe("definition_publish_needs_approval");
    expect((await request(as.admin, "form", FORM, 2)).error).toBeNull();
    expect(await status("form_definitions", FORM)).toEqual(["1:published", "2:draft"]);
  });
});
