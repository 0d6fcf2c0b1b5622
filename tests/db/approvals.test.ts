/**
 * Approvals through the API as the demo users: the seeded points-adjustment flow (unit manager, then the
 * marketing director above 1,000 points), the database's guarantees (no self-approval, one decision per
 * task under concurrency, the action executed once, a deduction that no longer fits fails cleanly, an
 * SLA breach escalates once) and refusals of bad input that create nothing.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ADJUSTMENT_POINTS } from "../../core/enums/index.ts";
import { ledgerHelpers } from "./ledger-fixtures.ts";
import { signedIn, superuser } from "./stack-env.ts";

let db: pg.Client;
const { key, newMember, units } = ledgerHelpers("approvals", () => db);
let unit: { mall: string; hotel: string };
const as: Record<string, SupabaseClient> = {};

beforeAll(async () => {
  db = await superuser();
  unit = await units();
  for (const [name, email] of Object.entries({
    hotelStaff: "hotel.staff@demo.test", manager: "manager@demo.test", director: "director@demo.test",
    analyst: "analyst@demo.test", mallStaff: "staff@demo.test", admin: "admin@demo.test",
  })) {
    as[name] = (await signedIn(email)).client;
  }
});
afterAll(async () => {
  await db?.end();
});

const data = (member: string, points: number, extra: Record<string, unknown> = {}) => ({
  member_id: member, points, reason_category: "customer_compensation", reason: "客房空调故障，补偿积分", ...extra,
});

async function submit(client: SupabaseClient, body: Record<string, unknown>, businessUnit = unit.hotel) {
  return client.rpc("submit_approval_request", {
    p_flow_key: "points-adjustment", p_business_unit_id: businessUnit, p_data: body, p_idempotency_key: key("request"),
  });
}

async function openTask(requestId: string) {
  const { rows } = await db.query("select * from approval_tasks where request_id = $1 and status = 'pending'", [requestId]);
  return rows[0] as { id: string; approver_role: string; step_key: string; business_unit_id: string | null } | undefined;
}

const balance = async (member: string) =>
  Number((await db.query("select coalesce((select balance from point_balances where member_id = $1), 0) as b", [member])).rows[0].b);
const events = async (requestId: string) =>
  (await db.query("select event from approval_events where request_id = $1 order by id", [requestId])).rows.map((r) => r.event);
const requestCount = async () => Number((await db.query("select count(*) from approval_requests")).rows[0].count);

describe("the points-adjustment flow", () => {
  it("is seeded from workflows/approvals and published", async () => {
    const { rows } = await db.query("select key, action, form_key, jsonb_array_length(steps) as steps from approval_flows where status = 'published'");
    expect(rows).toContainEqual({ key: "points-adjustment", action: "points_adjustment", form_key: "points-compensation", steps: 2 });
  });

  it("+2,000 points: the hotel manager, then the director approve; the ledger shows the adjustment once", async () => {
    const member = await newMember();
    const { data: request, error } = await submit(as.hotelStaff, data(member, 2000, { validity_days: 30 }));
    expect(error).toBeNull();
    expect(request.status).toBe("pending");

    const first = (await openTask(request.id))!;
    expect(first).toMatchObject({ approver_role: "manager", step_key: "unit_manager", business_unit_id: unit.hotel });
    const { data: canDecide } = await as.manager.from("approval_tasks").select("id, can_decide").eq("id", first.id).single();
    expect(canDecide).toEqual({ id: first.id, can_decide: true });
    expect((await as.manager.rpc("decide_approval_task", { p_task_id: first.id, p_decision: "approve", p_comment: "同意" })).data.status).toBe("pending");
    expect(await balance(member)).toBe(0);

    const second = (await openTask(request.id))!;
    expect(second).toMatchObject({ approver_role: "director", step_key: "marketing_director", business_unit_id: null });
    const { data: done, error: decideError } = await as.director.rpc("decide_approval_task", { p_task_id: second.id, p_decision: "approve" });
    expect(decideError).toBeNull();
    expect(done.status).toBe("approved");
    expect(await balance(member)).toBe(2000);

    const { rows: entries } = await db.query(
      `select e.kind, e.points, e.business_unit_id, l.kind as lot_kind,
         round(extract(epoch from l.expires_at - e.occurred_at) / 86400)::int as validity_days
       from ledger_entries e join point_lots l on l.earn_entry_id = e.id where e.idempotency_key = $1`, [`approval:${request.id}`]);
    expect(entries).toEqual([{ kind: "earn", points: 2000, business_unit_id: unit.hotel, lot_kind: "compensation", validity_days: 30 }]);
    expect(await events(request.id)).toEqual(["submitted", "step_opened", "approved", "step_opened", "approved", "executed"]);
  });

  it("under 1,000 points skips the director", async () => {
    const member = await newMember();
    const { data: request } = await submit(as.hotelStaff, data(member, 500));
    const task = (await openTask(request.id))!;
    const { data: done } = await as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
    expect(done.status).toBe("approved");
    expect(await balance(member)).toBe(500);
    expect(await events(request.id)).toEqual(["submitted", "step_opened", "approved", "step_skipped", "executed"]);
  });

  it("a rejection needs a comment; the requester resubmits; a pending request can be withdrawn", async () => {
    const member = await newMember();
    const { data: request } = await submit(as.hotelStaff, data(member, 300));
    const task = (await openTask(request.id))!;
    const noComment = await as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "reject" });
    expect(noComment.error?.hint).toBe("approval_reject_comment");
    const { data: rejected } = await as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "reject", p_comment: "请补充订单号" });
    expect(rejected.status).toBe("rejected");

    const { data: again, error } = await as.hotelStaff.rpc("submit_approval_request", {
      p_flow_key: "points-adjustment", p_business_unit_id: unit.hotel, p_data: data(member, 300, { related_order_no: "H20261201-88" }),
      p_idempotency_key: key("resubmit"), p_resubmission_of: request.id,
    });
    expect(error).toBeNull();
    expect(again).toMatchObject({ status: "pending", resubmission_of: request.id });
    expect((await as.manager.rpc("withdraw_approval_request", { p_request_id: again.id })).error?.hint).toBe("approval_not_requester");
    const { data: withdrawn } = await as.hotelStaff.rpc("withdraw_approval_request", { p_request_id: again.id });
    expect(withdrawn.status).toBe("withdrawn");
    expect(await openTask(again.id)).toBeUndefined();
    expect(await balance(member)).toBe(0);
  });

  it("a repeated submission with the same key returns the first request", async () => {
    const member = await newMember();
    const body = { p_flow_key: "points-adjustment", p_business_unit_id: unit.hotel, p_data: data(member, 100), p_idempotency_key: key("twice") };
    const [a, b] = await Promise.all([as.hotelStaff.rpc("submit_approval_request", body), as.hotelStaff.rpc("submit_approval_request", body)]);
    const ids = [a, b].filter((r) => !r.error).map((r) => r.data.id);
    expect(new Set(ids).size).toBe(1);
  });
});

describe("step conditions (the JSON-logic subset evaluated in SQL)", () => {
  it.each([
    [{ ">": [{ var: "points_abs" }, 1000] }, { points_abs: 1500 }, true],
    [{ ">": [{ var: "points_abs" }, 1000] }, { points_abs: 1000 }, false],
    [{ "<=": [100, { var: "points" }, 500] }, { points: 500 }, true],
    [{ "<": [100, { var: "points" }, 500] }, { points: 500 }, false],
    [{ "==": [{ var: "business_unit" }, "hotel"] }, { business_unit: "hotel" }, true],
    [{ "==": [{ var: "missing" }, "hotel"] }, {}, false],
    [{ "!=": [{ var: "missing" }, "hotel"] }, {}, true],
    [{ in: [{ var: "reason_category" }, ["correction", "other"]] }, { reason_category: "other" }, true],
    [{ and: [{ ">": [{ var: "points_abs" }, 10] }, { "!": { "==": [{ var: "lot_kind" }, "campaign"] } }] }, { points_abs: 20, lot_kind: "campaign" }, false],
    [{ or: [{ "===": [{ var: "a" }, 1] }, { "!!": { var: "b" } }] }, { a: 2, b: "x" }, true],
  ])("%j over %j is %s", async (logic, data, expected) => {
    const { rows } = await db.query("select private.flow_truthy(private.flow_value($1, $2)) as result", [JSON.stringify(logic), JSON.stringify(data)]);
    expect(rows[0].result).toBe(expected);
  });
});

describe("guarantees", () => {
  it("nobody approves their own request; analysts decide nothing", async () => {
    const member = await newMember();
    const { data: request } = await submit(as.manager, data(member, 200));
    const task = (await openTask(request.id))!;
    const own = await as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
    expect(own.error).toMatchObject({ code: "42501", hint: "approval_self" });
    const { data: visible } = await as.manager.from("approval_tasks").select("can_decide").eq("id", task.id).single();
    expect(visible).toEqual({ can_decide: false });
    const analyst = await as.analyst.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
    expect(analyst.error).toMatchObject({ code: "42501", hint: "approval_not_approver" });
    expect((await as.analyst.rpc("approval_counts")).data).toEqual({ to_decide: 0, my_pending: 0 });
    expect((await openTask(request.id))!.id).toBe(task.id);
  });

  it("10 parallel approvals of one task: one decision, the points posted once", async () => {
    const member = await newMember();
    const { data: request } = await submit(as.hotelStaff, data(member, 800));
    const task = (await openTask(request.id))!;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" })),
    );
    expect(answers.filter((a) => !a.error)).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.error).map((a) => a.error!.hint))).toEqual(new Set(["approval_task_decided"]));
    expect(Number((await db.query("select count(*) from approval_decisions where task_id = $1", [task.id])).rows[0].count)).toBe(1);
    expect(Number((await db.query("select count(*) from ledger_entries where idempotency_key = $1", [`approval:${request.id}`])).rows[0].count)).toBe(1);
    expect(await balance(member)).toBe(800);
  });

  it("a deduction larger than the balance at execution fails the request and changes nothing", async () => {
    const member = await newMember();
    await db.query("select earn_points($1, $2, 300, $3)", [member, unit.hotel, key("seed")]);
    const { data: request } = await submit(as.hotelStaff, data(member, -500, { reason_category: "correction", reason: "重复发放的积分，予以扣回" }));
    const task = (await openTask(request.id))!;
    const { data: failed, error } = await as.manager.rpc("decide_approval_task", { p_task_id: task.id, p_decision: "approve" });
    expect(error).toBeNull();
    expect(failed).toMatchObject({ status: "failed", failure_code: "insufficient_points" });
    expect(await balance(member)).toBe(300);
    expect(await events(request.id)).toEqual(["submitted", "step_opened", "approved", "step_skipped", "failed"]);
  });

  it("an SLA breach escalates once, to the step's escalation role", async () => {
    const member = await newMember();
    const { data: request } = await submit(as.hotelStaff, data(member, 100));
    const later = new Date(Date.now() + 25 * 3600_000).toISOString();
    const first = await db.query("select run_approval_deadlines($1) as r", [later]);
    const second = await db.query("select run_approval_deadlines($1) as r", [later]);
    expect(first.rows[0].r.escalated).toBeGreaterThanOrEqual(1);
    expect(second.rows[0].r.escalated).toBe(0);
    expect(await openTask(request.id)).toMatchObject({ approver_role: "director", business_unit_id: null });
    expect((await events(request.id)).filter((e) => e === "escalated")).toHaveLength(1);
    expect((await as.manager.rpc("run_approval_deadlines", {})).error?.code).toBe("42501");
  });

  it("the submitted data is a snapshot nothing changes", async () => {
    const member = await newMember();
    const { data: request } = await submit(as.hotelStaff, data(member, 100));
    await expect(db.query("update approval_requests set data = data || '{\"points\": 900}' where id = $1", [request.id]))
      .rejects.toMatchObject({ hint: "approval_request_fixed" });
    const { error } = await as.hotelStaff.from("approval_requests").update({ status: "approved" }).eq("id", request.id);
    expect(error?.code).toBe("42501");
  });
});

describe("bad input creates nothing", () => {
  it.each([
    ["unknown member", { ...data("00000000-0000-0000-0000-000000000001", 100) }, "member_unknown"],
    ["zero points", null, "adjustment_points_invalid"],
    ["too many points", null, "schema_mismatch"],
    ["missing reason", null, "schema_mismatch"],
  ])("%s", async (label, given, hint) => {
    const member = await newMember();
    const body = given ?? (label === "zero points" ? data(member, 0)
      : label === "too many points" ? data(member, MAX_ADJUSTMENT_POINTS + 1)
      : { member_id: member, points: 100, reason_category: "other" });
    const before = await requestCount();
    const { error } = await submit(as.hotelStaff, body);
    expect(error?.hint).toBe(hint);
    if (hint === "adjustment_points_invalid") expect(JSON.parse(error!.details).max).toBe(MAX_ADJUSTMENT_POINTS);
    expect(await requestCount()).toBe(before);
  });

  it("staff of another unit cannot request for this one", async () => {
    const member = await newMember();
    const { error } = await submit(as.mallStaff, data(member, 100), unit.hotel);
    expect(error).toMatchObject({ code: "42501", hint: "unit_role_required" });
  });

  it.each([
    ["a malformed condition", { condition: { "<script>": [1] } }, "flow_condition_invalid"],
    ["an approver role that does not exist", { approver_role: "supervisor" }, "flow_step_role"],
    ["an SLA beyond 30 days", { sla_hours: 1000 }, "flow_step_sla"],
  ])("a flow with %s", async (_label, change, hint) => {
    const step = { key: "check", name: "审核", approver_role: "manager", scope: "requester_unit", mode: "any", sla_hours: 24, ...change };
    const steps = "condition" in change ? [{ ...step, key: "base", condition: null }, step] : [step];
    const before = Number((await db.query("select count(*) from approval_flows")).rows[0].count);
    const { error } = await as.admin.from("approval_flows").insert({
      key: `bad-flow-${hint.replace(/_/g, "-")}`, version: 1, name: "坏流程", action: "points_adjustment", form_key: "points-compensation", steps,
    });
    expect(error?.hint).toBe("approval_flow_invalid");
    expect(JSON.parse(error!.details)).toMatchObject({ code: hint, step: steps.length });
    await expect(db.query("insert into approval_flows (key, version, name, action, form_key, steps) values ('bad-flow', 1, 'x', 'points_adjustment', 'points-compensation', $1)", [JSON.stringify(steps)]))
      .rejects.toMatchObject({ hint: "approval_flow_invalid" });
    expect(Number((await db.query("select count(*) from approval_flows")).rows[0].count)).toBe(before);
  });
});
