/**
 * The flow editor's checks (core/approvals) against SQL's (supabase/migrations/..._approvals.sql): the same
 * operations accepted and refused, the same value for every condition over the same data, and the same
 * reason code for every fault in a flow's steps.
 */
import jsonLogic from "json-logic-js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_CONDITION_OPERATORS, flowConditionHolds, flowConditionProblem } from "../../core/approvals/flow-conditions.ts";
import { flowStepsProblem } from "../../core/approvals/flow-steps.ts";
import { APPROVAL_FLOW_ACTIONS, APPROVAL_MODES, APPROVAL_SCOPES, APPROVER_ROLES, FLOW_LIMITS, PUBLISH_APPROVAL_KINDS, ROLES } from "../../core/enums/index.ts";
import { superuser } from "./stack-env.ts";

let db: pg.Client;
let unitCodes: string[];
beforeAll(async () => {
  db = await superuser();
  unitCodes = (await db.query("select code from business_units")).rows.map((r) => r.code);
});
afterAll(async () => {
  await db?.end();
});

const sqlProblem = async (logic: unknown) =>
  (await db.query("select private.flow_condition_problem($1::jsonb) as p", [JSON.stringify(logic)])).rows[0].p as string | null;
const sqlHolds = async (logic: unknown, data: unknown) =>
  (await db.query("select private.flow_truthy(private.flow_value($1::jsonb, $2::jsonb)) as r", [JSON.stringify(logic), JSON.stringify(data)])).rows[0].r as boolean;
const sqlStepsProblem = async (steps: unknown) =>
  (await db.query("select private.approval_flow_problem($1::jsonb) as p", [JSON.stringify(steps)])).rows[0].p as Record<string, unknown> | null;

describe("condition operations", () => {
  it.each(FLOW_CONDITION_OPERATORS.map((op) => [op]))("%s is accepted on both sides", async (op) => {
    const logic = op === "var" ? { var: "points_abs" } : { [op]: [{ var: "points_abs" }, 1] };
    expect(flowConditionProblem(logic)).toBeNull();
    expect(await sqlProblem(logic)).toBeNull();
  });

  const others = ["+", "-", "*", "/", "%", "if", "?:", "cat", "substr", "min", "max", "map", "filter", "reduce", "all", "none", "some",
    "merge", "missing", "missing_some", "log", "method", "<script>"];
  it.each(others.map((op) => [op]))("%s is refused on both sides", async (op) => {
    const logic = { ">": [{ [op]: [{ var: "points_abs" }, 1] }, 0] };
    expect(flowConditionProblem(logic)).toMatchObject({ problem: "operator", operator: op });
    expect(await sqlProblem(logic)).not.toBeNull();
  });

  it.each([
    ["two keys in one operation", { ">": [1, 0], "<": [0, 1] }],
    ["a var naming nothing", { var: "" }],
    ["a var in capitals", { var: "Points" }],
    ["a var as a number", { var: 3 }],
    ["17 levels", Array.from({ length: 17 }).reduce<unknown>((inner) => ({ "!": inner }), true)],
  ])("%s is refused on both sides", async (_label, logic) => {
    expect(flowConditionProblem(logic)).not.toBeNull();
    expect(await sqlProblem(logic)).not.toBeNull();
  });
});

describe("condition values", () => {
  const data = { points_abs: 1500, points: -1500, business_unit: "hotel", reason_category: "correction", lot_kind: null, tags: ["vip", "new"], order: { no: "H-88", amount: "250.5" } };
  it.each([
    [{ ">": [{ var: "points_abs" }, 1000] }],
    [{ ">": [{ var: "points_abs" }, 1500] }],
    [{ ">=": [{ var: "points_abs" }, 1500] }],
    [{ "<": [{ var: "points" }, 0] }],
    [{ "<=": [-2000, { var: "points" }, 0] }],
    [{ "<": [-1500, { var: "points" }, 0] }],
    [{ "==": [{ var: "business_unit" }, "hotel"] }],
    [{ "===": [{ var: "business_unit" }, "mall"] }],
    [{ "!=": [{ var: "missing" }, "hotel"] }],
    [{ "==": [{ var: "missing" }, null] }],
    [{ "==": [{ var: "order.amount" }, 250.5] }],
    [{ ">": [{ var: "order.amount" }, 99] }],
    [{ "==": ["1000", 1000] }],
    [{ "<": ["apple", "banana"] }],
    [{ in: [{ var: "reason_category" }, ["correction", "other"]] }],
    [{ in: ["vip", { var: "tags" }] }],
    [{ in: ["H-", { var: "order.no" }] }],
    [{ in: [{ var: "missing" }, "abc"] }],
    [{ and: [{ ">": [{ var: "points_abs" }, 10] }, { "!": { var: "lot_kind" } }] }],
    [{ or: [{ "==": [{ var: "business_unit" }, "mall"] }, { "!!": { var: "tags" } }] }],
    [{ or: [false, 0, ""] }],
    [{ and: [] }],
    [{ var: ["missing", 5] }],
    [{ var: "lot_kind" }],
    [{ "!!": [[]] }],
    [{ "!": [{ var: "order" }] }],
  ])("%j holds alike in TypeScript and SQL", async (logic) => {
    const expected = await sqlHolds(logic, data);
    expect(flowConditionHolds(logic, data)).toBe(expected);
  });

  it("agrees with json-logic-js where the subset means the same thing", () => {
    const cases: unknown[] = [{ ">": [{ var: "points_abs" }, 1000] }, { in: ["vip", { var: "tags" }] }, { and: [{ "<": [{ var: "points" }, 0] }, { "==": [{ var: "business_unit" }, "hotel"] }] }];
    for (const logic of cases) {
      expect(flowConditionHolds(logic, data)).toBe(!!jsonLogic.apply(logic as jsonLogic.RulesLogic, data));
    }
  });
});

