/**
 * The flow editor's save path as the administrator's browser takes it (PostgREST on approval_flows, then
 * publish_approval_flow): a new draft version, edited, refused with a reason code when a step is bad (nothing
 * created, nothing changed), published; requests started on the older version keep it.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { signedIn, superuser } from "./stack-env.ts";

const RUN = Date.now().toString(36);
const KEY = `editor-test-${RUN}`;
let db: pg.Client;
const { key, newMember, units } = ledgerHelpers("flow-editor", () => db);
const as: Record<string, SupabaseClient> = {};
let hotel: string;

const manager = { key: "unit_manager", name: "业态负责人审批", name_en: "Unit manager", approver_role: "manager", scope: "requester_unit", mode: "any", condition: null, sla_hours: 24, reminder_hours: 8, escalate_to: "director" };
const director = (threshold: number) => ({ key: "director", name: "总监审批", approver_role: "director", scope: "group", mode: "any", condition: { ">": [{ var: "points_abs" }, threshold] }, sla_hours: 48, reminder_hours: null, escalate_to: "admin" });
const flow = (version: number, steps: unknown[]) => ({ key: KEY, version, name: "编辑器测试流程", action: "points_adjustment", form_key: "points-compensation", steps, status: "draft" });
const versions = async () => (await db.query("select version, status, steps from approval_flows where key = $1 order by version", [KEY])).rows;

beforeAll(async () => {
  db = await superuser();
  hotel = (await units()).hotel;
  for (const [name, email] of Object.entries({ admin: "admin@demo.test", hotelStaff: "hotel.staff@demo.test", manager: "manager@demo.test", director: "director@demo.test" })) {
    as[name] = (await signedIn(email)).client;
  }
});
afterAll(async () => {
  await db.query("begin");
  await db.query("set local session_replication_role = replica");
  await db.query("delete from approval_events where request_id in (select r.id from approval_requests r join approval_flows f on f.id = r.flow_id where f.key = $1)", [KEY]);
  await db.query("delete from approval_decisions where task_id in (select t.id from approval_tasks t join approval_requests r on r.id = t.request_id join approval_flows f on f.id = r.flow_id where f.key = $1)", [KEY]);
  await db.query("delete from approval_tasks where request_id in (select r.id from approval_requests r join approval_flows f on f.id = r.flow_id where f.key = $1)", [KEY]);
  await db.query("delete from approval_requests where flow_id in (select id from approval_flows where key = $1)", [KEY]);
  await db.query("delete from approval_flows where key = $1", [KEY]);
  await db.query("commit");
  await db?.end();
});

const submit = (points: number, member: string) =>
  as.hotelStaff.rpc("submit_approval_request", {
    p_flow_key: KEY, p_business_unit_id: hotel, p_idempotency_key: key("request"),
    p_data: { member_id: member, points, reason_category: "customer_compensation", reason: "编辑器测试补偿" },
  });
const stepsReached = async (requestId: string) =>
  (await db.query("select step_key from approval_tasks where request_id = $1 order by step_index", [requestId])).rows.map((r) => r.step_key);

describe("saving a flow from the editor", () => {
  it("version 1 is created as a draft and published by the administrator", async () => {
    expect((await as.admin.from("approval_flows").insert(flow(1, [manager, director(1000)]))).error).toBeNull();
    expect((await as.manager.rpc("publish_approval_flow", { p_key: KEY, p_version: 1 })).error?.hint).toBe("admin_only");
    expect((await as.admin.rpc("publish_approval_flow", { p_key: KEY, p_version: 1 })).error).toBeNull();
    expect((await versions()).map((v) => `${v.version}:${v.status}`)).toEqual(["1:published"]);
  });

  it.each([
    ["an approver role that does not exist", [manager, { ...director(500), approver_role: "supervisor" }], "flow_step_role", 2],
    ["a malformed condition", [manager, { ...director(500), condition: { "+": [{ var: "points_abs" }, 1] } }], "flow_condition_invalid", 2],
    ["a repeated step key", [manager, { ...director(500), key: "unit_manager" }], "flow_step_key_repeated", 2],
    ["a reminder after the SLA", [{ ...manager, reminder_hours: 30 }], "flow_step_sla", 1],
    ["a unit that does not exist", [{ ...manager, scope: "unit", unit_code: "nowhere" }], "flow_step_unit", 1],
    ["no step that always applies", [director(500)], "flow_without_unconditional_step", undefined],
    ["no steps", [], "flow_steps_count", undefined],
  ])("a draft with %s is refused with its reason code and nothing is created", async (_label, steps, code, step) => {
    const before = await versions();
    const { error } = await as.admin.from("approval_flows").insert(flow(2, steps));
    expect(error?.hint).toBe("approval_flow_invalid");
    const details = JSON.parse(error!.details);
    expect(details.code).toBe(code);
    if (step) expect(details.step).toBe(step);
    expect(await versions()).toEqual(before);
  });

  it("a draft is edited; a bad edit changes nothing; the draft is published and requests keep the version they started on", async () => {
    const member = await newMember();
    const { data: older, error: olderError } = await submit(600, member);
    expect(olderError).toBeNull();

    expect((await as.admin.from("approval_flows").insert(flow(2, [manager, director(1000)]))).error).toBeNull();
    const bad = await as.admin.from("approval_flows").update({ steps: [manager, { ...director(500), sla_hours: 0 }] }).eq("key", KEY).eq("version", 2);
    expect(bad.error?.hint).toBe("approval_flow_invalid");
    expect((await versions())[1].steps[1].condition).toEqual({ ">": [{ var: "points_abs" }, 1000] });
    expect((await as.admin.from("approval_flows").update({ steps: [manager, director(500)] }).eq("key", KEY).eq("version", 2)).error).toBeNull();
    expect((await as.admin.rpc("publish_approval_flow", { p_key: KEY, p_version: 2 })).error).toBeNull();
    expect((await versions()).map((v) => `${v.version}:${v.status}`)).toEqual(["1:archived", "2:published"]);
    // A published version is never edited.
    expect((await as.admin.from("approval_flows").update({ name: "改名" }).eq("key", KEY).eq("version", 2).select()).data).toEqual([]);

    const { data: newer } = await submit(600, member);
    for (const request of [older, newer]) {
      const { data: task } = await as.manager.from("approval_tasks").select("id").eq("request_id", request.id).eq("status", "pending").single();
      await as.manager.rpc("decide_approval_task", { p_task_id: task!.id, p_decision: "approve" });
    }
    const { rows } = await db.query("select r.id, r.status, f.version from approval_requests r join approval_flows f on f.id = r.flow_id where r.id = any($1)", [[older.id, newer.id]]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[older.id]).toMatchObject({ version: 1, status: "approved" });
    expect(byId[newer.id]).toMatchObject({ version: 2, status: "pending" });
    expect(await stepsReached(older.id)).toEqual(["unit_manager"]);
    expect(await stepsReached(newer.id)).toEqual(["unit_manager", "director"]);
  });
});
