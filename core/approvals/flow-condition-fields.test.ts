import { describe, expect, it } from "vitest";
import { conditionToQuery, queryToCondition } from "../rule-builder/condition.ts";
import { FLOW_BUILDER_FIELDS, flowConditionQuery } from "./flow-condition-fields.ts";
import { flowConditionHolds, flowConditionProblem } from "./flow-conditions.ts";

describe("flow step conditions in the visual editor", () => {
  it("read and write back the seeded and usual conditions exactly, within the flow subset", () => {
    for (const condition of [
      { ">": [{ var: "points_abs" }, 1000] },
      { and: [{ "<": [{ var: "points" }, 0] }, { in: [{ var: "business_unit" }, ["hotel", "mall"]] }] },
      { or: [{ "==": [{ var: "lot_kind" }, "campaign"] }, { "!=": [{ var: "reason_category" }, "service"] }] },
    ]) {
      const query = conditionToQuery(condition, FLOW_BUILDER_FIELDS);
      expect(query, JSON.stringify(condition)).not.toBeNull();
      const back = queryToCondition(query!, FLOW_BUILDER_FIELDS);
      expect(back).toEqual(condition);
      expect(flowConditionProblem(back)).toBeNull();
    }
    const query = conditionToQuery({ ">": [{ var: "points_abs" }, 1000] }, FLOW_BUILDER_FIELDS)!;
    expect(flowConditionHolds(queryToCondition(query, FLOW_BUILDER_FIELDS), { points_abs: 1500 })).toBe(true);
  });

  it("do not read a field the flows do not know", () => {
    expect(flowConditionQuery({ ">": [{ var: "amount" }, 1] })).toBeNull();
    expect(flowConditionQuery({ "+": [{ var: "points_abs" }, 1] })).toBeNull();
    expect(flowConditionQuery({ ">": [{ var: "points_abs" }, 1000] })).not.toBeNull();
  });
});
