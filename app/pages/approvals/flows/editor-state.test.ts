import { describe, expect, it } from "vitest";
import { editorProblem, moved, newStep, storedSteps, toEditorStep } from "./editor-state";

const manager = toEditorStep({ key: "unit_manager", name: "业态负责人审批", approver_role: "manager", scope: "requester_unit", mode: "any", condition: null, sla_hours: 24, reminder_hours: 8, escalate_to: "director" });
const director = toEditorStep({ key: "director", name: "总监审批", approver_role: "director", scope: "group", mode: "any", condition: { ">": [{ var: "points_abs" }, 1000] }, sla_hours: 48 });

describe("the flow editor's state", () => {
  it("round-trips steps: a blank condition is null, a unit only with the unit scope", () => {
    const [first, second] = storedSteps([{ ...manager, unit_code: "hotel" }, { ...director, conditionText: "  " }])!;
    expect(first).toMatchObject({ key: "unit_manager", scope: "requester_unit", unit_code: null, condition: null });
    expect(second).toMatchObject({ key: "director", condition: null });
    expect(first).not.toHaveProperty("conditionText");
    expect(storedSteps([director])![0].condition).toEqual({ ">": [{ var: "points_abs" }, 1000] });
    expect(storedSteps([{ ...director, conditionText: "{" }])).toBeNull();
  });

  it("names the first fault: text that is not JSON, then what SQL would refuse", () => {
    expect(editorProblem([manager, { ...director, conditionText: "{\">\": [" }], ["hotel"])).toEqual({ code: "condition_not_json", step: 2 });
    expect(editorProblem([manager, { ...director, conditionText: "{\"+\": [1, 2]}" }], ["hotel"])).toMatchObject({ code: "flow_condition_invalid", step: 2 });
    expect(editorProblem([manager, { ...director, approver_role: "analyst" }], ["hotel"])).toMatchObject({ code: "flow_step_role", step: 2 });
    expect(editorProblem([director], ["hotel"])).toEqual({ code: "flow_without_unconditional_step" });
    expect(editorProblem([manager, director], ["hotel"])).toBeNull();
  });

  it("adds a step with a free key and moves steps within bounds", () => {
    const added = newStep([manager, { ...director, key: "step_3" }]);
    expect(added.key).toBe("step_4");
    expect(editorProblem([manager, { ...added, name: "复核" }], [])).toBeNull();
    expect(moved([1, 2, 3], 2, 0)).toEqual([3, 1, 2]);
    expect(moved([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
  });
});