describe("step faults", () => {
  const good = { key: "check", name: "审核", approver_role: "manager", scope: "requester_unit", mode: "any", condition: null, sla_hours: 24, reminder_hours: 8, escalate_to: "director" };
  const conditional = { ...good, key: "big", condition: { ">": [{ var: "points_abs" }, 1000] } };
  it.each([
    ["a good flow", [good, conditional]],
    ["no steps", []],
    ["too many steps", Array.from({ length: FLOW_LIMITS.maxSteps + 1 }, (_, i) => ({ ...good, key: `s${i}` }))],
    ["not a list", { steps: [good] }],
    ["a step that is not an object", ["check"]],
    ["a key in capitals", [{ ...good, key: "Check" }]],
    ["a key repeated", [good, { ...good }]],
    ["an empty name", [{ ...good, name: "  " }]],
    ["a name too long", [{ ...good, name: "审".repeat(101) }]],
    ["a name that is a number", [{ ...good, name: 5 }]],
    ["an unknown role", [{ ...good, approver_role: "supervisor" }]],
    ["an analyst approver", [{ ...good, approver_role: "analyst" }]],
    ["an analyst escalation", [{ ...good, escalate_to: "analyst" }]],
    ["no escalation", [{ ...good, escalate_to: null }]],
    ["an unknown scope", [{ ...good, scope: "region" }]],
    ["a unit scope without a unit", [{ ...good, scope: "unit" }]],
    ["a unit scope with an unknown unit", [{ ...good, scope: "unit", unit_code: "nowhere" }]],
    ["a unit scope with a unit", [{ ...good, scope: "unit", unit_code: "hotel" }]],
    ["an unknown mode", [{ ...good, mode: "majority" }]],
    ["all of", [{ ...good, mode: "all" }]],
    ["an SLA as text", [{ ...good, sla_hours: "24" }]],
    ["an SLA of 0", [{ ...good, sla_hours: 0 }]],
    ["an SLA beyond 30 days", [{ ...good, sla_hours: 721 }]],
    ["a reminder after the SLA", [{ ...good, reminder_hours: 25 }]],
    ["a reminder too soon", [{ ...good, reminder_hours: 0.25 }]],
    ["a reminder as text", [{ ...good, reminder_hours: "8" }]],
    ["no reminder", [{ ...good, reminder_hours: null }]],
    ["a malformed condition", [good, { ...conditional, condition: { "+": [1, 2] } }]],
    ["a condition too long", [good, { ...conditional, condition: { in: [{ var: "x" }, Array.from({ length: 700 }, (_, i) => `v${i}`)] } }]],
    ["only conditional steps", [conditional]],
  ])("%s: the same answer on both sides", async (_label, steps) => {
    const sql = await sqlStepsProblem(steps);
    const ts = flowStepsProblem(steps, unitCodes);
    expect(ts?.code ?? null).toBe(sql?.code ?? null);
    if (sql && "step" in sql) expect(ts).toMatchObject({ step: sql.step });
  });

  it("the registries agree with SQL on roles, scopes and modes", async () => {
    const roles = (await db.query("select unnest(enum_range(null::app_role))::text as r")).rows.map((r) => r.r);
    expect([...roles].sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      const sql = await sqlStepsProblem([{ ...good, approver_role: role }]);
      expect(sql === null).toBe(APPROVER_ROLES.includes(role));
    }
    for (const scope of APPROVAL_SCOPES) {
      expect(await sqlStepsProblem([{ ...good, scope, unit_code: "hotel" }])).toBeNull();
    }
    for (const mode of APPROVAL_MODES) expect(await sqlStepsProblem([{ ...good, mode }])).toBeNull();
  });
});

describe("flow actions and publish-approval kinds", () => {
  it("the registries list the registered approval actions and what private.publish_approval_kinds allows", async () => {
    const { rows: actions } = await db.query(
      "select action, runner::text as runner, to_regprocedure(runner::text) is not null as runs from private.approval_actions order by action");
    expect(actions.map((a) => a.action)).toEqual([...APPROVAL_FLOW_ACTIONS].sort());
    for (const action of actions) expect(action.runs, action.runner).toBe(true);
    const { rows } = await db.query("select private.publish_approval_kinds() as kinds");
    expect([...rows[0].kinds].sort()).toEqual([...PUBLISH_APPROVAL_KINDS].sort());
    const { rows: check } = await db.query(
      "select pg_get_constraintdef(c.oid) as def from pg_constraint c where c.conrelid = 'public.definition_publish_settings'::regclass and c.conname = 'definition_publish_settings_kind_check'");
    expect(check[0].def).toContain("private.publish_approval_kinds()");
  });
});
